"""`SAGAN` presets (constructor kwargs) and its training budget."""

# 28x28 Fashion-MNIST on a 2-core CPU. 16 channels at 28x28 in both networks: the two 3x3
# convolutions of a residual block there are most of a step's time. D's 14x14 and 7x7 blocks at 32
# channels rather than 64: BigGAN's step on these networks went from 2.27 to 2.00 CPU s at batch 64
# (tools/results/bench_precision_biggan_variants.json, AMD EPYC).
_cpu = {"latent_dim": 64, "generator_widths": [64, 16], "discriminator_widths": [16, 32, 32],
        "generator_attention": 14, "discriminator_attention": 14, "ema_decay": 0.999}
# The SAGAN paper's widths scaled to 32x32 (as SNGAN's CIFAR-10 ResNet: 256 channels), for GPUs;
# Fashion-MNIST padded, or CIFAR-10 through tfds.
_paper = {"image_shape": [32, 32, 3], "latent_dim": 128, "generator_widths": [256, 256, 256],
          "discriminator_widths": [128, 128, 128, 128], "discriminator_downsamplings": [True, True, False, False],
          "generator_attention": 16, "discriminator_attention": 16, "ema_decay": 0.9999}
_tiny = {"latent_dim": 4, "generator_widths": [8, 8], "discriminator_widths": [8, 8],
         "generator_attention": 14, "discriminator_attention": 14}
# The paper's TTUR (D 4e-4, G 1e-4; the class sets Adam beta = (0, 0.9)).
_fit = {"epochs": 10, "batch_size": 64, "learning_rate": {"discriminator": 4e-4, "generator": 1e-4}}

model_presets = {"sagan": {"presets": {"cpu": _cpu, "paper": _paper, "tiny": _tiny}, "fit": _fit}}
