    return x.mean(dim=0)
