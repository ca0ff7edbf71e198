"""Mode coverage of MLP GANs on the 2-D Gaussian-mixture test beds.

    python -m tools.studies.mode_coverage --out tools/results/mode_coverage.json

Supports the README's mode-coverage paragraph and docs/gan_speed.md ("Lazy penalty: quality").

For each mixture (`ring8`: 8 modes on a circle of radius 2, std 0.02;
`grid25`: 5x5 modes 2 apart, std 0.05) and each training rule (the MLP
`GAN` with the non-saturating loss, and the same networks trained as
WGAN-GP through `GradientPenaltyMixin`), trains `--steps` generator steps at
`--batch-size` on fresh mixture samples (steps and learning rate per rule,
see RULES) and measures 2,500 samples before
and after training with `keras_genai.metrics.mode_coverage` (a mode counts
as covered with at least 20 of the 2,500 samples within 3 std of it; the
high-quality share is the share of samples within 3 std of any mode).
Several seeds, each reported.
"""

import argparse
import time

import keras

from keras_genai.data import mixture
from keras_genai.metrics import mode_coverage
from keras_genai.models import GAN
from keras_genai.models.gan.gradient_penalty_mixin import GradientPenaltyMixin
from tools.record import command, write_json


class MLPWGANGP(GradientPenaltyMixin, GAN):
    """The MLP networks of `GAN`, trained with the WGAN-GP rule."""


# Per rule: class, Adam learning rate, generator steps, model arguments.
# WGAN-GP gets the learning rate of Gulrajani et al.'s toy experiments (1e-4,
# betas 0.5/0.9); at 5e-4 it covered 0 of 8 ring modes in 10,000 steps, at
# 1e-4 all 8. `wgan_gp_lazy` is the same rule with the lazy penalty: once per
# generator step (every 5th critic update) with 5x the weight.
RULES = {
    "gan_non_saturating": (GAN, 1e-3, 4000, {}),
    "wgan_gp": (MLPWGANGP, 1e-4, 10000, {}),
    "wgan_gp_lazy": (MLPWGANGP, 1e-4, 10000, {"penalty_interval": 5}),
}


def run(mixture_name, rule, seed, args):
    keras.utils.set_random_seed(seed)
    model_class, learning_rate, steps, model_args = RULES[rule]
    learning_rate = args.learning_rate or learning_rate
    steps = args.steps or steps
    points, centers, std = mixture(mixture_name, args.batch_size * steps, seed=seed)
    model = model_class(data_shape=(2,), latent_dim=2, hidden_units=tuple(args.hidden_units),
                        output_activation="linear", seed=seed, **model_args)
    before = mode_coverage(model.generate(2500, seed=seed + 1000), centers, std)
    model.compile(**model.default_optimizers(learning_rate))
    started = time.time()
    model.fit(points, batch_size=args.batch_size, epochs=1, verbose=0, shuffle=False)
    after = mode_coverage(model.generate(2500, seed=seed + 1000), centers, std)
    return {"mixture": mixture_name, "rule": rule, "seed": seed, "steps": steps,
            "learning_rate": learning_rate, "batch_size": args.batch_size, "critic_steps": model.critic_steps,
            "train_seconds": round(time.time() - started, 1),
            "untrained": {k: before[k] for k in ("modes_covered", "num_modes", "high_quality_share")},
            "trained": after}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mixtures", nargs="+", default=["ring8", "grid25"])
    parser.add_argument("--rules", nargs="+", default=["gan_non_saturating", "wgan_gp"], choices=list(RULES))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--steps", type=int, help="generator steps (default: per rule, 4000 GAN, 10000 WGAN-GP)")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--hidden-units", nargs="+", type=int, default=[128, 128, 128])
    parser.add_argument("--learning-rate", type=float,
                        help="Adam learning rate of both networks (default: per rule, 1e-3 GAN, 1e-4 WGAN-GP; "
                             "betas: each rule's defaults)")
    parser.add_argument("--out", default="tools/results/mode_coverage.json")
    args = parser.parse_args()
    rows = []
    for name in args.mixtures:
        for rule in args.rules:
            for seed in args.seeds:
                rows.append(run(name, rule, seed, args))
                row = rows[-1]
                print(f"{name:<7} {rule:<20} seed {seed}: modes {row['untrained']['modes_covered']} -> "
                      f"{row['trained']['modes_covered']}/{row['trained']['num_modes']}, high quality "
                      f"{row['untrained']['high_quality_share']:.3f} -> {row['trained']['high_quality_share']:.3f}"
                      f" ({row['train_seconds']} s)", flush=True)
    write_json(args.out, {"command": command(__spec__), "arguments": vars(args), "rows": rows})


if __name__ == "__main__":
    main()
