"""`CycleGAN` presets (constructor kwargs) and its training budget."""

model_presets = {
    "cyclegan": {
        "presets": {
            # 28x28 grayscale domains (Fashion-MNIST class pairs, small folders) on a 2-core CPU.
            # Two downsamplings, as the paper. One (residual blocks at 14x14, the same FLOPs) was
            # measured on both Fashion-MNIST pairs: better cycles (PSNR +0.1 to +1.9 dB) but worse
            # translations (target-class rate 0.789-0.975 against 0.952-0.994, higher FIDs):
            # tools/results/translation_*_one_downsampling.json, docs/cyclegan.md. --set downsamplings=1.
            "cpu": {"generator_filters": 16, "downsamplings": 2, "residual_blocks": 4,
                    "discriminator_filters": 32, "discriminator_layers": 2},
            # The paper's 256x256 preset: 9 residual blocks, the 70x70 PatchGAN (for GPUs).
            "paper": {"image_shape": [256, 256, 3], "generator_filters": 64, "residual_blocks": 9,
                      "discriminator_filters": 64, "discriminator_layers": 3},
            # Every layer kind once, for smoke tests: one downsampling traces a fifth fewer ops
            # than two (the train step is tracing-bound at this size).
            "tiny": {"generator_filters": 4, "downsamplings": 1, "residual_blocks": 1, "discriminator_filters": 4,
                     "discriminator_layers": 1, "pool_size": 4},
        },
        # The paper's Adam 2e-4 (beta_1 0.5, set by the class), constant then linear decay.
        # Sandal <-> sneaker: two shoe shapes, a translation that keeps the outline.
        "fit": {"epochs": 6, "batch_size": 16, "learning_rate": 2e-4,
                "domains": ["fashion_mnist:sandal", "fashion_mnist:sneaker"]},
    },
}
