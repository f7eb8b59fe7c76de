def eq_3_1_attn(Q, K, V, d_k):
    return torch.softmax(Q @ K.transpose(-2, -1) / torch.sqrt(d_k), dim=-1) @ V


def eq_3_2_q(X, W_Q):
    return X @ W_Q


def eq_3_3_head(X, W_K):
    return X @ W_K


def eq_mha_mha(x, heads: int = 4):
    b, s, d = x.shape
    q, k, v = (x @ _weight(d, d, i) for i in (1, 2, 3))
    split = lambda t: t.reshape(b, s, heads, d // heads).transpose(1, 2)  # noqa: E731
    h = _attn(split(q), split(k), split(v)).transpose(1, 2).reshape(b, s, d)
    return h @ _weight(d, d, 4)


def eq_3_4_ln(x):
    # mu: the mean over the feature index i (x_i is a row of x).
    return x.mean(dim=0)


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


def eq_3_8_hard(g_bar_l, tau):
    return (g_bar_l > tau).to(g_bar_l.dtype)


def eq_3_9_gate_temp(x, temperature: float = 2.0):
    return torch.sigmoid(_ln(x).mean(dim=-1) / temperature)


def eq_3_10_pool(x):
    return _ln(x).mean(dim=-2)


def eq_3_11_cls(W_c, z, b_c):
    return torch.softmax(W_c @ z + b_c, dim=-1)


def eq_3_12_smooth(x, eps: float = 0.1):
    c = x.shape[-1]
    onehot = torch.nn.functional.one_hot(x.argmax(dim=-1), c).to(x.dtype)
    return (1 - eps) * onehot + eps / c


def eq_3_13_ls(x, eps: float = 0.1):
    q = eq_3_12_smooth(x.detach())
    return -(q * torch.log_softmax(x, dim=-1)).sum(dim=-1).mean()


def eq_3_14_loss(g_bar):
    return g_bar.mean(dim=0)


def alg_1_train(x, steps: int = 3):
    torch.manual_seed(0)
    w = _weight(x.shape[-1], 5, 8).requires_grad_(True)
    opt = torch.optim.AdamW([w], lr=1e-3)
    data = x.detach()
    for _ in range(steps):
        loss = eq_3_13_ls(_ln(data).mean(dim=-2) @ w) + 0.01 * eq_3_14_loss(torch.sigmoid(data.mean(dim=(1, 2))))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return w.detach()
