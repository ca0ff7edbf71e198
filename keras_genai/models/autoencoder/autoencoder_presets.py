"""`Autoencoder` presets (constructor kwargs) and its training budget."""

model_presets = {
    "autoencoder": {
        "presets": {
            "cpu": {"latent_dim": 32, "widths": [32, 64]},
            # The fully connected variant (`--preset dense`), same code size.
            "dense": {"latent_dim": 32, "architecture": "dense", "widths": [512, 256]},
            "tiny": {"latent_dim": 4, "widths": [4, 8]},
        },
        "fit": {"epochs": 10, "batch_size": 128, "learning_rate": 1e-3},
    },
}
