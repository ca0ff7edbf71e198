"""FID, KID and precision/recall of a GAN against the truncation threshold, with a grid per threshold.

    python -m tools.bench.truncation_curve --run runs/biggan --thresholds 0.25 0.5 1 1.5 2 none \\
        --data-dir ../shared/data/fashion-mnist --out tools/results/truncation_biggan.json \\
        --plot docs/images/truncation_biggan.png --grids docs/images/truncation_biggan

For each threshold T (`none`: the plain normal), `--num-samples` images are generated with z
drawn from the normal truncated to [-T, T] (`generate(..., truncation=T)`, noise seed 0 per
batch as `evaluate_generation` does; conditional models: classes in equal shares) and compared
with the first `--num-samples` test images by the standard FID InceptionV3 features. Smaller
thresholds trade variety (recall) for fidelity (precision). `--grids DIR` writes one PNG per
threshold (conditional models: one class per column). Thresholds already in `--out` for the
same model file are kept, so an interrupted curve continues.
"""

import argparse
import json
import os
import time

import numpy as np

from keras_genai.callbacks import save_grid
from keras_genai.metrics import evaluate_generation
from keras_genai.training import load_model
from tools.record import command, file_sha256, save_figure, write_json


class Truncated:
    """`model` whose `generate` draws truncated z: what `evaluate_generation` streams."""

    def __init__(self, model, truncation):
        self.model, self.truncation = model, truncation
        self.needs_labels = model.needs_labels
        self.num_classes = getattr(model, "num_classes", None)

    def generate(self, num_samples, labels=None, seed=0):
        return self.model.generate(num_samples, labels=labels, seed=seed, truncation=self.truncation)

    def to_display(self, images):
        return self.model.to_display(images)


def threshold(text):
    return None if text == "none" else float(text)


def grid(model, truncation, path):
    columns = getattr(model, "num_classes", None) or 8
    labels = np.tile(np.arange(columns), 8) if model.needs_labels else None
    images = model.to_display(model.generate(8 * columns, labels=labels, seed=0, truncation=truncation))
    save_grid(path, {f"truncation {truncation}": images}, columns=columns, overwrite=True)


def plot(result, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = [p for p in result["points"] if p["truncation"] is not None]
    plain = next((p for p in result["points"] if p["truncation"] is None), None)
    xs = [p["truncation"] for p in points]
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    left.plot(xs, [p["fid"] for p in points], "o-", label="truncated")
    right.plot(xs, [p["precision"] for p in points], "o-", label="precision")
    right.plot(xs, [p["recall"] for p in points], "s-", label="recall")
    if plain:
        left.axhline(plain["fid"], color="gray", linestyle="--", label="no truncation")
        right.axhline(plain["precision"], color="C0", linestyle="--", linewidth=0.8)
        right.axhline(plain["recall"], color="C1", linestyle="--", linewidth=0.8)
    left.set_xlabel("truncation threshold")
    left.set_ylabel(f"FID ({result['num_samples']} vs {result['num_samples']} test)")
    right.set_xlabel("truncation threshold")
    left.legend()
    right.legend()
    figure.suptitle(f"{result['class']}: the truncation trick")
    figure.tight_layout()
    save_figure(figure, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", required=True, help="a run folder or .keras file of a GAN")
    parser.add_argument("--thresholds", type=threshold, nargs="+", required=True, help="numbers > 0 or 'none'")
    parser.add_argument("--dataset", default="fashion_mnist")
    parser.add_argument("--data-dir")
    parser.add_argument("--num-samples", type=int, default=10000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--plot")
    parser.add_argument("--grids", help="folder for one PNG grid per threshold")
    args = parser.parse_args(argv)
    path = os.path.join(args.run, "model.keras") if os.path.isdir(args.run) else args.run
    model, digest = load_model(path), file_sha256(path)
    previous = json.load(open(args.out)) if os.path.exists(args.out) else {}
    kept = {p["truncation"]: p for p in previous.get("points", [])
            if previous.get("model_sha256") == digest and p["num_samples"] == args.num_samples}
    result = {"command": command(__spec__, argv), "run": args.run, "model_sha256": digest,
              "class": type(model).__name__, "num_samples": args.num_samples, "points": []}
    for truncation in args.thresholds:
        if args.grids:
            grid(model, truncation, os.path.join(args.grids, f"truncation_{truncation or 'none'}.png"))
        if truncation in kept:
            result["points"].append(kept[truncation])
            continue
        started = time.time()
        measured = evaluate_generation(Truncated(model, truncation), ("fid", "kid", "pr"), dataset=args.dataset,
                                       split="test", num_samples=args.num_samples, data_dir=args.data_dir,
                                       seed=0, verbose=0)
        result["points"].append({"truncation": truncation, **measured, "seconds": round(time.time() - started, 1)})
        print(f"truncation {truncation}: FID {measured['fid']:.2f}, precision {measured['precision']:.3f}, "
              f"recall {measured['recall']:.3f}", flush=True)
        write_json(args.out, result)
    write_json(args.out, result)
    if args.plot:
        plot(result, args.plot)


if __name__ == "__main__":
    main()
