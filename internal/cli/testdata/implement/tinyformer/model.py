"""The model of tinyformer, filled in by the scaffold tests (a user's edit).

A small stand-in for TinyFormer: a linear embedding, one residual
self-attention sublayer (equation 3.1), layer normalization (equation 3.4),
mean pooling and a linear classifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import torch
from torch import nn
from torch.nn import functional as F

from .tinyformer_block import eq_3_1_attn


@dataclass
class ModelConfig:
    input_dim: int = 16
    hidden_dim: int = 64
    num_layers: int = 2
    num_heads: int = 4
    num_classes: int = 4
    seq_len: int = 16
    dropout: float = 0.1
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict | None) -> ModelConfig:
        d = dict(d or {})
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs = {k: d.pop(k) for k in list(d) if k in known}
        return cls(**kwargs, extra=d)


class Model(nn.Module):
    def __init__(self, config: ModelConfig | None = None) -> None:
        super().__init__()
        self.config = c = config or ModelConfig()
        self.embed = nn.Linear(c.input_dim, c.hidden_dim)
        self.head = nn.Linear(c.hidden_dim, c.num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.embed(x)
        d_k = torch.tensor(float(h.shape[-1]))
        h = F.layer_norm(h + eq_3_1_attn(h, h, h, d_k), h.shape[-1:])
        return self.head(h.mean(dim=1))

    def loss(self, logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(logits, y)


def build_model(config: dict) -> Model:
    return Model(ModelConfig.from_dict(config.get("model")))
