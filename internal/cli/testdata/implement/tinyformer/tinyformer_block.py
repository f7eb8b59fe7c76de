def eq_3_1_attn(q, k, v):
    return _attn(q, k, v)


def eq_3_2_q(x):
    return x @ _weight(x.shape[-1], x.shape[-1], 1)


def eq_3_3_head(x):
    d = x.shape[-1]
    return _attn(x @ _weight(d, d, 1), x @ _weight(d, d, 2), x @ _weight(d, d, 3))


def eq_mha_mha(x, heads: int = 4):
    b, s, d = x.shape
    q, k, v = (x @ _weight(d, d, i) for i in (1, 2, 3))
    split = lambda t: t.reshape(b, s, heads, d // heads).transpose(1, 2)  # noqa: E731
    h = _attn(split(q), split(k), split(v)).transpose(1, 2).reshape(b, s, d)
    return h @ _weight(d, d, 4)


def eq_3_4_ln(x):
    return _ln(x)


def eq_3_5_ffn(x):
    d = x.shape[-1]
    return torch.nn.functional.gelu(x @ _weight(d, 4 * d, 5)) @ _weight(4 * d, d, 6)


def eq_3_6a_block_a(x):
    return eq_mha_mha(_ln(x))


def eq_3_6b_block_g(x):
    return torch.sigmoid(_ln(x).mean(dim=(-2, -1), keepdim=True) + 2.0)


def eq_3_6c_block_h(x):
    a, g = eq_3_6a_block_a(x), eq_3_6b_block_g(x)
    return x + g * a + eq_3_5_ffn(_ln(x + g * a))


def eq_3_8_hard(x, tau: float = 0.5):
    return (eq_3_6b_block_g(x) > tau).to(x.dtype)


def eq_3_9_gate_temp(x, temperature: float = 2.0):
    return torch.sigmoid(_ln(x).mean(dim=-1) / temperature)


def eq_3_10_pool(x):
    return _ln(x).mean(dim=-2)


def eq_3_11_cls(x, classes: int = 5):
    return torch.softmax(eq_3_10_pool(x) @ _weight(x.shape[-1], classes, 7), dim=-1)


def eq_3_12_smooth(x, eps: float = 0.1):
    c = x.shape[-1]
    onehot = torch.nn.functional.one_hot(x.argmax(dim=-1), c).to(x.dtype)
    return (1 - eps) * onehot + eps / c


def eq_3_13_ls(x, eps: float = 0.1):
    q = eq_3_12_smooth(x.detach())
    return -(q * torch.log_softmax(x, dim=-1)).sum(dim=-1).mean()


def eq_3_14_loss(x, lam: float = 0.01):
    return eq_3_13_ls(x) + lam * eq_3_6b_block_g(x).mean()


def alg_1_train(x, steps: int = 3):
    torch.manual_seed(0)
    w = _weight(x.shape[-1], 5, 8).requires_grad_(True)
    opt = torch.optim.AdamW([w], lr=1e-3)
    data = x.detach()
    for _ in range(steps):
        loss = eq_3_14_loss(_ln(data).mean(dim=-2) @ w)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return w.detach()
