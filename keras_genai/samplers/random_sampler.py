from keras_genai.samplers.sampler import Sampler


class RandomSampler(Sampler):
    """A draw from the full softmax of `logits / temperature`.

    Args:
        temperature: float > 0. Defaults to `1.0`.
        seed: int or None.
    """

    def select(self, logits):
        return self.draw(logits)
