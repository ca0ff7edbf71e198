"""Speed levers for the baby GPT, each a short run of tools/bench/bench_baby_gpt.py.

    python -m tools.studies.bench_baby_gpt_levers --iters 300 \\
        --out tools/results/baby_gpt_levers.json

Supports docs/baby_gpt.md ("Speed levers").

Each variant runs in its own process (thread settings and the dtype policy
are process-wide) for `--iters` steps of the baby-GPT schedule; the JSON
keeps each run's `steady_tokens_per_second` (after the first, compiling
call), `first_call_seconds`, `train_cpu_seconds`, peak RSS and the load
average, so the fastest settings can be chosen for the full 2000-step run.
Val losses after a short run are not comparable with the full benchmark.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

from tools.record import command, write_json

VARIANTS = {
    "fit": [],
    "fit_steps_per_execution_20": ["--steps-per-execution", "20"],
    "bf16_steps_per_execution_20": ["--precision", "bf16", "--steps-per-execution", "20"],
    "xla_steps_per_execution_20": ["--xla", "--steps-per-execution", "20"],
    "xla_bf16_steps_per_execution_20": ["--xla", "--precision", "bf16", "--steps-per-execution", "20"],
    "threads_2_1_steps_per_execution_20": ["--intra-threads", "2", "--inter-threads", "1",
                                           "--steps-per-execution", "20"],
}
KEYS = ("steady_tokens_per_second", "tokens_per_second", "first_call_seconds", "train_seconds",
        "train_cpu_seconds", "peak_rss_mib", "val_loss", "machine")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iters", type=int, default=300)
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma list of " + ", ".join(VARIANTS))
    parser.add_argument("--out", default="tools/results/baby_gpt_levers.json")
    args = parser.parse_args()
    results = {"iters": args.iters, "command": command(__spec__), "variants": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.variants.split(","):
            out = os.path.join(tmp, f"{name}.json")
            subprocess.run([sys.executable, "-m", "tools.bench.bench_baby_gpt", "--iters", str(args.iters), "--out", out] + VARIANTS[name],
                           check=True, stdout=subprocess.DEVNULL)
            with open(out) as f:
                run = json.load(f)
            results["variants"][name] = {"flags": " ".join(VARIANTS[name]), **{k: run[k] for k in KEYS}}
            print(name, run["steady_tokens_per_second"], "tokens/s steady", flush=True)
    write_json(args.out, results)


if __name__ == "__main__":
    main()
