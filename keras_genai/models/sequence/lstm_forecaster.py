import keras

from keras_genai.models.sequence.forecaster import Forecaster

CELLS = {"rnn": keras.layers.SimpleRNN, "gru": keras.layers.GRU, "lstm": keras.layers.LSTM}


@keras.saving.register_keras_serializable(package="keras_genai")
class LSTMForecaster(Forecaster):
    """Recurrent multi-step forecaster (simple RNN, GRU or LSTM cells).

    Reads a window of `lags` standardised (differenced) values as a sequence
    of length `lags`, runs `num_layers` recurrent layers and maps the last
    state with one `Dense(horizon)` to the next `horizon` values at once
    (direct multi-output forecasting: no feedback within the horizon).
    Longer forecasts feed those blocks back in, `horizon` values at a time.
    Differencing (`d`, `seasonal_d`, `period`) works as for `AutoRegressive`.

    Args:
        cell: str. `"lstm"`, `"gru"` or `"rnn"` (Elman). Defaults to `"lstm"`.
        units: int. State size of each recurrent layer. Defaults to `32`.
        num_layers: int. Stacked recurrent layers. Defaults to `1`.
        dropout: float. Input dropout of each recurrent layer.
            Defaults to `0.0`.
        lags: int. Window length. Defaults to `8`.
        horizon: int. Values predicted per call (and by the exported
            `forecast` endpoint). Defaults to `1`.
        d: int. Lag-1 differences. Defaults to `0`.
        seasonal_d: int. Seasonal differences. Defaults to `0`.
        period: int or None. Season length. Defaults to `None`.
        seed: int or None. Defaults to `None`.

    Example:

    ```python
    model = keras_genai.models.LSTMForecaster(cell="gru", lags=24, horizon=12)
    model.adapt(train_series)
    model.compile(**model.default_optimizers())
    model.fit(model.windows(train_series), epochs=50)
    model.forecast(train_series, horizon=12)
    ```

    Reference: Hochreiter & Schmidhuber, "Long Short-Term Memory", Neural
    Computation 1997; Cho et al., "Learning Phrase Representations using RNN
    Encoder-Decoder", 2014 (GRU).
    """

    def __init__(self, cell="lstm", units=32, num_layers=1, dropout=0.0, **kwargs):
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {sorted(CELLS)}. Received: cell={cell!r}")
        if int(units) != units or units < 1 or int(num_layers) != num_layers or num_layers < 1:
            raise ValueError(
                f"units and num_layers must be positive integers. Received: units={units}, "
                f"num_layers={num_layers}"
            )
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must be in [0, 1). Received: dropout={dropout}")
        super().__init__(**kwargs)
        # === Layers ===
        window = keras.Input((self.lags,), name="window")
        h = keras.layers.Reshape((self.lags, 1))(window)
        for i in range(num_layers):
            # Unrolled over the short, fixed window: LiteRT then needs no
            # TF-select (TensorList) ops for the loop.
            h = CELLS[cell](
                units, return_sequences=i < num_layers - 1, dropout=dropout, unroll=True,
                seed=None if self.seed is None else self.seed + i, name=f"{cell}_{i}",
            )(h)
        outputs = keras.layers.Dense(self.horizon, dtype="float32", name="head")(h)
        # === Functional Model ===
        self.network = keras.Model(window, outputs, name="network")
        # === Config ===
        self.cell = cell
        self.units = int(units)
        self.num_layers = int(num_layers)
        self.dropout = dropout
        self.built = True

    @property
    def output_steps(self):
        return self.horizon
