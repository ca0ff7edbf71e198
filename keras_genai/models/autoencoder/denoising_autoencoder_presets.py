"""`DenoisingAutoencoder` presets (constructor kwargs) and its training budget."""

model_presets = {
    "denoising_autoencoder": {
        "presets": {
            "cpu": {"latent_dim": 32, "widths": [32, 64], "noise": "gaussian", "noise_level": 0.3},
            "tiny": {"latent_dim": 4, "widths": [4, 8]},
        },
        "fit": {"epochs": 10, "batch_size": 128, "learning_rate": 1e-3},
    },
}
