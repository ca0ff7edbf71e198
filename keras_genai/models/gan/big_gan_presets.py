"""`BigGAN` presets (constructor kwargs) and its training budget."""

model_presets = {
    "biggan": {
        "presets": {
            # 28x28 Fashion-MNIST on a 2-core CPU: SAGAN's cpu networks, z of 3 chunks of 20, and one
            # D step per G step rather than the paper's 2: a step cost 2.27 CPU s at batch 64 with 2 and
            # 1.46 with 1 (tools/results/bench_precision_biggan_variants.json, AMD EPYC); with 2, 20 CPU
            # minutes made 502 G steps against the CGAN's 2,422.
            "cpu": {"num_classes": 10, "latent_dim": 60, "shared_embedding_dim": 32,
                    "generator_widths": [64, 16], "discriminator_widths": [16, 32, 32],
                    "generator_attention": 14, "discriminator_attention": 14, "critic_steps": 1},
            # StudioGAN's CIFAR-10 BigGAN networks, for GPUs: width 96 (384 channels per block),
            # z of 80 (4 chunks of 20), a shared embedding of 128, attention after G's second block
            # and D's first (16x16), D downsampling [T, T, F, F]; the paper's training rules.
            "paper": {"image_shape": [32, 32, 3], "num_classes": 10, "latent_dim": 80, "shared_embedding_dim": 128,
                      "generator_widths": [384, 384, 384], "discriminator_widths": [384, 384, 384, 384],
                      "discriminator_downsamplings": [True, True, False, False],
                      "generator_attention": 16, "discriminator_attention": 16},
            "tiny": {"num_classes": 4, "latent_dim": 6, "shared_embedding_dim": 4, "generator_widths": [8, 8],
                     "discriminator_widths": [8, 8], "generator_attention": 14, "discriminator_attention": 14},
        },
        # The paper's rates (D 2e-4, G 5e-5; the class sets Adam beta = (0, 0.999) and 2 D steps).
        "fit": {"epochs": 10, "batch_size": 64, "learning_rate": {"discriminator": 2e-4, "generator": 5e-5}},
    },
}
