def eq_c_1_params(x):
    d = x.shape[-1]
    count = 12 * d * d
    return x.sum() * 0 + float(count)
