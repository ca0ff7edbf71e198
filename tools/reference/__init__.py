"""Reference and parity checks against other implementations (PyTorch nanoGPT, fid-helper-pytorch, statsmodels, exported models)."""
