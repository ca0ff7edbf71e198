"""`ConditionalVAE` presets (constructor kwargs) and its training budget."""

model_presets = {
    "cvae": {
        "presets": {
            "cpu": {"latent_dim": 16, "widths": [32, 64], "label_embedding_dim": 16},
            "tiny": {"latent_dim": 2, "widths": [4, 8], "label_embedding_dim": 2},
        },
        "fit": {"epochs": 20, "batch_size": 128, "learning_rate": 1e-3},
    },
}
