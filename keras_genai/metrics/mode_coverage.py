import numpy as np


def mode_coverage(samples, centers, std, min_share=0.008):
    """Modes covered and sample quality on a Gaussian-mixture test bed.

    A sample is high quality if it lies within 3 std of its nearest mode. A
    mode is covered if it receives at least `min_share` of all samples as
    high-quality samples (PacGAN's rule: 20 of 2,500 is 0.008).

    Returns:
        dict: `modes_covered`, `num_modes`, `high_quality_share`, and
        `mode_counts` (high-quality samples per mode).
    """
    samples = np.asarray(samples, np.float64).reshape(len(samples), -1)
    centers = np.asarray(centers, np.float64)
    if samples.shape[1] != centers.shape[1]:
        raise ValueError(
            f"samples have {samples.shape[1]} dimensions but the modes have {centers.shape[1]}."
        )
    distances = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=-1)
    nearest = np.argmin(distances, axis=1)
    good = distances[np.arange(len(samples)), nearest] <= 3 * std
    counts = np.bincount(nearest[good], minlength=len(centers))
    return {
        "modes_covered": int(np.sum(counts >= max(1, min_share * len(samples)))),
        "num_modes": len(centers),
        "high_quality_share": float(np.mean(good)),
        "mode_counts": counts.tolist(),
    }
