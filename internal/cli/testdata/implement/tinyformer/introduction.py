def eq_1_1_predict(x):
    return x.argmax(dim=-1).to(x.dtype)
