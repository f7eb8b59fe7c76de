# Independent NumPy implementations of the curated equations. Each
# case_<name>(rng) returns the inputs of the generated oracle (by parameter
# name) and the value the equation should give, computed here without the
# generator's helpers. Sizes differ from one axis to the next so that a
# transposition or a wrong axis shows.
import math

import numpy as np


def _softmax_rows(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def case_softmax(rng):
    z = rng.normal(size=7)
    e = np.exp(z - z.max())
    return {"z": z}, e / e.sum()


def case_softmax_temperature(rng):
    z = rng.normal(size=6)
    T = 0.7
    e = np.exp(z / T - (z / T).max())
    return {"z": z, "T": T}, e / e.sum()


def case_scaled_dot_product_attention(rng):
    n, m, dk, dv = 4, 6, 5, 3
    Q, K, V = rng.normal(size=(n, dk)), rng.normal(size=(m, dk)), rng.normal(size=(m, dv))
    scores = np.einsum("id,jd->ij", Q, K) / math.sqrt(dk)
    return {"Q": Q, "K": K, "V": V, "d_k": dk}, _softmax_rows(scores) @ V


def case_multi_head_attention(rng):
    n, d, h, dk, dout = 5, 8, 3, 4, 6
    X = rng.normal(size=(n, d))
    WQ, WK, WV = (rng.normal(size=(h, d, dk)) for _ in range(3))
    WO = rng.normal(size=(h, dk, dout))
    # concatenate the heads, then one output projection
    heads = []
    for i in range(h):
        q, k, v = X @ WQ[i], X @ WK[i], X @ WV[i]
        heads.append(_softmax_rows(q @ k.T / math.sqrt(dk)) @ v)
    concat = np.concatenate(heads, axis=-1)
    out = concat @ WO.reshape(h * dk, dout)
    return {"X": X, "W_Q": WQ, "W_K": WK, "W_V": WV, "W_O": WO, "d_k": dk}, out


def case_attention_head(rng):
    n, d, dk = 4, 6, 3
    Q, K, V = (rng.normal(size=(n, d)) for _ in range(3))
    WQ, WK, WV = (rng.normal(size=(d, dk)) for _ in range(3))

    def attention(q, k, v):
        return _softmax_rows(q @ k.T / math.sqrt(q.shape[-1])) @ v

    expected = attention(Q @ WQ, K @ WK, V @ WV)
    return {"Attention": attention, "Q": Q, "W_Q": WQ, "K": K, "W_K": WK, "V": V, "W_V": WV}, expected


def case_layer_norm(rng):
    d = 9
    x, g, b = rng.normal(size=d), rng.normal(size=d), rng.normal(size=d)
    eps = 1e-5
    mu = x.mean()
    var = x.var()
    return {"x": x, "gamma": g, "beta": b, "epsilon": eps}, g * (x - mu) / np.sqrt(var + eps) + b


def case_layer_norm_mean(rng):
    a = rng.normal(size=11)
    return {"a": a}, np.mean(a)


def case_layer_norm_std(rng):
    a = rng.normal(size=11)
    return {"a": a, "mu": float(np.mean(a))}, np.std(a)


def case_rms_norm(rng):
    a, g = rng.normal(size=8), rng.normal(size=8)
    eps = 1e-6
    return {"a": a, "g": g, "epsilon": eps}, a / np.sqrt(np.mean(a**2) + eps) * g


def case_batch_norm(rng):
    x = rng.normal(loc=2.0, scale=3.0, size=16)
    gamma, beta, eps = 1.7, -0.3, 1e-5
    return {"x": x, "gamma": gamma, "beta": beta, "epsilon": eps}, gamma * (x - x.mean()) / np.sqrt(x.var() + eps) + beta


def case_gelu(rng):
    x = rng.normal(size=10) * 2
    cdf = np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in x])
    return {"x": x}, x * cdf


def case_silu(rng):
    x = rng.normal(size=10) * 3
    return {"x": x}, x / (1 + np.exp(-x))


def case_sigmoid(rng):
    x = rng.normal(size=10) * 3
    return {"x": x}, np.array([1 / (1 + math.exp(-v)) for v in x])


def case_softplus(rng):
    x = rng.normal(size=10) * 3
    return {"x": x}, np.array([math.log1p(math.exp(v)) for v in x])


def case_logsumexp(rng):
    x = rng.normal(size=10)
    return {"x": x}, math.log(sum(math.exp(v) for v in x))


def case_cross_entropy(rng):
    C = 6
    z = rng.normal(size=C)
    y = np.zeros(C)
    y[2] = 1.0
    logp = z - z.max() - np.log(np.exp(z - z.max()).sum())
    return {"y": y, "z": z}, -logp[2]


def case_binary_cross_entropy(rng):
    N = 12
    y = (rng.uniform(size=N) < 0.5).astype(float)
    p = rng.uniform(0.05, 0.95, size=N)
    return {"y": y, "y_hat": p}, -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def case_label_smoothing(rng):
    K = 5
    y = np.eye(K)[3]
    alpha = 0.1
    return {"y": y, "alpha": alpha, "K": K}, y * (1 - alpha) + alpha / K


def case_kl_gaussians(rng):
    m1, m2, s1, s2 = 0.3, -1.2, 0.8, 1.7
    # KL(N(m1, s1^2) || N(m2, s2^2)) by numerical integration
    xs = np.linspace(-15, 15, 200001)
    p = np.exp(-0.5 * ((xs - m1) / s1) ** 2) / (s1 * math.sqrt(2 * math.pi))
    q = np.exp(-0.5 * ((xs - m2) / s2) ** 2) / (s2 * math.sqrt(2 * math.pi))
    kl = np.trapezoid(p * np.log(p / q), xs) if hasattr(np, "trapezoid") else np.trapz(p * np.log(p / q), xs)
    return {"mu_1": m1, "mu_2": m2, "sigma_1": s1, "sigma_2": s2}, kl


def case_kl_standard_normal(rng):
    J = 4
    mu = rng.normal(size=J)
    sigma = rng.uniform(0.5, 1.5, size=J)
    kl = sum(0.5 * (s**2 + m**2 - 1) - math.log(s) for m, s in zip(mu, sigma))
    return {"mu": mu, "sigma": sigma}, kl


def case_vae_elbo(rng):
    J, L, D = 3, 5, 4
    mu, sigma = rng.normal(size=J), rng.uniform(0.5, 1.5, size=J)
    x = rng.normal(size=D)
    z = rng.normal(size=(L, D))

    def p_theta(x, z):  # a Gaussian likelihood, unit variance, mean z
        return np.exp(-0.5 * np.sum((x - z) ** 2)) / (2 * math.pi) ** (len(x) / 2)

    neg_kl = -sum(0.5 * (s**2 + m**2 - 1) - math.log(s) for m, s in zip(mu, sigma))
    recon = np.mean([math.log(p_theta(x, z[l])) for l in range(L)])
    inputs = {"theta": 0.0, "phi": 0.0, "x": x, "mu": mu, "sigma": sigma, "p_theta": p_theta, "z": z}
    return inputs, neg_kl + recon


def case_vae_reparameterization(rng):
    mu, sigma, eps = rng.normal(size=5), rng.uniform(0.1, 2, size=5), rng.normal(size=5)
    return {"mu": mu, "sigma": sigma, "epsilon": eps}, mu + sigma * eps


def case_gaussian_log_likelihood(rng):
    D = 6
    x, mu = rng.normal(size=D), rng.normal(size=D)
    sigma = 0.7
    ll = sum(-0.5 * math.log(2 * math.pi * sigma**2) - (a - b) ** 2 / (2 * sigma**2) for a, b in zip(x, mu))
    return {"x": x, "mu": mu, "sigma": sigma}, ll


def case_bernoulli_log_likelihood(rng):
    D = 8
    x = (rng.uniform(size=D) < 0.5).astype(float)
    y = rng.uniform(0.05, 0.95, size=D)
    ll = sum(math.log(b) if a == 1 else math.log(1 - b) for a, b in zip(x, y))
    return {"x": x, "y": y}, ll


def case_adam_first_moment(rng):
    m, g, b1 = rng.normal(size=5), rng.normal(size=5), 0.9
    return {"beta_1": b1, "m_tm1": m, "g_t": g}, b1 * m + (1 - b1) * g


def case_adam_second_moment(rng):
    v, g, b2 = rng.uniform(size=5), rng.normal(size=5), 0.999
    return {"beta_2": b2, "v_tm1": v, "g_t": g}, b2 * v + (1 - b2) * g * g


def case_adam_bias_correction(rng):
    m, b1, t = rng.normal(size=5), 0.9, 7
    return {"m_t": m, "beta_1": b1, "t": t}, m / (1 - b1**t)


def _adam_direction(m_hat, v_hat, eps):
    return m_hat / (np.sqrt(v_hat) + eps)


def case_adam_update(rng):
    theta, m_hat, v_hat = rng.normal(size=5), rng.normal(size=5), rng.uniform(size=5)
    alpha, eps = 1e-3, 1e-8
    expected = theta - alpha * _adam_direction(m_hat, v_hat, eps)
    return {"theta_tm1": theta, "alpha": alpha, "m_hat_t": m_hat, "v_hat_t": v_hat, "epsilon": eps}, expected


def case_adamw_update(rng):
    theta, m_hat, v_hat = rng.normal(size=5), rng.normal(size=5), rng.uniform(size=5)
    alpha, eps, lam, eta = 1e-3, 1e-8, 1e-2, 0.5
    # decoupled weight decay: the decay is not scaled by the adaptive step
    step = alpha * _adam_direction(m_hat, v_hat, eps)
    decay = lam * theta
    expected = theta - eta * step - eta * decay
    inputs = {"theta_tm1": theta, "eta_t": eta, "alpha": alpha, "m_hat_t": m_hat, "v_hat_t": v_hat,
              "epsilon": eps, "lambda_": lam}
    return inputs, expected


def case_sgd_momentum(rng):
    v, g = rng.normal(size=4), rng.normal(size=4)
    mu, eta = 0.9, 0.1
    return {"mu": mu, "v_t": v, "eta": eta, "g_t": g}, mu * v - eta * g


def case_cosine_schedule_warmup(rng):
    T, Tw, lo, hi = 100, 10, 1e-5, 3e-4
    t = np.arange(T)
    expected = np.array([hi * s / Tw if s < Tw else lo + 0.5 * (hi - lo) * (1 + math.cos(math.pi * (s - Tw) / (T - Tw)))
                         for s in t])
    return {"eta_max": hi, "eta_min": lo, "t": t, "T_w": Tw, "T": T}, expected


def case_td_error(rng):
    w = rng.normal(size=3)

    def V(s):
        return np.tanh(s @ w)

    s_t, s_next = rng.normal(size=3), rng.normal(size=3)
    r, gamma = 0.5, 0.99
    return {"r_t": r, "gamma": gamma, "V": V, "s_tp1": s_next, "s_t": s_t}, r + gamma * V(s_next) - V(s_t)


def case_gae(rng):
    T, t = 9, 2
    delta = rng.normal(size=T)
    gamma, lam = 0.99, 0.95
    # the backward recursion A_t = delta_t + gamma lambda A_{t+1}
    adv = np.zeros(T + 1)
    for s in reversed(range(T)):
        adv[s] = delta[s] + gamma * lam * adv[s + 1]
    return {"T": T, "t": t, "gamma": gamma, "lambda_": lam, "delta": delta}, adv[t]


def case_discounted_return(rng):
    T, t = 8, 3
    r = rng.normal(size=T)  # r[0] is r_1
    gamma = 0.9
    G = 0.0
    for s in reversed(range(t + 1, T + 1)):  # rewards r_{t+1} ... r_T
        G = r[s - 1] + gamma * G
    return {"T": T, "t": t, "gamma": gamma, "r": r}, G


def case_ppo_ratio(rng):
    def pi_new(a, s):
        return np.exp(-0.5 * (a - s) ** 2)

    def pi_old(a, s):
        return np.exp(-0.5 * (a - 0.5 * s) ** 2)

    a, s = rng.normal(size=4), rng.normal(size=4)
    return {"theta": 0.0, "pi_theta": pi_new, "pi_theta_old": pi_old, "a_t": a, "s_t": s}, pi_new(a, s) / pi_old(a, s)


def case_ppo_clip(rng):
    r = rng.uniform(0.5, 1.5, size=20)
    A = rng.normal(size=20)
    eps = 0.2
    surrogate = [min(ri * ai, max(1 - eps, min(ri, 1 + eps)) * ai) for ri, ai in zip(r, A)]
    return {"theta": 0.0, "r": r, "A_hat": A, "epsilon": eps}, np.mean(surrogate)


def case_rope_theta(rng):
    d = 16
    i = np.arange(1, d // 2 + 1)
    return {"i": i, "d": d}, np.array([10000.0 ** (-2 * (k - 1) / d) for k in i])


def _rope(rng):
    d, m = 12, 5.0
    q = rng.normal(size=d)
    theta = 10000.0 ** (-np.arange(d // 2) * 2 / d)
    # rotate each pair (q_{2i-1}, q_{2i}) by the angle m theta_i, as complex numbers
    z = (q[0::2] + 1j * q[1::2]) * np.exp(1j * m * theta)
    inputs = {"q_2im1": q[0::2], "q_2i": q[1::2], "m": m, "theta_i": theta}
    return inputs, z


def case_rope_first(rng):
    inputs, z = _rope(rng)
    return inputs, z.real


def case_rope_second(rng):
    inputs, z = _rope(rng)
    return inputs, z.imag


def case_diffusion_alpha_bar(rng):
    alpha = 1 - np.linspace(1e-4, 0.02, 7)
    return {"alpha": alpha}, np.cumprod(alpha)[-1]


def case_diffusion_forward(rng):
    x0, eps = rng.normal(size=6), rng.normal(size=6)
    ab = 0.37
    return {"alpha_bar_t": ab, "x_0": x0, "epsilon": eps}, math.sqrt(ab) * x0 + math.sqrt(1 - ab) * eps


def case_diffusion_loss(rng):
    x0, eps = rng.normal(size=6), rng.normal(size=6)
    ab, t = 0.6, 12
    W = rng.normal(size=(6, 6))

    def eps_theta(x, t):
        return np.tanh(W @ x) + 0.01 * t

    xt = math.sqrt(ab) * x0 + math.sqrt(1 - ab) * eps
    inputs = {"theta": 0.0, "epsilon": eps, "epsilon_theta": eps_theta, "alpha_bar_t": ab, "x_0": x0, "t": t}
    return inputs, float(np.sum((eps - eps_theta(xt, t)) ** 2))


def case_infonce(rng):
    d, K = 5, 6
    q, kpos = rng.normal(size=d), rng.normal(size=d)
    keys = np.vstack([kpos, rng.normal(size=(K, d))])  # k_0 is the positive
    tau = 0.1
    logits = keys @ q / tau
    loss = -(logits[0] - (logits.max() + math.log(np.exp(logits - logits.max()).sum())))
    return {"q": q, "k_plus": kpos, "tau": tau, "k": keys}, loss


def case_mse(rng):
    y, yh = rng.normal(size=9), rng.normal(size=9)
    return {"y": y, "y_hat": yh}, np.mean((y - yh) ** 2)


def case_ridge_loss(rng):
    N, d = 10, 4
    X = rng.normal(size=(N, d))
    w = rng.normal(size=d)
    y = rng.normal(size=N)
    lam = 0.3
    expected = 0.5 * np.mean((y - X @ w) ** 2) + 0.5 * lam * np.dot(w, w)
    return {"w": w, "y": y, "x": X, "lambda_": lam}, expected


def case_huber(rng):
    a = rng.normal(size=12) * 3
    delta = 1.5
    expected = np.array([0.5 * v * v if abs(v) <= delta else delta * (abs(v) - 0.5 * delta) for v in a])
    return {"a": a, "delta": delta}, expected


def case_hinge(rng):
    y = rng.normal(size=8)
    t = np.sign(rng.normal(size=8))
    return {"y": y, "t": t}, np.array([max(0.0, 1 - a * b) for a, b in zip(t, y)])


def case_focal_loss(rng):
    p = rng.uniform(0.05, 0.95, size=8)
    alpha, gamma = 0.25, 2.0
    return {"p_t": p, "alpha_t": alpha, "gamma": gamma}, -alpha * (1 - p) ** gamma * np.log(p)


def case_cosine_similarity(rng):
    u, v = rng.normal(size=7), rng.normal(size=7)
    return {"u": u, "v": v}, float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))


def case_lstm_input_gate(rng):
    dx, dh = 5, 3
    Wx, Wh = rng.normal(size=(dh, dx)), rng.normal(size=(dh, dh))
    x, h, b = rng.normal(size=dx), rng.normal(size=dh), rng.normal(size=dh)
    pre = np.einsum("ij,j->i", Wx, x) + np.einsum("ij,j->i", Wh, h) + b
    return {"W_xi": Wx, "x_t": x, "W_hi": Wh, "h_tm1": h, "b_i": b}, 1 / (1 + np.exp(-pre))


def case_gru_update(rng):
    z = rng.uniform(size=4)
    h, ht = rng.normal(size=4), rng.normal(size=4)
    return {"z_t": z, "h_tm1": h, "h_tilde_t": ht}, (1 - z) * h + z * ht


def case_additive_attention(rng):
    da, ds, dh = 3, 4, 5
    v, Wa, Ua = rng.normal(size=da), rng.normal(size=(da, ds)), rng.normal(size=(da, dh))
    s, h = rng.normal(size=ds), rng.normal(size=dh)
    inputs = {"v_a": v, "W_a": Wa, "s_im1": s, "U_a": Ua, "h_j": h}
    return inputs, float(np.dot(v, np.tanh(Wa @ s + Ua @ h)))


def case_linear_layer_relu(rng):
    W, x, b = rng.normal(size=(4, 6)), rng.normal(size=6), rng.normal(size=4)
    return {"W": W, "x": x, "b": b}, np.maximum(W @ x + b, 0)


def case_dropout(rng):
    h = rng.normal(size=10)
    p = 0.3
    m = (rng.uniform(size=10) > p).astype(float)
    return {"m": m, "h": h, "p": p}, np.where(m > 0, h / (1 - p), 0.0)


# derivatives and integrals: closed forms, no finite differences


def case_logistic_loss_gradient(rng):
    N, d = 6, 4
    X = rng.normal(size=(N, d))
    y = rng.choice([-1.0, 1.0], size=N)
    w = rng.normal(size=d)
    m = y * (X @ w)
    s = 1.0 / (1.0 + np.exp(m))  # sigmoid(-m)
    return {"w": w, "y": y, "x": X}, -(s * y) @ X / N


def case_quadratic_gradient(rng):
    d = 5
    A = rng.normal(size=(d, d))  # not symmetric: the gradient is (A + A^T) x / 2 - b
    b, x = rng.normal(size=d), rng.normal(size=d)
    return {"x": x, "A": A, "b": b}, 0.5 * (A + A.T) @ x - b


def case_softplus_derivative(rng):
    x = rng.normal(size=7)
    return {"x": x}, 1.0 / (1.0 + np.exp(-x))


def case_cosine_schedule_rate(rng):
    t = rng.uniform(0.0, 1.0, size=5)
    s = 0.008
    u = np.pi / 2 * (t + s) / (1 + s)
    return {"t": t, "s": s}, -np.pi / (1 + s) * np.cos(u) * np.sin(u)


def case_gaussian_interval(rng):
    mu, sigma = 0.3, 0.8
    a, b = -0.5, 1.7
    cdf = lambda v: 0.5 * (1.0 + math.erf((v - mu) / (sigma * math.sqrt(2.0))))
    return {"a": a, "b": b, "sigma": sigma, "mu": mu}, cdf(b) - cdf(a)
