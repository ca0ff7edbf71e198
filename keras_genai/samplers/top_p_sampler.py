from keras import ops

from keras_genai.samplers.sampler import Sampler
from keras_genai.samplers.top_k_sampler import check_k


class TopPSampler(Sampler):
    """Nucleus sampling: a draw among the smallest set of most likely tokens
    whose probabilities sum to at least `p`.

    Args:
        p: float in (0, 1]. Probability mass of the nucleus; `1.0` is plain
            sampling.
        k: int or None. Also cap the nucleus at the `k` most likely tokens.
        temperature: float > 0, applied before the nucleus is chosen.
            Defaults to `1.0`.
        seed: int or None.

    Reference:
        Holtzman et al., 2020, "The Curious Case of Neural Text Degeneration".
    """

    def __init__(self, p=0.9, k=None, temperature=1.0, seed=None):
        super().__init__(temperature, seed)
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 < p <= 1:
            raise ValueError(f"p (top-p) must be in (0, 1]. Received: p={p!r}")
        self.p = float(p)
        self.k = None if k is None else check_k(k)

    def select(self, logits):
        k = logits.shape[-1] if self.k is None else min(self.k, logits.shape[-1])
        sorted_logits, sorted_indices = ops.top_k(logits, k, sorted=True)
        probabilities = ops.softmax(logits, axis=-1)
        sorted_probabilities = ops.take_along_axis(probabilities, sorted_indices, axis=-1)
        # A token is in the nucleus if the mass before it is still below p,
        # so the most likely token always is.
        mass_before = ops.cumsum(sorted_probabilities, axis=-1) - sorted_probabilities
        in_nucleus = mass_before < self.p
        choice = self.draw(ops.where(in_nucleus, sorted_logits, float("-inf")))
        return ops.take_along_axis(sorted_indices, choice[:, None], axis=-1)[:, 0]

    def get_config(self):
        return {**super().get_config(), "p": self.p, "k": self.k}
