def eq_a_1_adam_m(beta_1, m_tm1, g_t):
    return beta_1 * m_tm1 + (1 - beta_1) * g_t


def eq_a_2_adam_v(beta_2, v_tm1, g_t):
    return beta_2 * v_tm1 + (1 - beta_2) * g_t**2


def eq_a_3_adamw(m_t, beta_1, t):
    return m_t / (1 - beta_1**t)


def eq_a_4_lr(x, eta_max: float = 1e-3, eta_min: float = 0.0, warmup: float = 10.0, total: float = 100.0):
    t = x.detach().abs() * 10
    warm = eta_max * t / warmup
    frac = ((t - warmup) / (total - warmup)).clamp(0, 1)
    cosine = eta_min + (eta_max - eta_min) / 2 * (1 + torch.cos(_math.pi * frac))
    return torch.where(t < warmup, warm, cosine)
