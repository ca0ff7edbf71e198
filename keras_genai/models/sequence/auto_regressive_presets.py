"""`AutoRegressive` presets (constructor kwargs) and its budget for `keras-genai forecast`."""

forecaster_presets = {
    "ar": {
        # The series decides the lags (AIC up to max_lags, unless --lags is given).
        "presets": {"cpu": {}, "tiny": {}},
        # Exact least squares; the gradient fields apply to method="gradient" only.
        "fit": {"method": "least_squares", "max_lags": 24, "epochs": 100, "batch_size": 32,
                "learning_rate": 1e-2},
    },
}
