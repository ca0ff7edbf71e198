from keras import ops

from keras_genai.samplers.sampler import Sampler


def check_k(k):
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k (top-k) must be an integer >= 1. Received: k={k!r}")
    return k


class TopKSampler(Sampler):
    """A draw among the `k` most likely tokens, renormalised.

    Args:
        k: int >= 1. Number of candidates; `k` above the vocabulary size
            keeps them all.
        temperature: float > 0. Defaults to `1.0`.
        seed: int or None.

    Reference:
        Fan et al., 2018, "Hierarchical Neural Story Generation".
    """

    def __init__(self, k=10, temperature=1.0, seed=None):
        super().__init__(temperature, seed)
        self.k = check_k(k)

    def select(self, logits):
        k = min(self.k, logits.shape[-1])
        top_logits, top_indices = ops.top_k(logits, k, sorted=False)
        choice = self.draw(top_logits)
        return ops.take_along_axis(top_indices, choice[:, None], axis=-1)[:, 0]

    def get_config(self):
        return {**super().get_config(), "k": self.k}
