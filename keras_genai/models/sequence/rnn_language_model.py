import keras
import numpy as np
from keras import ops

from keras_genai.models.sequence.language_model import LanguageModel, _check_positive_int

CELLS = {"rnn": keras.layers.SimpleRNN, "gru": keras.layers.GRU, "lstm": keras.layers.LSTM}


@keras.saving.register_keras_serializable(package="keras_genai")
class RNNLanguageModel(LanguageModel):
    """A recurrent character language model (char-rnn): embedding, stacked
    SimpleRNN / GRU / LSTM layers and a linear head.

    Generation carries the recurrent states, so each new token costs one
    step and prompts may be of any length; `sequence_length` is the
    training window and the exported `next_token` window. The exported
    `next_token_state` step carries the states as tensors instead, so a
    loop over it generates exactly like `generate`, past the window too.
    The recurrence is unrolled over each (static-length) input, so the
    exported graphs have no while loop and LiteRT runs them with builtin
    ops only.

    Args:
        vocabulary_size: int. Number of token ids.
        sequence_length: int. Training / export window. Defaults to `64`.
        cell: str. `"rnn"`, `"gru"` or `"lstm"`. Defaults to `"lstm"`.
        units: int. State size of each recurrent layer. Defaults to `256`.
        num_layers: int. Stacked recurrent layers. Defaults to `1`.
        embedding_dim: int or None. Token embedding size; `units` if None.
        dropout: float. Dropout between layers (on embeddings and each
            layer's outputs). Defaults to `0.0`.
        vocabulary: `CharacterVocabulary`, its config or None.
        seed: int or None.

    Example:

    >>> model = RNNLanguageModel(vocabulary_size=65, cell="gru", units=32)
    >>> model(np.zeros((2, 10), "int32")).shape
    (2, 10, 65)

    Reference:
        Karpathy, 2015, "The Unreasonable Effectiveness of Recurrent Neural
        Networks" (char-rnn); Hochreiter & Schmidhuber, 1997 (LSTM);
        Cho et al., 2014 (GRU).
    """

    def __init__(self, vocabulary_size, sequence_length=64, cell="lstm", units=256, num_layers=1,
                 embedding_dim=None, dropout=0.0, vocabulary=None, seed=None, **kwargs):
        super().__init__(vocabulary_size, sequence_length, vocabulary=vocabulary, seed=seed, **kwargs)
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {sorted(CELLS)}. Received: cell={cell!r}")
        _check_positive_int("units", units)
        _check_positive_int("num_layers", num_layers)
        self.cell = cell
        self.units = units
        self.num_layers = num_layers
        self.embedding_dim = embedding_dim
        self.dropout = dropout

        # === Layers ===
        self.token_embedding = keras.layers.Embedding(vocabulary_size, embedding_dim or units,
                                                      name="token_embedding")
        self.recurrent_layers = [
            CELLS[cell](units, return_sequences=True, return_state=True, unroll=True, name=f"{cell}_{i}")
            for i in range(num_layers)
        ]
        self.dropout_layer = keras.layers.Dropout(dropout)
        self.head = keras.layers.Dense(vocabulary_size, name="head")
        self.build((None, sequence_length))

    def build(self, input_shape):
        self.token_embedding.build(input_shape)
        shape = (None, None, self.embedding_dim or self.units)
        for layer in self.recurrent_layers:
            layer.build(shape)
            shape = (None, None, self.units)
        self.head.build(shape)
        self.built = True

    def call_with_state(self, token_ids, states=None, training=None):
        """Logits of `token_ids` continuing from `states` (one list per layer), and the new states."""
        x = self.dropout_layer(self.token_embedding(token_ids), training=training)
        new_states = []
        for i, layer in enumerate(self.recurrent_layers):
            x, *state = layer(x, initial_state=None if states is None else states[i], training=training)
            new_states.append(state)
            x = self.dropout_layer(x, training=training)
        return self.head(x), new_states

    def call(self, token_ids, training=None):
        return self.call_with_state(token_ids, training=training)[0]

    def start_state(self, tokens):
        # Unrolling needs static lengths: one trace per prompt length.
        logits, states = self.traced("call_with_state", reduce_retracing=False)(ops.convert_to_tensor(tokens))
        return logits[:, -1], states

    def next_logits(self, tokens, state):
        step = self.traced("call_with_state", reduce_retracing=False)
        logits, states = step(ops.convert_to_tensor(tokens[:, -1:]), state)
        return logits[:, -1], states

    # === Export ===

    def state_names(self):
        """Names of the recurrent state tensors, layer by layer: `state_{i}_h`
        (and `state_{i}_c`, the LSTM cell state), each `(batch, units)`."""
        parts = ("h", "c") if self.cell == "lstm" else ("h",)
        return [f"state_{i}_{part}" for i in range(self.num_layers) for part in parts]

    def serving_endpoints(self):
        """`next_token` (the fixed window, see `LanguageModel`) and
        `next_token_state`: `token_id (batch, 1)` int32 and the states by
        name (`state_names()`, float32 `(batch, units)`, zeros to start) ->
        `logits (batch, vocabulary_size)` and the new states under the same
        names. Feeding a prompt token by token from zero states, then each
        greedy token, gives `generate`'s text (`keras_genai.export.greedy_generate`).
        """
        endpoints = super().serving_endpoints()
        token_id = keras.Input((1,), dtype="int32", name="token_id")
        names = self.state_names()
        flat = [keras.Input((self.units,), dtype="float32", name=name) for name in names]
        per_layer = len(flat) // self.num_layers
        states = [flat[i * per_layer:(i + 1) * per_layer] for i in range(self.num_layers)]
        logits, new_states = self.call_with_state(token_id, states)
        outputs = {"logits": self.float32_output(logits[:, -1])}
        new_flat = [tensor for layer_states in new_states for tensor in layer_states]
        outputs.update({name: self.float32_output(t) for name, t in zip(names, new_flat)})
        endpoints["next_token_state"] = keras.Model([token_id] + flat, outputs, name="next_token_state")
        return endpoints

    def example_inputs(self, endpoint, num=16, data=None, seed=0):
        if endpoint != "next_token_state":
            return super().example_inputs(endpoint, num, data, seed)
        # The states a prompt (the first half of each window) leaves, and the token after it.
        prompt_length = max(1, self.sequence_length // 2)
        tokens = self.example_tokens(num, prompt_length + 1, data, seed)
        _, states = self.call_with_state(tokens[:, :prompt_length])
        flat = [np.asarray(ops.convert_to_numpy(t), np.float32) for layer in states for t in layer]
        return {"token_id": tokens[:, prompt_length:], **dict(zip(self.state_names(), flat))}
