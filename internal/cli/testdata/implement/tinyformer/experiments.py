def eq_4_1_macro_f1(P, R):
    return (2 * P * R / (P + R)).mean(dim=0)
