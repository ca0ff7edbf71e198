"""`keras-genai train gpt` with its defaults vs the baby-GPT benchmark at the same budget.

    nice -n 15 python -m tools.studies.text_cli_vs_bench --epochs 5 --steps-per-epoch 400 \
        --data-dir /work/shared/data/tinyshakespeare --runs /tmp/text_cli_vs_bench \
        --before-run /tmp/ts/runs/cli_gpt_2000 --out tools/results/text_cli_vs_bench.json

Supports the README's "Your own text" paragraph and the `gpt` budget's learning-rate schedule.

The CLI run is `train gpt --dataset tiny_shakespeare` with every other
default (the `cpu` preset, batch 12, learning rate 1e-3 with the budget's
schedule), `--epochs` x `--steps-per-epoch` steps; the benchmark is
`tools.bench.bench_baby_gpt` (nanoGPT's schedule, random windows) with
`--iters` = the same step count and `--batch-size 12`. Both are scored the
benchmark's way: every character of tfds `validation+test` (111,540
characters) after the first predicted once, mean cross-entropy in nats
(`keras-genai eval RUN --split validation+test`). `--bench-json` takes an
earlier benchmark JSON of the same budget instead of running it (its
`iters` and `batch_size` are checked). `--before-run` evaluates
an existing run folder the same way and records its config.json: in
text_cli_vs_bench.json, the same `train` command run before the budget had
its schedule (commit 7d3df10: a constant learning rate of 1e-3; its
config.json has no `learning_rate_schedule`).
"""

import argparse
import json
import os
import subprocess
import sys
import time

from tools.record import ROOT, command, write_json


def evaluate_run(run, data_dir):
    from keras_genai.training import evaluate

    result = evaluate(run, dataset="tiny_shakespeare", split="validation+test", data_dir=data_dir)
    with open(os.path.join(run, "config.json")) as f:
        config = json.load(f)
    return {"val_loss": round(result["metrics"]["loss"], 4), "predicted_tokens": result["predicted_tokens"],
            "training": config["training"]}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--steps-per-epoch", type=int, default=400)
    p.add_argument("--data-dir", default="/work/shared/data/tinyshakespeare")
    p.add_argument("--runs", required=True, help="folder for the CLI run and the benchmark's JSON")
    p.add_argument("--bench-json", help="a bench_baby_gpt JSON of the same budget, used instead of a new run")
    p.add_argument("--before-run", help="an existing CLI run folder to score the same way")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    from keras_genai.cli.main import main as cli

    steps = args.epochs * args.steps_per_epoch
    run = os.path.join(args.runs, "cli_gpt")
    cli_argv = ["train", "gpt", "--dataset", "tiny_shakespeare", "--data-dir", args.data_dir,
                "--epochs", str(args.epochs), "--steps-per-epoch", str(args.steps_per_epoch),
                "--export", "none", "--overwrite", "--out", run]
    started = time.perf_counter()
    assert cli(cli_argv) == 0, cli_argv
    cli_row = {"command": "keras-genai " + " ".join(cli_argv), "seconds": round(time.perf_counter() - started),
               **evaluate_run(run, args.data_dir)}
    print(json.dumps({"cli": cli_row["val_loss"]}), flush=True)
    if args.bench_json:
        with open(args.bench_json) as f:
            bench = json.load(f)
        if (bench["iters"], bench["batch_size"]) != (steps, 12):
            raise SystemExit(f"{args.bench_json} ran {bench['iters']} steps of batch {bench['batch_size']}, "
                             f"not {steps} of 12")
        bench_command = bench["command"]
    else:
        bench_json = os.path.join(args.runs, "bench.json")
        bench_argv = ["-m", "tools.bench.bench_baby_gpt", "--iters", str(steps), "--batch-size", "12",
                      "--out", bench_json]
        subprocess.run([sys.executable, *bench_argv], cwd=ROOT, check=True)
        with open(bench_json) as f:
            bench = json.load(f)
        bench_command = "python " + " ".join(bench_argv)
    result = {
        "command": command(__spec__, argv),
        "budget": {"steps": steps, "batch_size": 12, "context": 64,
                   "note": "the CLI's full default budget is 5 epochs of all 15,684 windows of tfds train "
                           "(6,535 steps); this is the same steps and batch for both"},
        "validation": "tfds tiny_shakespeare validation+test, every character after the first predicted once",
        "cli": cli_row,
        "bench": {"command": bench_command, "source": args.bench_json or "run by this tool",
                  "val_loss": round(bench["val_loss"], 4), "train_seconds": bench["train_seconds"],
                  "training": bench["training"]},
    }
    if args.before_run:
        result["cli_before"] = evaluate_run(args.before_run, args.data_dir)
    write_json(args.out, result)


if __name__ == "__main__":
    main()
