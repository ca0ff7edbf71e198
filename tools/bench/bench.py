"""The bench harness: one JSON per model with throughput, peak RSS and quality.

    python -m tools.bench.bench --data-dir ../shared/data --runs runs/reference
    python -m tools.bench.bench --models dcgan --stages throughput      # re-time one model
    python -m tools.bench.bench --models vae --stages quality --refresh  # re-measure

Writes `tools/results/bench/<model>.json` for the image models of the
registry and the character language models (`gpt`, `lstm`):

- `throughput` stage: training throughput in float32, bf16, fp16 and
  float32 + XLA, each cell in a fresh process (so its peak RSS is its own).
  Image models: `tools/bench/bench_precision.py`'s timing of the `cpu` preset
  (batch 128, images/s, Fashion-MNIST train images); text models: a short
  `tools/bench/bench_baby_gpt.py` run (tokens/s after the first, compiling call).
- `quality` stage: runs the tool that produces each quality JSON when it is
  missing, older than the model it measured, or `--refresh` is given:
  `train_reference.py` (budget, test metrics, CNN-feature distance),
  `fid_models.py` (Inception FID, KID, precision/recall, 10,000 samples vs
  the test split), `vae_likelihood.py` (IWAE), `anomaly_auroc.py`,
  `denoising_quality.py`, `bench_baby_gpt.py` (nanoGPT baby-GPT budget).
- the join (always): reads those JSONs into the model's bench JSON, every
  quality number with its unit, sample count, source file and command.

`tools/bench/render_readme.py` renders the README's results, throughput and FID
tables from these files only. Data: `--data-dir` holds `fashion-mnist/`
and `tinyshakespeare/` (the layout of `../shared/data`).
"""

import argparse
import collections
import contextlib
import fcntl
import json
import os
import statistics
import subprocess
import sys
import tempfile

from tools.record import RESULTS, ROOT

IMAGE_MODES = ("float32", "bf16", "fp16", "float32_xla")
TEXT_MODES = {"float32": [], "bf16": ["--precision", "bf16"], "float32_xla": ["--xla"]}
TEXT_MODELS = {"gpt": "baby_gpt.json", "lstm": "baby_lstm.json"}
GENERATORS = ("vae", "cvae", "gan", "dcgan", "cgan", "wgan", "wgan_gp")


def text_class(model):
    from keras_genai.models.registry import get_entry

    return get_entry(model)["class"].__name__


def image_models():
    from keras_genai.models.registry import MODELS

    return [name for name, entry in MODELS.items() if entry["class"].input_kind == "images"]


# === Quality sources ===

# A quality JSON: its file name, the command (a tools.bench module) that writes it, the
# function that reads its metrics, and whether the tool measures the trained
# run (then the JSON is stale once the run is newer) or trains its own models.
Source = collections.namedtuple("Source", ["file", "command", "extract", "reads_run"], defaults=[False])


def _metric(value, unit, samples, split="fashion_mnist test", **extra):
    return {"value": value, "unit": unit, "samples": samples, "split": split, **extra}


def training_metrics(record):
    t = record["test"]
    names = {"accuracy": ("accuracy", "fraction"), "psnr": ("psnr", "dB"), "noisy_psnr": ("noisy_psnr", "dB"),
             "elbo": ("elbo", "nats/image"), "elbo_bits_per_dim": ("elbo_bits_per_dim", "bits/dim"),
             "mean_activation": ("mean_code_activation", "fraction"),
             "reconstruction_loss": ("reconstruction_loss", "per pixel"),
             "domain_frechet_distance_10k": ("cnn_feature_distance", "not comparable with FID")}
    if "elbo" in t:  # the VAEs' reconstruction term is summed over pixels
        names["reconstruction_loss"] = ("reconstruction_loss", "nats/image")
    elif "reconstruction_loss" in record.get("model_config", {}):
        names["reconstruction_loss"] = ("reconstruction_loss",
                                        f"per-pixel {record['model_config']['reconstruction_loss'].upper()}")
    return {name: _metric(t[key], unit, 10000) for key, (name, unit) in names.items() if key in t}


def fid_metrics(record):
    n = record["num_samples"]
    split = f"{record['dataset']} {record['split']}, {record['num_reference_samples']} images"
    reference = record["num_reference_samples"]
    return {"fid": _metric(record["fid"], "Inception pool3", n, split, reference_samples=reference),
            "kid": _metric(record["kid"], f"± {record['kid_std']:.4f}", n, split, std=record["kid_std"]),
            "precision": _metric(record["precision"], f"k={record['k']}", n, split),
            "recall": _metric(record["recall"], f"k={record['k']}", n, split)}


def likelihood_metrics(record):
    out = {"negative_elbo": _metric(record["negative_elbo_test"]["nats"], "nats/image",
                                    record["negative_elbo_test"]["num_images"])}
    bound = record.get("test_bound")
    if bound:
        out[f"iwae_nll_k{bound['k']}"] = _metric(bound["iwae_nll"]["nats"], "nats/image", bound["num_images"])
    for row in record["subset_bounds"]:
        out[f"iwae_nll_k{row['k']}_first_{row['num_images']}"] = _metric(
            row["iwae_nll"]["nats"], "nats/image", row["num_images"], "fashion_mnist test, first images")
    return out


def auroc_metrics(model):
    def extract(record):
        detector = record["detectors"].get(model)
        if detector is None:
            return {}
        budget = record["budget"]
        return {"one_class_mean_auroc": {
            **_metric(detector["mean_auroc_percent"], "percent", 10000),
            "budget": f"one model per class, {budget['epochs']} epochs, batch {budget['batch_size']}"}}
    return extract


def denoising_metrics(record):
    return {"denoised_psnr": _metric(record["denoised"]["psnr_db"], "dB", 10000),
            "denoised_ssim": _metric(record["denoised"]["ssim"], "SSIM", 10000),
            "noisy_ssim": _metric(record["noisy_input"]["ssim"], "SSIM", 10000)}


def text_metrics(record):
    split = "tiny_shakespeare validation+test"
    return {"val_loss": _metric(record["val_loss"], "nats/char", record["val_predictions"], split),
            "val_loss_nanogpt_style": _metric(record["val_loss_nanogpt_style"], "nats/char",
                                              record["val_loss_nanogpt_style_batches"], split + ", random windows")}


def sources(model, args):
    """The quality `Source`s of one model."""
    data, runs = args.data_dir, args.runs
    fashion = os.path.join(data, "fashion-mnist")
    if model in TEXT_MODELS:
        extra = ["--model", "lstm", "--lstm-units", "256"] if model == "lstm" else []
        return [Source(TEXT_MODELS[model], ["tools.bench.bench_baby_gpt", "--manual-dir", os.path.join(data, "tinyshakespeare"),
                                            "--out", os.path.join(RESULTS, TEXT_MODELS[model])] + extra, text_metrics)]
    feature = ["--feature-model", os.path.join(runs, "cnn")] if model in GENERATORS else []
    out = [Source(f"{model}.json", ["tools.bench.train_reference", "--models", model, "--out", runs, "--results", RESULTS,
                                    "--data-dir", fashion] + feature, training_metrics)]
    if model in GENERATORS:
        out.append(Source(f"fid_{model}.json", ["tools.bench.fid_models", "--models", model, "--runs", runs,
                                                "--results", RESULTS, "--data-dir", fashion], fid_metrics, True))
    if model == "vae":
        out.append(Source("vae_likelihood_300.json", [
            "tools.bench.vae_likelihood", "--model", os.path.join(runs, "vae", "model.keras"), "--data-dir", fashion,
            "--num-images", "300", "--k", "1", "50", "5000", "--full-k", "50",
            "--out", os.path.join(RESULTS, "vae_likelihood_300.json")], likelihood_metrics, True))
    if model in ("autoencoder", "vae"):
        out.append(Source("anomaly_auroc.json", ["tools.bench.anomaly_auroc", "--data-dir", fashion, "--detectors",
                                                 "autoencoder", "vae", "--out",
                                                 os.path.join(RESULTS, "anomaly_auroc.json")], auroc_metrics(model)))
    if model == "denoising_autoencoder":
        out.append(Source("denoising_quality.json", [
            "tools.bench.denoising_quality", "--model", os.path.join(runs, model, "model.keras"), "--data-dir", fashion,
            "--out", os.path.join(RESULTS, "denoising_quality.json")], denoising_metrics, True))
    return out


def stale(source, model, args):
    """Missing, or (for a tool that measures the trained run) older than it."""
    path = os.path.join(RESULTS, source.file)
    if not os.path.exists(path):
        return True
    trained = os.path.join(args.runs, model, "model.keras")
    return source.reads_run and os.path.exists(trained) and os.path.getmtime(trained) > os.path.getmtime(path)


def run_tool(command, **kwargs):
    """Runs `python -m MODULE ARGS` (`command`) with this checkout first on the import path."""
    subprocess.run([sys.executable, "-m"] + command, check=True, env={**os.environ, "PYTHONPATH": ROOT}, **kwargs)


# === Throughput ===


def timed_cell(command):
    """The JSON a timing tool writes for `command` (its `--out` added), run in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cell.json")
        run_tool(command + ["--out", out], stdout=subprocess.DEVNULL)
        with open(out) as f:
            return json.load(f)


def image_cell(model, mode, args):
    cell = timed_cell(["tools.bench.bench_precision", "--models", model, "--modes", mode,
                       "--data-dir", os.path.join(args.data_dir, "fashion-mnist")])
    row = cell["rows"][0]
    return {"units_per_second": row["images_per_second"], "unit": "images/s", "batch_size": row["batch_size"],
            "peak_rss_mib": row["peak_rss_mib"], "compile_seconds": row["warmup_seconds"], "machine": cell["machine"]}


def text_cell(model, mode, args):
    extra = ["--model", "lstm", "--lstm-units", "256"] if model == "lstm" else []
    run = timed_cell(["tools.bench.bench_baby_gpt", "--iters", str(args.text_iters),
                      "--manual-dir", os.path.join(args.data_dir, "tinyshakespeare")] + extra + TEXT_MODES[mode])
    return {"units_per_second": run["steady_tokens_per_second"], "unit": "tokens/s", "batch_size": run["batch_size"],
            "peak_rss_mib": run["peak_rss_mib"], "compile_seconds": run["first_call_seconds"], "machine": run["machine"]}


@contextlib.contextmanager
def timing_lock(path):
    """Holds an exclusive lock on `path` (if given), so timed runs never overlap."""
    if not path:
        yield
        return
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def throughput(model, args):
    """`--rounds` fresh cells per mode, modes alternating; the median cell is kept."""
    modes = [m for m in args.modes if m in (TEXT_MODES if model in TEXT_MODELS else IMAGE_MODES)]
    runs = {mode: [] for mode in modes}
    for _ in range(args.rounds):
        for mode in modes:
            with timing_lock(args.lock):
                cell = (text_cell if model in TEXT_MODELS else image_cell)(model, mode, args)
            runs[mode].append(cell)
            print(f"{model:<22} {mode:<12} {cell['units_per_second']:>10,.1f} {cell['unit']}  "
                  f"peak RSS {cell['peak_rss_mib']:,.0f} MiB", flush=True)
    cells = {}
    for mode, rows in runs.items():
        rates = [row["units_per_second"] for row in rows]
        cells[mode] = {**rows[0], "units_per_second": round(statistics.median(rates), 1), "all_rounds": rates,
                       "peak_rss_mib": max(row["peak_rss_mib"] for row in rows)}
    return cells


# === Join ===


def join(model, previous, args):
    record = {"model": model, "quality": {}, "sources": {}, "throughput": previous.get("throughput"),
              "throughput_command": previous.get("throughput_command")}
    for quality in sources(model, args):
        name = quality.file
        path = os.path.join(RESULTS, name)
        if not os.path.exists(path):
            continue
        with open(path) as f:
            source = json.load(f)
        record["quality"].update({k: {**v, "source": f"tools/results/{name}"}
                                  for k, v in quality.extract(source).items()})
        record["sources"][f"tools/results/{name}"] = {"command": source.get("command"),
                                                      "stale": stale(quality, model, args)}
        if name == f"{model}.json":
            record.update({"class": source["class"], "parameters": source["parameters"],
                           "budget": source["budget"], "data": source["data"]})
        elif name == TEXT_MODELS.get(model):
            record.update({"class": text_class(model), "parameters": source["parameters"], "data": source["data"],
                           "budget": {"iterations": source["iters"], "batch_size": source["batch_size"],
                                      "context": source["context"], "precision": source["precision"],
                                      "wall_seconds": source["wall_seconds"],
                                      "tokens_per_second": source["tokens_per_second"],
                                      "peak_rss_mib": source["peak_rss_mib"]}})
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", help="default: every image model of the registry, gpt and lstm")
    parser.add_argument("--stages", nargs="*", default=["throughput", "quality"], choices=["throughput", "quality"],
                        help="what to measure before the join (none: only join the existing JSONs)")
    parser.add_argument("--refresh", action="store_true", help="re-run every quality tool, not only missing/stale ones")
    parser.add_argument("--data-dir", default=os.path.join(ROOT, "..", "shared", "data"),
                        help="folder with fashion-mnist/ and tinyshakespeare/ (default: ../shared/data)")
    parser.add_argument("--runs", default="runs/reference", help="trained runs, one folder per model")
    parser.add_argument("--modes", nargs="+", default=["float32", "bf16", "float32_xla"], choices=IMAGE_MODES,
                        help="precision/XLA modes to time (fp16 has no fast CPU kernels; text models: no fp16)")
    parser.add_argument("--rounds", type=int, default=2, help="fresh cells per mode; the median is kept")
    parser.add_argument("--text-iters", type=int, default=200, help="training steps of a text throughput cell")
    parser.add_argument("--lock", help="a lock file held during each timed cell (other timed jobs take it too)")
    parser.add_argument("--out", default=os.path.join(RESULTS, "bench"))
    args = parser.parse_args()
    models = args.models or image_models() + list(TEXT_MODELS)
    os.makedirs(args.out, exist_ok=True)
    for model in models:
        path = os.path.join(args.out, f"{model}.json")
        previous = {}
        if os.path.exists(path):
            with open(path) as f:
                previous = json.load(f)
        if "quality" in args.stages:
            for quality in sources(model, args):
                if args.refresh or stale(quality, model, args):
                    print("+ python -m " + " ".join(quality.command), flush=True)
                    run_tool(quality.command)
        if "throughput" in args.stages:
            previous["throughput"] = throughput(model, args)
            previous["throughput_command"] = (f"python -m tools.bench.bench --models {model} --stages throughput "
                                              f"--modes {' '.join(args.modes)} --rounds {args.rounds}"
                                              + (f" --text-iters {args.text_iters}" if model in TEXT_MODELS else ""))
        record = join(model, previous, args)
        with open(path, "w") as f:
            json.dump(record, f, indent=1)
        print(f"wrote {path}", flush=True)


if __name__ == "__main__":
    main()
