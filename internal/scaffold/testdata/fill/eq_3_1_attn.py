    return torch.softmax(Q @ K.transpose(-2, -1) / torch.sqrt(d_k), dim=-1) @ V
