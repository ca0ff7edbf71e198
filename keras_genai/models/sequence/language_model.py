"""The base of token language models: next-token loss, checks, generation."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_genai import samplers as samplers_lib
from keras_genai.data.character_vocabulary import CharacterVocabulary
from keras_genai.models.generative_model import GenerativeModel


def _check_positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1. Received: {name}={value!r}")


@keras.saving.register_keras_serializable(package="keras_genai")
class LanguageModel(GenerativeModel):
    """Base of autoregressive token models (`GPT`, `RNNLanguageModel`).

    A subclass maps token ids `(batch, length)` to next-token logits
    `(batch, length, vocabulary_size)` in `call`, and implements
    `start_state(tokens)` / `next_logits(tokens, state)` for incremental
    generation. Training data are int windows `(batch, length + 1)`: the
    first `length` ids are inputs, the last `length` their targets (or
    `(inputs, targets)` pairs); the loss is the mean cross-entropy in nats.

    Args:
        vocabulary_size: int. Number of token ids.
        sequence_length: int. Longest input window (GPT: its context).
        vocabulary: `CharacterVocabulary`, its config dict, or None. Kept in
            the config so a saved model encodes and decodes text itself.
        seed: int or None. Seed of the model's `SeedGenerator`.
    """

    tracker_names = ("loss",)
    value_range = None
    input_kind = "tokens"
    # Prompts longer than this raise; None means any length (recurrent models).
    max_prompt_length = None

    def __init__(self, vocabulary_size, sequence_length, vocabulary=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        _check_positive_int("vocabulary_size", vocabulary_size)
        _check_positive_int("sequence_length", sequence_length)
        if isinstance(vocabulary, CharacterVocabulary):
            vocabulary = vocabulary.get_config()
        if vocabulary is not None and CharacterVocabulary.from_config(vocabulary).size != vocabulary_size:
            raise ValueError(
                f"The vocabulary has {CharacterVocabulary.from_config(vocabulary).size} tokens but "
                f"the model {vocabulary_size}. Received: vocabulary_size={vocabulary_size}"
            )
        self.vocabulary_size = int(vocabulary_size)
        self.sequence_length = int(sequence_length)
        self.vocabulary = vocabulary

    def get_vocabulary(self):
        if self.vocabulary is None:
            raise ValueError(
                f"This {type(self).__name__} was built without a vocabulary, so it takes and "
                "returns token ids only. Build it with vocabulary=CharacterVocabulary(...) to use text."
            )
        return CharacterVocabulary.from_config(self.vocabulary)

    # === Training ===

    def compute_losses(self, x, y=None, training=False):
        x = ops.cast(x, "int32")
        inputs, targets = (x[:, :-1], x[:, 1:]) if y is None else (x, ops.cast(y, "int32"))
        logits = ops.cast(self(inputs, training=training), "float32")
        loss = keras.losses.sparse_categorical_crossentropy(targets, logits, from_logits=True)
        return {"loss": ops.mean(loss)}

    def default_optimizers(self, learning_rate=None, weight_decay=0.1, beta_2=0.99):
        """nanoGPT's AdamW: beta_2 0.99, weight decay 0.1 on matrices and
        embeddings only (not biases or norms), epsilon 1e-8 (torch's),
        global gradient norm clip 1.

        `learning_rate` may be a float or a `LearningRateSchedule`.
        """
        optimizer = keras.optimizers.AdamW(
            1e-3 if learning_rate is None else learning_rate, weight_decay=weight_decay,
            beta_2=beta_2, epsilon=1e-8, global_clipnorm=1.0,
        )
        optimizer.exclude_from_weight_decay(var_list=[v for v in self.trainable_variables if len(v.shape) < 2])
        return {"optimizer": optimizer}

    def check_data(self, x, y=None):
        what = (
            f"{type(self).__name__} trains on int token windows of shape (batch, length + 1), "
            f"length <= sequence_length={self.sequence_length}, ids in [0, {self.vocabulary_size})"
        )
        if x is None:
            return
        if isinstance(x, tf.data.Dataset):
            spec = x.element_spec
            spec = spec[0] if isinstance(spec, tuple) else spec
            shape, dtype = tuple(spec.shape), spec.dtype
        else:
            shape, dtype = np.shape(x), tf.as_dtype(getattr(x, "dtype", np.asarray(x).dtype))
        # Windows hold inputs and targets (one longer); pairs hold inputs only.
        shortest, longest = (2, self.sequence_length + 1) if y is None else (1, self.sequence_length)
        if len(shape) != 2 or not dtype.is_integer or (
            shape[1] is not None and not shortest <= shape[1] <= longest
        ):
            raise ValueError(
                f"{what}. Received: data with shape={tuple(shape)}, dtype={dtype.name}. "
                "Make windows with keras_genai.data.text_dataset / token_windows."
            )
        if not isinstance(x, tf.data.Dataset):
            values = np.asarray(x)
            if values.size and (values.min() < 0 or values.max() >= self.vocabulary_size):
                raise ValueError(f"{what}. Received: ids in [{values.min()}, {values.max()}]")

    # === Generation ===

    def traced(self, method_name, reduce_retracing=True):
        """`tf.function` of a generation method, made once per model.

        Per-token eager calls would dominate generation time.
        """
        functions = self.__dict__.setdefault("_traced_functions", {})
        if method_name not in functions:
            functions[method_name] = tf.function(getattr(self, method_name), reduce_retracing=reduce_retracing)
        return functions[method_name]

    def start_state(self, tokens):
        """`(logits of the last position (batch, vocab), state)` for a prompt."""
        raise NotImplementedError

    def next_logits(self, tokens, state):
        """Logits after `tokens` (all ids so far, the last one new) and the new state."""
        raise NotImplementedError

    def check_prompt(self, prompt):
        """A prompt (str or ids) as int32 ids `(batch, length)`."""
        if isinstance(prompt, str):
            prompt = self.get_vocabulary().encode(prompt)
        tokens = np.asarray(prompt)
        if tokens.ndim == 1:
            tokens = tokens[None]
        if tokens.ndim != 2 or tokens.shape[1] < 1 or not np.issubdtype(tokens.dtype, np.integer):
            raise ValueError(
                "The prompt must be a non-empty str or int ids of shape (length,) or "
                f"(batch, length). Received: prompt with shape={tokens.shape}, dtype={tokens.dtype}"
            )
        if tokens.min() < 0 or tokens.max() >= self.vocabulary_size:
            raise ValueError(
                f"Prompt ids must be in [0, {self.vocabulary_size}). "
                f"Received: ids in [{tokens.min()}, {tokens.max()}]"
            )
        if self.max_prompt_length is not None and tokens.shape[1] > self.max_prompt_length:
            raise ValueError(
                f"The prompt has {tokens.shape[1]} tokens but {type(self).__name__}'s context is "
                f"{self.max_prompt_length} (sequence_length). Shorten the prompt, e.g. to its last "
                f"{self.max_prompt_length} characters. Received: prompt of length {tokens.shape[1]}"
            )
        return tokens.astype(np.int32)

    def generate(self, prompt, max_new_tokens=100, sampler="greedy"):
        """Continues `prompt` by `max_new_tokens` sampled tokens.

        Args:
            prompt: str (needs the model's vocabulary), or int ids of shape
                `(length,)` or `(batch, length)`.
            max_new_tokens: int >= 1.
            sampler: a `keras_genai.samplers.Sampler` or a name
                (`"greedy"`, `"random"`, `"top_k"`, `"top_p"`).

        Returns:
            The prompt and its continuation: a str for a str prompt, else
            int32 ids `(batch, length + max_new_tokens)`.
        """
        _check_positive_int("max_new_tokens", max_new_tokens)
        sampler = samplers_lib.get(sampler)
        tokens = self.check_prompt(prompt)
        logits, state = self.start_state(tokens)
        for step in range(max_new_tokens):
            new = np.asarray(sampler(logits), np.int32)[:, None]
            tokens = np.concatenate([tokens, new], axis=1)
            if step + 1 < max_new_tokens:
                logits, state = self.next_logits(tokens, state)
        if isinstance(prompt, str):
            return self.get_vocabulary().decode(tokens[0])
        return tokens

    # === Export ===

    def serving_endpoints(self):
        """`next_token`: a fixed window of ids `(batch, sequence_length)` ->
        logits `(batch, sequence_length, vocabulary_size)`.

        Causality makes position `i`'s logits depend on ids `0..i` only, so a
        shorter context is right-padded with any id and read at its last
        position (see `keras_genai.export.litert_generate`).
        """
        tokens = keras.Input((self.sequence_length,), dtype="int32", name="tokens")
        return {"next_token": keras.Model([tokens], self.float32_output(self(tokens)), name="next_token")}

    def example_tokens(self, num, length, data=None, seed=0):
        """`(num, length)` int32 ids: the windows of `data` (cut, or right-padded with
        random ids), or random ids without data."""
        tokens = np.random.default_rng(seed).integers(0, self.vocabulary_size, size=(num, length))
        if data is not None:
            data = np.asarray(data)[:num, :length]
            tokens = tokens[: len(data)]
            tokens[:, : data.shape[1]] = data
        return tokens.astype(np.int32)

    def example_inputs(self, endpoint, num=16, data=None, seed=0):
        if endpoint == "next_token":
            return {"tokens": self.example_tokens(num, self.sequence_length, data, seed)}
        return super().example_inputs(endpoint, num, data, seed)
