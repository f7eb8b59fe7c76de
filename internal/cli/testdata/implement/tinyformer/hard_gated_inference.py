def eq_b_1_cost(g_tilde, c_attn, c_ffn):
    L = g_tilde.shape[0]
    return (g_tilde[:, None] * c_attn + c_ffn).sum(dim=0) / (L * (c_attn + c_ffn))


def alg_b_1_infer(x, tau: float = 0.5):
    from tinyformer.tinyformer_block import eq_3_5_ffn, eq_3_6a_block_a, eq_3_6b_block_g

    with torch.no_grad():
        h = x.detach()
        g = (eq_3_6b_block_g(h) > tau).to(h.dtype)
        a = eq_3_6a_block_a(h) * g
        return h + a + eq_3_5_ffn(_ln(h + a))
