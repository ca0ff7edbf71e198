import math

import keras
from keras import ops

from keras_genai.layers.transformer_decoder_block import TransformerDecoderBlock
from keras_genai.models.sequence.language_model import LanguageModel, _check_positive_int


@keras.saving.register_keras_serializable(package="keras_genai")
class GPT(LanguageModel):
    """A decoder-only transformer language model (GPT-2 style).

    Token and learned position embeddings, `num_layers` pre-norm blocks of
    causal self-attention and a GELU MLP, a final layer norm and a linear
    head, tied to the token embedding by default. Initialisation follows
    GPT-2 / nanoGPT: normal(0, 0.02) weights, residual projections scaled
    by `1 / sqrt(2 * num_layers)`.

    Generation keeps a key/value cache of shape `(batch, num_layers, 2,
    sequence_length, num_heads, head_dim)`, so each new token costs one
    position; its logits equal a full recompute. Past `sequence_length`
    tokens it recomputes on the last `sequence_length` (as nanoGPT does).

    Args:
        vocabulary_size: int. Number of token ids.
        sequence_length: int. Context length (number of positions).
            Defaults to `64`.
        num_layers: int. Transformer blocks. Defaults to `4`.
        num_heads: int. Attention heads; must divide `hidden_dim`.
            Defaults to `4`.
        hidden_dim: int. Embedding size. Defaults to `128`.
        intermediate_dim: int or None. MLP width; `4 * hidden_dim` if None.
        dropout: float. Dropout on embeddings, attention weights and
            residual branches. Defaults to `0.0`.
        use_bias: bool. Biases in dense layers and layer norms (nanoGPT's
            `bias`). Defaults to `True`.
        tie_weights: bool. Use the token embedding as the output head.
            Defaults to `True`.
        layer_norm_epsilon: float. Defaults to `1e-5`.
        vocabulary: `CharacterVocabulary`, its config or None.
        seed: int or None.

    Example:

    >>> model = GPT(vocabulary_size=65, sequence_length=32, num_layers=2, hidden_dim=32)
    >>> model(np.zeros((2, 32), "int32")).shape
    (2, 32, 65)
    >>> model.generate(np.array([1, 2, 3]), max_new_tokens=5).shape
    (1, 8)

    Reference:
        Radford et al., 2019, "Language Models are Unsupervised Multitask
        Learners"; Karpathy, nanoGPT (github.com/karpathy/nanoGPT).
    """

    def __init__(self, vocabulary_size, sequence_length=64, num_layers=4, num_heads=4,
                 hidden_dim=128, intermediate_dim=None, dropout=0.0, use_bias=True,
                 tie_weights=True, layer_norm_epsilon=1e-5, vocabulary=None, seed=None, **kwargs):
        super().__init__(vocabulary_size, sequence_length, vocabulary=vocabulary, seed=seed, **kwargs)
        for name, value in (("num_layers", num_layers), ("num_heads", num_heads), ("hidden_dim", hidden_dim)):
            _check_positive_int(name, value)
        if hidden_dim % num_heads:
            raise ValueError(
                f"num_heads must divide hidden_dim={hidden_dim}. Received: num_heads={num_heads}"
            )
        self.num_layers = num_layers
        self.num_heads = num_heads
        self.hidden_dim = hidden_dim
        self.intermediate_dim = intermediate_dim
        self.dropout = dropout
        self.use_bias = use_bias
        self.tie_weights = tie_weights
        self.layer_norm_epsilon = layer_norm_epsilon
        self.max_prompt_length = sequence_length

        # === Layers ===
        embedding = keras.initializers.RandomNormal(stddev=0.02)
        self.token_embedding = keras.layers.Embedding(
            vocabulary_size, hidden_dim, embeddings_initializer=embedding, name="token_embedding"
        )
        self.position_embedding = keras.layers.Embedding(
            sequence_length, hidden_dim, embeddings_initializer=embedding, name="position_embedding"
        )
        self.embedding_dropout = keras.layers.Dropout(dropout)
        self.blocks = [
            TransformerDecoderBlock(
                num_heads, intermediate_dim or 4 * hidden_dim, dropout=dropout, use_bias=use_bias,
                layer_norm_epsilon=layer_norm_epsilon, initializer_range=0.02,
                output_initializer_range=0.02 / math.sqrt(2 * num_layers), name=f"block_{i}",
            )
            for i in range(num_layers)
        ]
        self.final_norm = keras.layers.LayerNormalization(
            epsilon=layer_norm_epsilon, center=use_bias, name="final_norm"
        )
        self.head = None
        if not tie_weights:
            self.head = keras.layers.Dense(
                vocabulary_size, use_bias=False, kernel_initializer=embedding, name="head"
            )
        self.build((None, sequence_length))

    def build(self, input_shape):
        shape = (None, self.sequence_length, self.hidden_dim)
        self.token_embedding.build(input_shape)
        self.position_embedding.build((self.sequence_length,))
        for block in self.blocks:
            block.build(shape)
        self.final_norm.build(shape)
        if self.head is not None:
            self.head.build(shape)
        self.built = True

    def embed(self, token_ids, start=0, training=None):
        positions = ops.arange(ops.shape(token_ids)[1]) + start
        x = self.token_embedding(token_ids) + ops.expand_dims(self.position_embedding(positions), 0)
        return self.embedding_dropout(x, training=training)

    def logits(self, hidden):
        hidden = self.final_norm(hidden)
        if self.head is not None:
            return self.head(hidden)
        embeddings = ops.cast(self.token_embedding.embeddings, hidden.dtype)
        return ops.matmul(hidden, ops.transpose(embeddings))

    def call(self, token_ids, training=None):
        length = token_ids.shape[1]
        if length is not None and length > self.sequence_length:
            raise ValueError(
                f"GPT has {self.sequence_length} positions (sequence_length). "
                f"Received: token_ids with shape={tuple(token_ids.shape)}"
            )
        x = self.embed(token_ids, training=training)
        for block in self.blocks:
            x = block(x, training=training)
        return self.logits(x)

    def call_with_cache(self, token_ids, cache, cache_update_index):
        """Logits of `token_ids` at positions from `cache_update_index`, and the updated cache."""
        x = self.embed(token_ids, cache_update_index)
        caches = []
        for i, block in enumerate(self.blocks):
            x, layer_cache = block(x, cache=cache[:, i], cache_update_index=cache_update_index)
            caches.append(layer_cache)
        return self.logits(x), ops.stack(caches, axis=1)

    def empty_cache(self, batch_size):
        head_dim = self.hidden_dim // self.num_heads
        shape = (batch_size, self.num_layers, 2, self.sequence_length, self.num_heads, head_dim)
        return ops.zeros(shape, self.compute_dtype)

    def start_state(self, tokens):
        step = self.traced("call_with_cache")
        logits, cache = step(tokens, self.empty_cache(len(tokens)), ops.convert_to_tensor(0, "int32"))
        return logits[:, -1], cache

    def next_logits(self, tokens, state):
        position = tokens.shape[1] - 1
        if position >= self.sequence_length:
            # Past the context: recompute on the last `sequence_length` tokens.
            return self.start_state(tokens[:, -self.sequence_length :])[0], state
        step = self.traced("call_with_cache")
        logits, cache = step(tokens[:, -1:], state, ops.convert_to_tensor(position, "int32"))
        return logits[:, -1], cache
