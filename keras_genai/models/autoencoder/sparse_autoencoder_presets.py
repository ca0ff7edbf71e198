"""`SparseAutoencoder` presets (constructor kwargs) and its training budget."""

model_presets = {
    "sparse_autoencoder": {
        "presets": {
            # 128 code units at a 5% target activity: about 6 active per image.
            "cpu": {"latent_dim": 128, "widths": [32, 64], "sparsity": "kl",
                    "sparsity_weight": 0.1, "target_sparsity": 0.05},
            "l1": {"latent_dim": 128, "widths": [32, 64], "sparsity": "l1", "sparsity_weight": 1e-3},
            "tiny": {"latent_dim": 8, "widths": [4, 8]},
        },
        "fit": {"epochs": 10, "batch_size": 128, "learning_rate": 1e-3},
    },
}
