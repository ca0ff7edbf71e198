"""`WGAN` presets (constructor kwargs) and its training budget."""

model_presets = {
    "wgan": {
        "presets": {
            # The paper's clip 0.01 and RMSprop 5e-5 gave blobs after 8 epochs
            # here; clip 0.05 and 1e-4 give clothing shapes within 2,000 steps.
            "cpu": {"latent_dim": 64, "widths": [64, 128], "clip_value": 0.05},
            # Sized for GPUs, with the paper's clip 0.01 (the class default).
            "paper": {"latent_dim": 100, "widths": [128, 256]},
            "tiny": {"latent_dim": 4, "widths": [4, 8], "critic_steps": 2},
        },
        # RMSprop (the class's) at 1e-4, see the cpu preset. The measured run
        # (tools/results/wgan.json) took 38 minutes on the shared machine.
        "fit": {"epochs": 8, "batch_size": 64, "learning_rate": 1e-4},
    },
}
