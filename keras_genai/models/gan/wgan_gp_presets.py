"""`WGANGP` presets (constructor kwargs) and its training budget."""

model_presets = {
    "wgan_gp": {
        "presets": {
            # 3 critic steps per generator step as keras.io's WGAN-GP example (the paper: 5).
            "cpu": {"latent_dim": 64, "widths": [64, 128], "critic_steps": 3},
            # Sized for GPUs: keras.io's WGAN-GP widths and the paper's 5 critic steps.
            # Four stride-2 levels need sides divisible by 16: 32x32 images, as keras.io
            # pads Fashion-MNIST (here: --image-folder DIR --image-size 32).
            "paper": {"image_shape": [32, 32, 1], "latent_dim": 128, "widths": [64, 128, 256, 512],
                      "critic_steps": 5},
            "tiny": {"latent_dim": 4, "widths": [4, 8], "critic_steps": 2},
        },
        # Gulrajani et al.'s Adam 1e-4 (the class sets beta 0.5/0.9). The measured
        # run (tools/results/wgan_gp.json): 8 epochs in bf16, 135 s per epoch
        # (~440 images/s) here, 18 minutes in all.
        "fit": {"epochs": 8, "batch_size": 64, "learning_rate": 1e-4, "mixed_precision": "bf16"},
    },
}
