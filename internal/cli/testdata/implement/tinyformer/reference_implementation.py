def eq_c_1_params(V, T_max, d, L, d_ff, C):
    # The oracle reads the sizes as the arrays it is given: products of
    # juxtaposed arrays are matrix products.
    return (V + T_max) @ d + L @ (4 * d**2 + 2 * d * d_ff + d_ff + 11 * d + 1) + 2 * d + (d + 1) @ C
