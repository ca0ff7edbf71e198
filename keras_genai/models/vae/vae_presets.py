"""`VAE` presets (constructor kwargs) and its training budget."""

model_presets = {
    "vae": {
        "presets": {
            "cpu": {"latent_dim": 16, "widths": [32, 64], "beta": 1.0},
            # beta-VAE (Higgins et al. 2017) is this class with beta=4, not a subclass.
            "beta4": {"latent_dim": 16, "widths": [32, 64], "beta": 4.0},
            "tiny": {"latent_dim": 2, "widths": [4, 8]},
        },
        "fit": {"epochs": 20, "batch_size": 128, "learning_rate": 1e-3},
    },
}
