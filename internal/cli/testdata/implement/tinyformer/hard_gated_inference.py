def eq_b_1_cost(x, c_attn: float = 4.0, c_ffn: float = 8.0):
    g = torch.sigmoid(x.mean(dim=-1))
    return (g * c_attn + c_ffn).mean(dim=-1) / (c_attn + c_ffn)


def alg_b_1_infer(x, tau: float = 0.5):
    from tinyformer.tinyformer_block import eq_3_6a_block_a, eq_3_6b_block_g, eq_3_5_ffn, eq_3_4_ln

    with torch.no_grad():
        h = x.detach()
        g = (eq_3_6b_block_g(h) > tau).to(h.dtype)
        a = eq_3_6a_block_a(h) * g
        return h + a + eq_3_5_ffn(eq_3_4_ln(h + a))
