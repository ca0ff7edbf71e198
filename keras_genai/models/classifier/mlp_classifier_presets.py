"""`MLPClassifier` presets (constructor kwargs) and its training budget."""

model_presets = {
    "mlp": {
        "presets": {
            "cpu": {"hidden_units": [512, 256], "dropout": 0.2},
            "tiny": {"hidden_units": [16]},
        },
        "fit": {"epochs": 20, "batch_size": 128, "learning_rate": 1e-3},
    },
}
