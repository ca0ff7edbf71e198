import numpy as np


def _check_features(real_features, generated_features):
    real = np.asarray(real_features, np.float64)
    generated = np.asarray(generated_features, np.float64)
    if real.ndim != 2 or generated.ndim != 2 or real.shape[1] != generated.shape[1]:
        raise ValueError(
            "Features must be two (num_samples, dim) arrays of the same dim. "
            f"Received: shapes {real.shape} and {generated.shape}"
        )
    return real, generated


def polynomial_mmd2_unbiased(x, y, degree=3, gamma=None, coef0=1.0):
    """Unbiased MMD² with the kernel `k(a, b) = (gamma a·b + coef0)^degree`.

    `gamma` defaults to `1 / dim`. The within-set sums leave out the
    diagonal `k(x_i, x_i)`, which makes the estimate unbiased (it can be
    negative when the two distributions are equal).
    """
    x, y = _check_features(x, y)
    m, n = len(x), len(y)
    if min(m, n) < 2:
        raise ValueError(f"Unbiased MMD² needs at least 2 samples per set. Received: {m} and {n}")
    gamma = 1.0 / x.shape[1] if gamma is None else gamma
    k_xx = (gamma * x @ x.T + coef0) ** degree
    k_yy = (gamma * y @ y.T + coef0) ** degree
    k_xy = (gamma * x @ y.T + coef0) ** degree
    return float(
        (k_xx.sum() - np.trace(k_xx)) / (m * (m - 1))
        + (k_yy.sum() - np.trace(k_yy)) / (n * (n - 1))
        - 2.0 * k_xy.mean()
    )


def kid(real_features, generated_features, num_subsets=100, subset_size=1000, seed=0):
    """Kernel Inception Distance: unbiased polynomial-kernel MMD² over subsets.

    As in Bińkowski et al.: the cubic kernel `(a·b / dim + 1)^3`, the
    unbiased MMD² estimate on `num_subsets` random subsets of `subset_size`
    samples from each set (drawn without replacement within a subset),
    reported as mean and standard deviation over subsets. Unlike FID it
    is unbiased in the sample count, so values at different N compare.

    Args:
        real_features, generated_features: `(N, D)` feature arrays.
        num_subsets: int. Defaults to `100`.
        subset_size: int. Capped at the smaller set size. Defaults to `1000`.
        seed: int. Subset sampling seed. Defaults to `0`.

    Returns:
        dict with `kid` (mean), `kid_std`, `kid_subsets`, `kid_subset_size`.

    Reference: Bińkowski et al., "Demystifying MMD GANs", ICLR 2018.
    """
    real, generated = _check_features(real_features, generated_features)
    if num_subsets < 1:
        raise ValueError(f"num_subsets must be positive. Received: num_subsets={num_subsets}")
    size = min(subset_size, len(real), len(generated))
    if size < 2:
        raise ValueError(
            "KID needs at least 2 samples in each set (1000 per subset is the standard). "
            f"Received: {len(real)} real and {len(generated)} generated"
        )
    rng = np.random.default_rng(seed)
    values = np.array([
        polynomial_mmd2_unbiased(
            real[rng.choice(len(real), size, replace=False)],
            generated[rng.choice(len(generated), size, replace=False)],
        )
        for _ in range(num_subsets)
    ])
    return {"kid": float(values.mean()), "kid_std": float(values.std()),
            "kid_subsets": int(num_subsets), "kid_subset_size": int(size)}
