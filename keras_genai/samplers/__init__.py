"""Next-token samplers: greedy, temperature (random), top-k, top-p."""

from keras_genai import _backend  # noqa: F401  TensorFlow installed, Keras on it

from keras_genai.samplers.greedy_sampler import GreedySampler
from keras_genai.samplers.random_sampler import RandomSampler
from keras_genai.samplers.sampler import Sampler
from keras_genai.samplers.top_k_sampler import TopKSampler
from keras_genai.samplers.top_p_sampler import TopPSampler

SAMPLERS = {"greedy": GreedySampler, "random": RandomSampler, "top_k": TopKSampler, "top_p": TopPSampler}


def get(identifier="greedy", **kwargs):
    """A sampler from a name (`"greedy"`, `"random"`, `"top_k"`, `"top_p"`) or itself."""
    if isinstance(identifier, Sampler):
        return identifier
    if identifier not in SAMPLERS:
        raise ValueError(f"Unknown sampler. Expected one of {list(SAMPLERS)}. Received: {identifier!r}")
    return SAMPLERS[identifier](**kwargs)


def from_options(temperature=None, top_k=None, top_p=None, seed=None):
    """The sampler the CLI's flags describe.

    top_p (optionally capped at top_k) > top_k > temperature; with none of
    them, greedy decoding.
    """
    if top_p is not None:
        return TopPSampler(top_p, k=top_k, temperature=1.0 if temperature is None else temperature, seed=seed)
    if top_k is not None:
        return TopKSampler(top_k, temperature=1.0 if temperature is None else temperature, seed=seed)
    if temperature is not None:
        return RandomSampler(temperature, seed=seed)
    return GreedySampler()
