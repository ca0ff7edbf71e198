"""`DCGAN` presets (constructor kwargs) and its training budget."""

model_presets = {
    "dcgan": {
        "presets": {
            "cpu": {"latent_dim": 64, "widths": [64, 128], "ema_decay": 0.999},
            # Sized for GPUs: the DCGAN paper's z of 100, twice the cpu widths.
            "paper": {"latent_dim": 100, "widths": [128, 256], "ema_decay": 0.999},
            "tiny": {"latent_dim": 4, "widths": [4, 8]},
        },
        # Radford et al.'s Adam 2e-4; the class sets beta_1 0.5.
        "fit": {"epochs": 10, "batch_size": 64, "learning_rate": 2e-4},
    },
}
