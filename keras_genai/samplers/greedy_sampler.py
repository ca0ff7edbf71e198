from keras import ops

from keras_genai.samplers.sampler import Sampler


class GreedySampler(Sampler):
    """The most likely token (argmax); deterministic, temperature-free."""

    def __init__(self):
        super().__init__(temperature=1.0, seed=None)

    def select(self, logits):
        return ops.argmax(logits, axis=-1)

    def get_config(self):
        return {}
