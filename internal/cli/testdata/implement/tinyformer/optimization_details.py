def eq_a_1_adam_m(x, m=None, beta1: float = 0.9):
    m = torch.zeros_like(x) if m is None else m
    return beta1 * m + (1 - beta1) * x


def eq_a_2_adam_v(x, v=None, beta2: float = 0.999):
    v = torch.zeros_like(x) if v is None else v
    return beta2 * v + (1 - beta2) * x**2


def eq_a_3_adamw(x, lr: float = 1e-3, wd: float = 0.01, t: int = 1, eps: float = 1e-8):
    theta = torch.ones_like(x)
    m_hat = eq_a_1_adam_m(x) / (1 - 0.9**t)
    v_hat = eq_a_2_adam_v(x) / (1 - 0.999**t)
    return theta - lr * (m_hat / (torch.sqrt(v_hat) + eps) + wd * theta)


def eq_a_4_lr(x, eta_max: float = 1e-3, eta_min: float = 0.0, warmup: float = 10.0, total: float = 100.0):
    t = x.detach().abs() * 10
    warm = eta_max * t / warmup
    frac = ((t - warmup) / (total - warmup)).clamp(0, 1)
    cosine = eta_min + (eta_max - eta_min) / 2 * (1 + torch.cos(_math.pi * frac))
    return torch.where(t < warmup, warm, cosine)
