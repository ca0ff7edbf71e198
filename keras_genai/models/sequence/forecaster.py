import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_genai.data.series import check_series, series_window_arrays, series_windows
from keras_genai.models.generative_model import GenerativeModel, _describe
from keras_genai.models.sequence.differencing import (
    difference_lags,
    difference_levels,
    integrate,
    undifference,
)


@keras.saving.register_keras_serializable(package="keras_genai")
class Forecaster(GenerativeModel):
    """Base of the series forecasters: differencing, standardisation, forecasts.

    A series `y` is differenced `seasonal_d` times at lag `period` and `d`
    times at lag 1 into `z`; `z` is standardised with statistics from
    `adapt(series)`, kept in two `keras.layers.Normalization` layers (so
    `.keras` files and exports take raw values). Subclasses build
    `self.network`: a `(batch, lags)` window of standardised `z` ->
    the next `output_steps` standardised values. Training minimises their
    mean squared error on `(window, target)` pairs from `windows(series)`.

    `forecast(history, horizon)` feeds predictions back in blocks of
    `output_steps` until `horizon` values exist, then inverts the
    differencing exactly from the end of `history`.

    Args:
        lags: int. Window length `p` (in differenced values).
        horizon: int. Steps the exported `forecast` endpoint returns, and the
            default of `forecast`.
        d: int. Number of lag-1 differences (the `d` of ARIMA(p, d, 0)).
        seasonal_d: int. Number of seasonal differences (SARIMA's `D`).
        period: int or None. Season length `s`; needed when `seasonal_d > 0`.
        seed: int or None.
    """

    needs_labels = True
    value_range = None
    input_kind = "series"

    def __init__(self, lags=8, horizon=1, d=0, seasonal_d=0, period=None, **kwargs):
        super().__init__(**kwargs)
        for name, value, low in (("lags", lags, 1), ("horizon", horizon, 1), ("d", d, 0),
                                 ("seasonal_d", seasonal_d, 0)):
            if int(value) != value or value < low:
                raise ValueError(f"{name} must be an integer >= {low}. Received: {name}={value}")
        difference_lags(d, seasonal_d, period)  # checks that seasonal_d has its period
        if period is not None and period < 1:
            raise ValueError(f"period must be a positive integer or None. Received: period={period}")
        self.lags = int(lags)
        self.horizon = int(horizon)
        self.d = int(d)
        self.seasonal_d = int(seasonal_d)
        self.period = None if period is None else int(period)
        # === Layers ===
        self.normalizer = keras.layers.Normalization(axis=None, name="normalizer")
        self.denormalizer = keras.layers.Normalization(axis=None, invert=True, name="denormalizer")
        self.normalizer.build((None, self.lags))
        self.denormalizer.build((None, self.output_steps))

    @property
    def output_steps(self):
        """Differenced values one network call predicts."""
        return 1

    @property
    def difference_lags(self):
        return difference_lags(self.d, self.seasonal_d, self.period)

    @property
    def history_length(self):
        """Values of the raw series one forecast needs: lags + d + D * s."""
        return self.lags + sum(self.difference_lags)

    # === Data ===

    def transform(self, series):
        """The differenced series `z` (float64 numpy)."""
        return np.asarray(difference_levels(np.asarray(series, np.float64), self.difference_lags)[-1])

    def check_series(self, series, extra=0, name="series"):
        return check_series(series, self.history_length + extra, name)

    def adapt(self, series):
        """Sets the standardisation from the differenced training series."""
        z = self.transform(self.check_series(series, self.output_steps))
        self.normalizer.adapt(z[:, None])
        self.denormalizer.adapt(z[:, None])
        return self

    def window_arrays(self, series):
        """`(windows, targets)` float64 arrays of the differenced series."""
        return series_window_arrays(
            self.transform(self.check_series(series, self.output_steps)), self.lags, self.output_steps
        )

    def windows(self, series, batch_size=32, shuffle=True, seed=None):
        """A tf.data pipeline of `(window, target)` pairs for `fit`."""
        z = self.transform(self.check_series(series, self.output_steps))
        return series_windows(z, self.lags, self.output_steps, batch_size, shuffle, seed)

    def check_data(self, x, y=None):
        if x is None:
            return
        what = (
            f"{type(self).__name__} trains on (window, target) pairs of shapes (batch, {self.lags}) "
            f"and (batch, {self.output_steps}) from model.windows(series)"
        )
        if isinstance(x, tf.data.Dataset):
            spec = x.element_spec
            if not isinstance(spec, tuple) or len(spec) < 2:
                raise ValueError(f"{what}. Received {_describe(x)} without targets.")
            shapes = [tuple(s.shape)[1:] for s in spec[:2]]
        else:
            if y is None:
                raise ValueError(f"{what}. Received {_describe(x)} without targets (y=None).")
            shapes = [tuple(np.shape(x))[1:], tuple(np.shape(y))[1:]]
            for values in (x, y):
                values = np.asarray(values, np.float64)
                if not np.all(np.isfinite(values)):
                    raise ValueError(
                        f"The windows hold {int(np.sum(~np.isfinite(values)))} NaN or infinite "
                        "values; clean the series first."
                    )
        if shapes[0] != (self.lags,) or shapes[1] not in ((self.output_steps,), ()) or (
            shapes[1] == () and self.output_steps != 1
        ):
            raise ValueError(f"{what}. Received shapes {shapes[0]} and {shapes[1]}.")

    # === Model ===

    def predict_block(self, windows, training=False):
        """Next `output_steps` differenced values after each raw-unit window."""
        return self.denormalizer(self.network(self.normalizer(windows), training=training))

    def call(self, windows, training=False):
        return self.predict_block(windows, training=training)

    def compute_losses(self, x, y=None, training=False):
        if y is None:
            raise ValueError(f"{type(self).__name__} needs targets: pass (window, target) pairs.")
        predicted = ops.cast(self.network(self.normalizer(x), training=training), "float32")
        target = ops.reshape(ops.cast(self.normalizer(y), "float32"), ops.shape(predicted))
        return {"loss": ops.mean(ops.square(predicted - target))}

    def forecast_ops(self, history, horizon):
        """`keras.ops` forecast of `horizon` steps after each row of `history`.

        Works on eager tensors of any float dtype (the network runs in its
        compute dtype; differencing and its inverse in `history`'s) and on
        symbolic inputs (the exported `forecast` endpoint).
        """
        levels = difference_levels(history, self.difference_lags)
        z = levels[-1]
        predicted = 0
        while predicted < horizon:
            block = ops.cast(self.predict_block(z[..., -self.lags:]), z.dtype)
            z = ops.concatenate([z, block], axis=-1)
            predicted += self.output_steps
        increments = z[..., z.shape[-1] - predicted:][..., :horizon]
        return undifference(increments, levels, self.difference_lags)

    def forecast(self, history, horizon=None):
        """Forecasts `horizon` values after the end of `history`.

        Args:
            history: 1-D array (one series) or `(batch, length)` (several
                series or origins), at least `history_length` values long;
                only the last `history_length` values are used.
            horizon: int or None. Defaults to `self.horizon`.

        Returns:
            float64 numpy array of shape `(horizon,)` or `(batch, horizon)`.
        """
        horizon = self.horizon if horizon is None else horizon
        if int(horizon) != horizon or horizon < 1:
            raise ValueError(f"horizon must be an integer >= 1. Received: horizon={horizon}")
        values = np.asarray(history)
        if values.ndim == 2:
            rows = [self.check_series(row, name=f"history[{i}]") for i, row in enumerate(values)]
            values = np.stack(rows)
        else:
            values = self.check_series(values, name="history")[None]
        out = self.forecast_ops(values[:, -self.history_length:], int(horizon))
        out = np.asarray(ops.convert_to_numpy(out), np.float64)
        return out if np.ndim(history) == 2 else out[0]

    # === Export ===

    def serving_endpoints(self):
        history = keras.Input((self.history_length,), name="history")
        forecast = self.float32_output(self.forecast_ops(history, self.horizon))
        return {"forecast": keras.Model([history], forecast, name="forecast")}

    def sample_histories(self, num, seed=0, windows=None):
        """Histories for export checks: differenced windows (`windows`, e.g. the
        training inputs, else standardised noise) integrated back to levels."""
        if windows is None:
            rng = np.random.default_rng(seed)
            mean = float(ops.convert_to_numpy(self.normalizer.mean).reshape(-1)[0])
            scale = float(np.sqrt(ops.convert_to_numpy(self.normalizer.variance).reshape(-1)[0]))
            values = mean + scale * rng.standard_normal((num, self.lags))
        else:
            values = np.asarray(windows, np.float64)[:num]
        for lag in reversed(self.difference_lags):
            start = np.zeros((len(values), lag))
            values = np.concatenate([start, np.asarray(integrate(values, start, lag))], axis=-1)
        return values.astype(np.float32)

    def example_inputs(self, endpoint, num=16, data=None, seed=0):
        if endpoint == "forecast":
            return {"history": self.sample_histories(num, seed, windows=data)}
        return super().example_inputs(endpoint, num, data, seed)

    def default_optimizers(self, learning_rate=None):
        return {"optimizer": keras.optimizers.Adam(learning_rate or 1e-2)}
