"""`CNNClassifier` presets (constructor kwargs) and its training budget."""

model_presets = {
    "cnn": {
        "presets": {
            "cpu": {"filters": [32, 64], "dense_units": 256, "dropout": 0.4},
            "tiny": {"filters": [4], "dense_units": 8},
        },
        "fit": {"epochs": 15, "batch_size": 128, "learning_rate": 1e-3},
    },
}
