import keras
from keras import ops

from keras_genai.layers.cached_causal_self_attention import CachedCausalSelfAttention


@keras.saving.register_keras_serializable(package="keras_genai")
class TransformerDecoderBlock(keras.layers.Layer):
    """A pre-norm decoder-only transformer block (GPT-2).

    `x + attention(norm(x))`, then `x + mlp(norm(x))`, with causal
    self-attention, a GELU MLP and dropout on both residual branches.

    Args:
        num_heads: int. Attention heads; must divide `hidden_dim`.
        intermediate_dim: int. Width of the MLP's hidden layer.
        dropout: float. Dropout on attention weights and on both residual
            branches. Defaults to `0.0`.
        use_bias: bool. Biases in dense layers and layer norms. Defaults to
            `True`.
        layer_norm_epsilon: float. Defaults to `1e-5`.
        initializer_range: float. Standard deviation of the normal kernel
            initializer. Defaults to `0.02`.
        output_initializer_range: float or None. Standard deviation for the
            kernels that write into the residual stream (attention output
            and MLP output). Defaults to `initializer_range`.

    Call arguments: `inputs` `(batch, length, hidden_dim)`, and optionally
    `cache` / `cache_update_index` as in `CachedCausalSelfAttention`;
    returns `outputs`, or `(outputs, cache)` with a cache.

    Example:

    >>> block = TransformerDecoderBlock(num_heads=2, intermediate_dim=64)
    >>> block(np.zeros((1, 5, 16))).shape
    (1, 5, 16)
    """

    def __init__(self, num_heads, intermediate_dim, dropout=0.0, use_bias=True,
                 layer_norm_epsilon=1e-5, initializer_range=0.02,
                 output_initializer_range=None, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1). Received: dropout={dropout}")
        self.num_heads = num_heads
        self.intermediate_dim = intermediate_dim
        self.dropout = dropout
        self.use_bias = use_bias
        self.layer_norm_epsilon = layer_norm_epsilon
        self.initializer_range = initializer_range
        self.output_initializer_range = output_initializer_range

    def build(self, inputs_shape):
        hidden_dim = inputs_shape[-1]
        if hidden_dim % self.num_heads:
            raise ValueError(
                f"num_heads must divide the hidden size {hidden_dim}. Received: num_heads={self.num_heads}"
            )
        kernel = keras.initializers.RandomNormal(stddev=self.initializer_range)
        output_kernel = keras.initializers.RandomNormal(
            stddev=self.output_initializer_range or self.initializer_range
        )
        norm_kwargs = dict(epsilon=self.layer_norm_epsilon, center=self.use_bias, dtype=self.dtype_policy)
        self.attention_norm = keras.layers.LayerNormalization(name="attention_norm", **norm_kwargs)
        self.attention_norm.build(inputs_shape)
        self.attention = CachedCausalSelfAttention(
            self.num_heads, hidden_dim // self.num_heads, dropout=self.dropout,
            use_bias=self.use_bias, kernel_initializer=kernel,
            output_kernel_initializer=output_kernel, dtype=self.dtype_policy, name="attention",
        )
        self.attention.build(inputs_shape)
        self.mlp_norm = keras.layers.LayerNormalization(name="mlp_norm", **norm_kwargs)
        self.mlp_norm.build(inputs_shape)
        self.mlp_in = keras.layers.Dense(
            self.intermediate_dim, use_bias=self.use_bias, kernel_initializer=kernel,
            dtype=self.dtype_policy, name="mlp_in",
        )
        self.mlp_in.build(inputs_shape)
        self.mlp_out = keras.layers.Dense(
            hidden_dim, use_bias=self.use_bias, kernel_initializer=output_kernel,
            dtype=self.dtype_policy, name="mlp_out",
        )
        self.mlp_out.build(tuple(inputs_shape[:-1]) + (self.intermediate_dim,))
        self.residual_dropout = keras.layers.Dropout(self.dropout)

    def call(self, inputs, cache=None, cache_update_index=0, training=None):
        hidden = self.attention_norm(inputs)
        if cache is None:
            attended = self.attention(hidden, training=training)
        else:
            attended, cache = self.attention(
                hidden, cache=cache, cache_update_index=cache_update_index, training=training
            )
        x = inputs + self.residual_dropout(attended, training=training)
        hidden = ops.gelu(self.mlp_in(self.mlp_norm(x)), approximate=False)
        x = x + self.residual_dropout(self.mlp_out(hidden), training=training)
        return x if cache is None else (x, cache)

    def compute_output_shape(self, inputs_shape):
        return inputs_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            num_heads=self.num_heads, intermediate_dim=self.intermediate_dim,
            dropout=self.dropout, use_bias=self.use_bias,
            layer_norm_epsilon=self.layer_norm_epsilon,
            initializer_range=self.initializer_range,
            output_initializer_range=self.output_initializer_range,
        )
        return config
