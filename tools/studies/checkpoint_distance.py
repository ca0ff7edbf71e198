"""Domain Fréchet distance of runs' per-epoch checkpoints, epoch by epoch.

    python -m tools.studies.checkpoint_distance --runs /work/runs/reference/wgan_gp /work/runs/gpspeed/wgan_gp_lazy3 \
        --epochs 1 2 3 --feature-model /work/runs/reference/cnn --out tools/results/lazy_penalty_quality.json

Compares training variants at the same budget (e.g. the faithful gradient
penalty against the lazy one) when one of them has not run all its epochs:
for each run folder and epoch, loads `checkpoints/epoch_NNN.keras`, draws
10,000 samples (seed 0) and measures their Fréchet distance to the 10,000
Fashion-MNIST test images in the features of a trained CNN classifier,
exactly as `tools/bench/train_reference.py` does for a finished run (same
function), plus the same distance for 10,000 real training images (the
floor). Also copies each epoch's validation losses from the run's
`metrics.json`. Supports docs/gan_speed.md ("Lazy penalty: quality").
"""

import argparse
import json
import os

from tools.bench.train_reference import domain_distance
from tools.record import command, write_json


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", nargs="+", required=True, help="run folders")
    parser.add_argument("--epochs", nargs="+", type=int, required=True)
    parser.add_argument("--feature-model", required=True, help="a trained CNNClassifier run folder or .keras")
    parser.add_argument("--data-dir")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    from keras_genai.training import load_model

    rows = []
    for run in args.runs:
        with open(os.path.join(run, "config.json")) as f:
            config = json.load(f)
        with open(os.path.join(run, "metrics.json")) as f:
            epochs = {e["epoch"]: e for e in json.load(f)}
        for epoch in args.epochs:
            path = os.path.join(run, "checkpoints", f"epoch_{epoch:03d}.keras")
            if not os.path.exists(path):
                print(f"{path}: missing, skipped", flush=True)
                continue
            row = {"run": run, "epoch": epoch, "checkpoint": path, "training": config["training"],
                   "model_config": config["model_config"],
                   "validation": {k: v for k, v in epochs.get(epoch, {}).items() if k.startswith("val_")},
                   **domain_distance(load_model(path), args)}
            rows.append(row)
            print(json.dumps({k: row[k] for k in ("run", "epoch", "domain_frechet_distance_10k")}), flush=True)
    write_json(args.out, {"command": command(__spec__),
                          "data": "fashion_mnist: 10,000 samples per checkpoint vs the 10,000 test images; "
                                  "floor: 10,000 train images vs the test images",
                          "arguments": vars(args), "rows": rows})


if __name__ == "__main__":
    main()
