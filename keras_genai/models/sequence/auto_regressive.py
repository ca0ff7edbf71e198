import keras
import numpy as np
from keras import ops

from keras_genai.data.series import check_series, series_window_arrays
from keras_genai.models.sequence.differencing import difference_lags, difference_levels
from keras_genai.models.sequence.forecaster import Forecaster

CRITERIA = ("aic", "bic")


def _design(z, lags, start):
    """OLS design `[1, z[t-1], ..., z[t-lags]]` and targets `z[t]` for `t >= start`."""
    windows, targets = series_window_arrays(z[start - lags:], lags, 1)
    return np.concatenate([np.ones((len(windows), 1)), windows[:, ::-1]], axis=1), targets[:, 0]


@keras.saving.register_keras_serializable(package="keras_genai")
class AutoRegressive(Forecaster):
    """AR(p) with an intercept, on a differenced series: ARIMA(p, d, 0) x (0, D, 0)_s.

    `z[t] = c + phi_1 z[t-1] + ... + phi_p z[t-p] + e[t]`, where `z` is the
    series differenced `seasonal_d` times at lag `period` and `d` times at
    lag 1. The linear map is a `keras.layers.Dense(1)` on standardised lags,
    so it trains by gradient descent with `fit(model.windows(series))`; or
    `fit_least_squares(series)` solves ordinary least squares exactly on the
    same conditional-likelihood rows as statsmodels' `AutoReg(trend="c")`.
    Forecasts are recursive (each prediction becomes a lag of the next) and
    integrate the differences back exactly.

    Moving-average terms are not modelled: an invertible MA(q) part has an
    AR(infinity) form, so a longer AR (choose `lags` with `select_lags`)
    approximates ARIMA(p, d, q) without a nonlinear likelihood fit.
    Seasonal AR terms are likewise covered by `lags >= period`.

    Args:
        lags: int. Order `p`. Defaults to `8`.
        horizon: int. Steps the exported `forecast` endpoint returns.
            Defaults to `1`.
        d: int. Lag-1 differences. Defaults to `0`.
        seasonal_d: int. Seasonal differences `D`. Defaults to `0`.
        period: int or None. Season length `s`. Defaults to `None`.
        seed: int or None. Defaults to `None`.

    Example:

    ```python
    import statsmodels.api as sm
    y = sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy()
    model = keras_genai.models.AutoRegressive(lags=9)
    model.fit_least_squares(y)
    model.coefficients()       # [const, phi_1, ..., phi_9]
    model.forecast(y, horizon=10)
    ```

    Reference: Box & Jenkins, "Time Series Analysis: Forecasting and
    Control", 1970.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # === Layers ===
        window = keras.Input((self.lags,), name="window")
        # Zeros: training starts from the mean forecast, the same every run.
        self.linear = keras.layers.Dense(1, kernel_initializer="zeros", dtype="float32", name="linear")
        # === Functional Model ===
        self.network = keras.Model(window, self.linear(window), name="network")
        self.built = True

    # === Coefficients in series units ===

    def _standardisation(self):
        """(mean, scale) exactly as `Normalization` applies them, as float64."""
        mean = np.float32(ops.convert_to_numpy(self.normalizer.mean).reshape(-1)[0])
        variance = np.float32(ops.convert_to_numpy(self.normalizer.variance).reshape(-1)[0])
        scale = np.maximum(np.sqrt(variance), np.float32(keras.config.epsilon()))
        return float(mean), float(scale)

    def coefficients(self):
        """`[c, phi_1, ..., phi_p]` (statsmodels AutoReg's `const, L1, ...`), float64."""
        mean, scale = self._standardisation()
        kernel = np.asarray(ops.convert_to_numpy(self.linear.kernel), np.float64)[:, 0]
        bias = float(ops.convert_to_numpy(self.linear.bias)[0])
        # Standardised inputs u = (z - m) / s and output m + s * (b + w.u):
        # phi = w and c = m (1 - sum(w)) + s b.
        phi = kernel[::-1]
        return np.concatenate([[mean * (1.0 - kernel.sum()) + scale * bias], phi])

    def set_coefficients(self, params):
        """Sets `[c, phi_1, ..., phi_p]` (the inverse of `coefficients`)."""
        params = np.asarray(params, np.float64).reshape(-1)
        if params.shape != (self.lags + 1,):
            raise ValueError(
                f"Expected {self.lags + 1} coefficients [c, phi_1, ..., phi_{self.lags}]. "
                f"Received: params with shape={params.shape}"
            )
        mean, scale = self._standardisation()
        const, phi = params[0], params[1:]
        bias = (const - mean * (1.0 - phi.sum())) / scale
        self.linear.kernel.assign(phi[::-1, None].astype(np.float32))
        self.linear.bias.assign(np.array([bias], np.float32))
        return self

    # === Closed-form fit ===

    def fit_least_squares(self, series):
        """Exact OLS fit (float64 `numpy.linalg.lstsq`) on all windows of `series`.

        Also sets the standardisation from `series`. Returns the fitted
        `[c, phi_1, ..., phi_p]` (float64, before float32 storage).
        """
        series = self.check_series(series, 1)
        self.adapt(series)
        z = self.transform(series)
        design, targets = _design(z, self.lags, self.lags)
        params, *_ = np.linalg.lstsq(design, targets, rcond=None)
        self.set_coefficients(params)
        return params

    @staticmethod
    def select_lags(series, max_lags, d=0, seasonal_d=0, period=None, criterion="aic"):
        """The order p in [0, max_lags] minimising AIC or BIC of the OLS fit.

        Every order is fitted on the same rows (the first `max_lags` values
        of the differenced series are held back), as statsmodels'
        `ar_select_order` does, so the criteria are comparable.
        """
        if criterion not in CRITERIA:
            raise ValueError(f"criterion must be one of {CRITERIA}. Received: criterion={criterion!r}")
        if int(max_lags) != max_lags or max_lags < 1:
            raise ValueError(f"max_lags must be an integer >= 1. Received: max_lags={max_lags}")
        lags = difference_lags(d, seasonal_d, period)
        series = check_series(series, max_lags + sum(lags) + 2)
        z = np.asarray(difference_levels(series, lags)[-1])
        design, targets = _design(z, max_lags, max_lags)
        nobs = len(targets)
        scores = []
        for p in range(max_lags + 1):
            params, *_ = np.linalg.lstsq(design[:, : p + 1], targets, rcond=None)
            sigma2 = np.mean((targets - design[:, : p + 1] @ params) ** 2)
            penalty = 2.0 if criterion == "aic" else np.log(nobs)
            scores.append(nobs * np.log(sigma2) + penalty * (p + 1))
        return int(np.argmin(scores))
