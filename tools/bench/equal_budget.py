"""Models side by side at equal training time: Inception FID, KID and precision/recall.

    python -m tools.bench.equal_budget --models dcgan sagan --minutes 15 --clock cpu \\
        --data-dir ../shared/data/fashion-mnist --runs runs/equal_budget \\
        --out tools/results/equal_budget_unconditional.json --plot docs/images/equal_budget_unconditional.png

Each model trains from the CLI as a user would run it (`keras-genai train MODEL --preset cpu
--time-budget MINUTES --budget-clock CLOCK --snapshot-minutes ...`, one after the other, niced,
never two at once) on the dataset's train split, with epochs set high enough that the budget
ends training. `--clock cpu` counts the training process's CPU time (both cores), which other
work on the machine disturbs less than wall time; both clocks are recorded. Then each final
model (and each snapshot listed in `--evaluate-snapshots`) generates `--num-samples` images
(noise seed 0; conditional models: balanced labels) whose standard FID InceptionV3 features are
compared with the first `--num-samples` test images (cached). A model whose run folder is
complete is not trained again (`--retrain` does), and measured numbers already in `--out`
for the same model file are kept, so an interrupted comparison continues.
"""

import argparse
import json
import os
import subprocess
import sys
import time

from keras_genai.metrics import evaluate_generation
from keras_genai.models.registry import get_entry
from keras_genai.training import load_model
from tools.record import command, file_sha256, save_figure, write_json


def train(model, args):
    run = os.path.join(args.runs, model)
    if os.path.exists(os.path.join(run, "run.json")) and not args.retrain:
        print(f"{model}: {run} is complete, not trained again (--retrain does)", flush=True)
        return run
    marks = [m for m in args.snapshots if m < args.minutes]
    cli = [sys.executable, "-m", "keras_genai.cli.main", "train", model, "--preset", "cpu",
           "--dataset", args.dataset, "--epochs", "1000", "--time-budget", str(args.minutes),
           "--budget-clock", args.clock, "--out", run, "--overwrite", "--export", "none", "--seed", str(args.seed),
           *(["--data-dir", args.data_dir] if args.data_dir else []),
           *(["--snapshot-minutes", ",".join(f"{m:g}" for m in marks)] if marks else [])]
    print("training:", " ".join(cli), flush=True)
    with open(os.path.join(args.runs, f"{model}.log"), "w") as log:
        subprocess.run(["nice", "-n", "5", *cli], check=True, stdout=log, stderr=subprocess.STDOUT)
    return run


def measure(path, args):
    model = load_model(path)
    started = time.time()
    result = evaluate_generation(model, ("fid", "kid", "pr"), dataset=args.dataset, split="test",
                                 num_samples=args.num_samples, data_dir=args.data_dir, seed=0, verbose=0)
    return {"model_sha256": file_sha256(path), **result, "seconds": round(time.time() - started, 1)}


def points(model, run, args, previous):
    """FID etc. of the snapshots asked for and of the final model, at their minutes."""
    record = json.load(open(os.path.join(run, "run.json")))
    budget = record["time_budget"]
    files = [(s["minute"], os.path.join(run, "snapshots", s["path"]), s) for s in budget["snapshots"]
             if s["minute"] in args.evaluate_snapshots]
    files.append((args.minutes, os.path.join(run, "model.keras"), budget["stopped_at"]))
    kept = {p["model_sha256"]: p for p in previous}
    out = []
    for minute, path, at in files:
        digest = file_sha256(path)
        if digest in kept and kept[digest].get("num_samples") == args.num_samples:
            out.append(kept[digest])
            continue
        print(f"{model} at {minute:g} {args.clock} minutes: measuring {path}", flush=True)
        point = {"minute": minute, "at": at, **measure(path, args)}
        print(f"  FID {point['fid']:.2f}", flush=True)
        out.append(point)
    return out


def plot(result, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(5, 3.5))
    for model, entry in result["models"].items():
        xs = [p["minute"] for p in entry["points"]]
        axis.plot(xs, [p["fid"] for p in entry["points"]], "o-", label=f"{model} ({entry['class']})")
    axis.set_xlabel(f"training time ({result['clock']} minutes)")
    axis.set_ylabel(f"FID ({result['num_samples']} vs {result['num_samples']} test images)")
    axis.set_title("Fashion-MNIST, equal training time")
    axis.legend()
    figure.tight_layout()
    save_figure(figure, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", required=True, help="CLI names, e.g. dcgan sagan")
    parser.add_argument("--minutes", type=float, required=True, help="the training budget of each model")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="cpu")
    parser.add_argument("--snapshots", type=float, nargs="*", default=[], help="minutes to save snapshots at")
    parser.add_argument("--evaluate-snapshots", type=float, nargs="*", default=[],
                        help="which snapshots to measure too (each costs as much as the final model)")
    parser.add_argument("--dataset", default="fashion_mnist")
    parser.add_argument("--data-dir")
    parser.add_argument("--runs", default="runs/equal_budget", help="parent folder of the run folders")
    parser.add_argument("--num-samples", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0, help="training seed")
    parser.add_argument("--retrain", action="store_true")
    parser.add_argument("--out", required=True, help="the JSON")
    parser.add_argument("--plot", help="a PNG of FID against minutes")
    args = parser.parse_args(argv)
    os.makedirs(args.runs, exist_ok=True)
    previous = json.load(open(args.out))["models"] if os.path.exists(args.out) else {}
    result = {"command": command(__spec__, argv), "protocol": __doc__.split("\n\n")[1].strip(),
              "dataset": args.dataset, "minutes": args.minutes, "clock": args.clock,
              "num_samples": args.num_samples, "models": {}}
    for model in args.models:
        run = train(model, args)
        record = json.load(open(os.path.join(run, "config.json")))
        result["models"][model] = {
            "class": get_entry(record["model"])["class"].__name__, "run": run, "preset": "cpu",
            "training": {k: record["training"][k] for k in ("batch_size", "learning_rate", "seed")},
            "points": points(model, run, args, previous.get(model, {}).get("points", [])),
        }
        write_json(args.out, result)  # after each model: nothing measured is lost
    if args.plot:
        plot(result, args.plot)


if __name__ == "__main__":
    main()
