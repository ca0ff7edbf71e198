"""`GAN` presets (constructor kwargs) and its training budget."""

model_presets = {
    "gan": {
        "presets": {
            # The README run's re-tuned preset: wider MLPs, discriminator dropout, EMA generator.
            "cpu": {"latent_dim": 64, "hidden_units": [256, 512, 1024], "discriminator_dropout": 0.3,
                    "ema_decay": 0.999},
            "tiny": {"latent_dim": 4, "hidden_units": [16], "discriminator_dropout": 0.1},
        },
        # Adam 2e-4 as in Radford et al. (DCGAN); the class sets beta_1 0.5.
        "fit": {"epochs": 20, "batch_size": 64, "learning_rate": 2e-4},
    },
}
