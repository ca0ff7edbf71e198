"""Seed-to-seed spread of benchmark runs: mean, sample std, min, max per key.

    python -m tools.studies.summarize_seeds tools/results/baby_gpt_seeds/*.json \
        --out tools/results/baby_gpt_seeds.json

Reads JSON files written by tools/bench/bench_baby_gpt.py or
tools/reference/bench_nanogpt_torch.py (one run each, differing only in `--seed`)
and summarises `val_loss` and `val_loss_nanogpt_style`. Supports docs/baby_gpt.md
("Seed-to-seed spread").
"""

import argparse
import json
import os
import statistics

from tools.record import write_json

KEYS = ("val_loss", "val_loss_nanogpt_style")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+", help="JSON files, one run each")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    runs = {}
    for path in args.runs:
        with open(path) as f:
            runs[os.path.basename(path)] = json.load(f)
    seeds = [run.get("seed", (run.get("config") or {}).get("seed")) for run in runs.values()]
    summary = {"runs": {name: {"seed": seed, **{k: run[k] for k in KEYS}}
                        for (name, run), seed in zip(runs.items(), seeds)}}
    for key in KEYS:
        values = [run[key] for run in runs.values()]
        summary[key] = {
            "mean": statistics.fmean(values),
            "std": statistics.stdev(values) if len(values) > 1 else None,
            "min": min(values), "max": max(values), "n": len(values),
        }
    summary["command"] = "python -m tools.studies.summarize_seeds " + " ".join(
        [os.path.relpath(p) for p in args.runs] + ["--out", args.out])
    write_json(args.out, summary)
    print(json.dumps({k: summary[k] for k in KEYS}))


if __name__ == "__main__":
    main()
