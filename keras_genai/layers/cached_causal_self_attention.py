import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_genai")
class CachedCausalSelfAttention(keras.layers.MultiHeadAttention):
    """Causal multi-head self-attention with an optional key/value cache.

    A `keras.layers.MultiHeadAttention` that attends from a sequence to
    itself under a causal mask. Without a cache it is the parent's call with
    `use_causal_mask=True` (the fused `ops.dot_product_attention` kernel
    when dropout is 0). With a cache it projects only the new positions,
    writes their keys and values into the cache at `cache_update_index` and
    lets each new position attend to every cached position up to its own,
    so incremental decoding gives the logits of a full recompute.

    Args:
        num_heads: int. Number of attention heads.
        key_dim: int. Size of each head.
        output_kernel_initializer: initializer or None. Initializer of the
            output projection (GPT-2 scales it by `1/sqrt(2 * num_layers)`).
            Defaults to `kernel_initializer`.
        **kwargs: the other `keras.layers.MultiHeadAttention` arguments
            (`dropout`, `use_bias`, `kernel_initializer`, ...).

    Call arguments:
        inputs: `(batch, length, dim)`.
        cache: None or `(batch, 2, max_length, num_heads, key_dim)`: keys
            and values of all positions so far.
        cache_update_index: int or scalar tensor. Position of `inputs[:, 0]`.
        training: bool.

    Returns `outputs` without a cache, `(outputs, cache)` with one.

    Example:

    >>> layer = CachedCausalSelfAttention(num_heads=2, key_dim=8)
    >>> layer(np.zeros((1, 5, 16))).shape
    (1, 5, 16)
    """

    def __init__(self, num_heads, key_dim, output_kernel_initializer=None, **kwargs):
        super().__init__(num_heads, key_dim, **kwargs)
        self.output_kernel_initializer = (
            None if output_kernel_initializer is None
            else keras.initializers.get(output_kernel_initializer)
        )

    def build(self, inputs_shape, *args):
        super().build(inputs_shape, inputs_shape)

    def _make_output_dense(self, query_shape, common_kwargs, name=None):
        if self.output_kernel_initializer is not None:
            initializer = self.output_kernel_initializer
            common_kwargs = dict(
                common_kwargs,
                kernel_initializer=initializer.__class__.from_config(initializer.get_config()),
            )
        return super()._make_output_dense(query_shape, common_kwargs, name)

    def call(self, inputs, cache=None, cache_update_index=0, training=None):
        if cache is None:
            return super().call(inputs, inputs, training=training, use_causal_mask=True)
        query = self._query_dense(inputs)
        start = [0, cache_update_index, 0, 0]
        key_cache = ops.slice_update(cache[:, 0], start, ops.cast(self._key_dense(inputs), cache.dtype))
        value_cache = ops.slice_update(cache[:, 1], start, ops.cast(self._value_dense(inputs), cache.dtype))
        query_positions = ops.arange(ops.shape(inputs)[1]) + cache_update_index
        key_positions = ops.arange(ops.shape(key_cache)[1])
        # (1, length, max_length): new position i sees cached positions <= i.
        mask = ops.expand_dims(query_positions, 1) >= ops.expand_dims(key_positions, 0)
        outputs, _ = self._compute_attention(
            query, key_cache, value_cache, attention_mask=mask[None], training=training
        )
        return self._output_dense(outputs), ops.stack([key_cache, value_cache], axis=1)

    def compute_output_spec(self, inputs, cache=None, cache_update_index=0, training=None):
        # The parent's spec takes (query, value); self-attention has one input.
        outputs = super().compute_output_spec(inputs, inputs)
        if cache is None:
            return outputs
        return outputs, keras.KerasTensor(cache.shape, cache.dtype)

    def get_config(self):
        config = super().get_config()
        config["output_kernel_initializer"] = (
            None if self.output_kernel_initializer is None
            else keras.initializers.serialize(self.output_kernel_initializer)
        )
        return config
