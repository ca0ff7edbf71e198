"""`LSTMForecaster` presets (constructor kwargs) and its budget for `keras-genai forecast`.

One CLI name per recurrent cell, `<cell>_forecaster`: the bare cell names
are the language models of `keras-genai train`.
"""

forecaster_presets = {
    f"{cell}_forecaster": {
        "presets": {"cpu": {"cell": cell, "units": 32, "lags": 24}, "tiny": {"cell": cell, "units": 4}},
        "fit": {"method": "gradient", "epochs": 100, "batch_size": 32, "learning_rate": 3e-3},
    }
    for cell in ("lstm", "gru", "rnn")
}
