"""Renders the README's tables from tools/results/bench/*.json (tools/bench/bench.py).

    python -m tools.bench.render_readme            # rewrites README.md in place
    python -m tools.bench.render_readme --check    # exit 1 if README is stale

Only the text between `<!-- results:start -->` and `<!-- results:end -->`
(and the `precision` and `fid` markers) is replaced, from the bench harness's
per-model JSON; the `export` table comes from train_reference's JSON. So README
numbers are never typed by hand.
"""

import argparse
import glob
import json
import os
import re
import sys

from keras_genai.models.registry import describe_optimizers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FILES = {
    "MLPClassifier": "keras_genai/models/classifier/mlp_classifier.py",
    "CNNClassifier": "keras_genai/models/classifier/cnn_classifier.py",
    "Autoencoder": "keras_genai/models/autoencoder/autoencoder.py",
    "DenoisingAutoencoder": "keras_genai/models/autoencoder/denoising_autoencoder.py",
    "SparseAutoencoder": "keras_genai/models/autoencoder/sparse_autoencoder.py",
    "VAE": "keras_genai/models/vae/vae.py",
    "ConditionalVAE": "keras_genai/models/vae/conditional_vae.py",
    "GAN": "keras_genai/models/gan/gan.py",
    "DCGAN": "keras_genai/models/gan/dcgan.py",
    "ConditionalGAN": "keras_genai/models/gan/conditional_gan.py",
    "WGAN": "keras_genai/models/gan/wgan.py",
    "WGANGP": "keras_genai/models/gan/wgan_gp.py",
}
TEXT_ORDER = ["gpt", "lstm"]
ORDER = ["mlp", "cnn", "autoencoder", "denoising_autoencoder", "sparse_autoencoder", "vae", "cvae",
         "gan", "dcgan", "cgan", "wgan", "wgan_gp"]


def value(quality, name):
    return quality[name]["value"] if name in quality else None


# (metric that must be present, how it reads in the table), in table order.
HEADLINE = [
    ("accuracy", lambda q: f"accuracy **{100 * value(q, 'accuracy'):.2f}%**"),
    ("elbo", lambda q: f"ELBO **{value(q, 'elbo'):.1f} nats** ({value(q, 'elbo_bits_per_dim'):.3f} bits/dim)"),
    ("iwae_nll_k50", lambda q: f"IWAE NLL (k=50) {value(q, 'iwae_nll_k50'):.1f} nats"),
    ("psnr", lambda q: f"PSNR **{value(q, 'psnr'):.2f} dB**"),
    ("noisy_psnr", lambda q: f"noisy input {value(q, 'noisy_psnr'):.2f} dB"),
    ("denoised_ssim", lambda q: f"SSIM {value(q, 'denoised_ssim'):.3f} (noisy {value(q, 'noisy_ssim'):.3f})"),
    ("mean_code_activation", lambda q: f"mean code activation {value(q, 'mean_code_activation'):.4f}"),
    ("reconstruction_loss", lambda q: "" if "elbo" in q else
     f"{q['reconstruction_loss']['unit']} {value(q, 'reconstruction_loss'):.4f}"),
    ("fid", lambda q: f"Inception FID **{value(q, 'fid'):.2f}** ({q['fid']['samples']:,} samples)"),
    ("cnn_feature_distance", lambda q: f"CNN-feature distance {value(q, 'cnn_feature_distance'):.1f}"),
    ("one_class_mean_auroc", lambda q: f"one-class AUROC {value(q, 'one_class_mean_auroc'):.1f}% "
                                       f"({q['one_class_mean_auroc']['budget']})"),
]


def headline(record):
    q = record["quality"]
    return "; ".join(filter(None, (text(q) for name, text in HEADLINE if name in q))) or "not measured"


def optimizer(name, budget):
    # The class's own optimizers at the run's rate. Runs recorded before the
    # budgets carried their rate have None: the class default, which the budget now states.
    return describe_optimizers(name, budget["learning_rate"])


def image_records(bench):
    return [(name, bench[name]) for name in ORDER if name in bench and "budget" in bench[name]]


def results_table(bench):
    rows = [
        "| CLI name | class | test metrics (Fashion-MNIST test, 10,000 images) | params | budget (CPU, 2 cores) |",
        "|---|---|---|---:|---|",
    ]
    for name, r in image_records(bench):
        b = r["budget"]
        rows.append(
            f"| `{name}` | [`{r['class']}`]({FILES[r['class']]}) | {headline(r)} | {r['parameters']:,} | "
            f"{b['epochs']} epochs, batch {b['batch_size']}, {optimizer(name, b)}"
            f"{', ' + b['mixed_precision'] if b.get('mixed_precision', 'none') != 'none' else ''}: "
            f"{b['train_seconds'] / 60:.1f} min |"
        )
    return "\n".join(rows)


def export_table(records):
    rows = [
        "| model | endpoint | float32 | dynamic | float16 | int8 |",
        "|---|---|---|---|---|---|",
    ]
    for name in ORDER:
        if name not in records:
            continue
        by_endpoint = {}
        for row in records[name]["export"]["litert"]:
            by_endpoint.setdefault(row["endpoint"], {})[row["quantization"]] = row
        for endpoint, cells in by_endpoint.items():
            rows.append(
                f"| `{name}` | `{endpoint}` | "
                + " | ".join(
                    f"{cells[q]['size_bytes'] / 1024:.0f} KiB, {cells[q]['max_abs_diff']:.1e}" if q in cells else "-"
                    for q in ("float32", "dynamic", "float16", "int8")
                )
                + " |"
            )
    return "\n".join(rows)


def throughput_table(bench):
    names = [name for name in ORDER + TEXT_ORDER if (bench.get(name) or {}).get("throughput")]
    modes = [m for m in ("float32", "bf16", "fp16", "float32_xla") if any(m in bench[n]["throughput"] for n in names)]
    titles = {"float32": "float32", "bf16": "bf16", "fp16": "fp16", "float32_xla": "float32 + XLA"}
    rows = ["| model | unit (batch) | " + " | ".join(titles[m] for m in modes) + " | peak RSS, float32 |",
            "|---|---|" + "---:|" * (len(modes) + 1)]
    for name in names:
        cells = bench[name]["throughput"]
        first = cells["float32"]
        rows.append(f"| `{name}` | {first['unit']} ({first['batch_size']}) | " + " | ".join(
            f"{cells[m]['units_per_second']:,.0f}" if m in cells else "-" for m in modes)
            + f" | {first['peak_rss_mib']:,.0f} MiB |")
    return "\n".join(rows)


def fid_table(bench):
    rows = ["| model | FID | KID (×10³) | precision | recall | samples (generated / test) | training |",
            "|---|---:|---:|---:|---:|---|---|"]
    for name, r in image_records(bench):
        q = r["quality"]
        if "fid" not in q:
            continue
        b = r["budget"]
        training = (f"{b['epochs']} epochs, batch {b['batch_size']}"
                    + ("" if b.get("mixed_precision") in (None, "none") else f", {b['mixed_precision']}"))
        kid_std = q["kid"]["std"]
        reference = q["fid"]["reference_samples"]
        rows.append(f"| `{name}` | **{value(q, 'fid'):.2f}** | {1000 * value(q, 'kid'):.1f} ± {1000 * kid_std:.1f} | "
                    f"{value(q, 'precision'):.3f} | {value(q, 'recall'):.3f} | {q['fid']['samples']:,} / "
                    f"{reference:,} | {training} |")
    return "\n".join(rows)


def translation_table(records):
    """CycleGAN runs of `tools/bench/translation_protocol.py`, each direction beside its baselines."""
    rows = ["| domains (A ↔ B) | direction | target-class rate (untranslated / target train) | cycle PSNR | "
            "CNN-feature FD (untranslated / target train) | FID (untranslated / target train) | training |",
            "|---|---|---:|---:|---:|---:|---|"]
    # The budget's wall minutes, the process's CPU minutes where the run recorded them, and the
    # generator's downsamplings (the cpu preset's changed from 2 to 1; older runs say 2).

    def triple(cell, digits):
        if not cell:
            return "-"
        return (f"**{cell['translated']:.{digits}f}** ({cell['untranslated']:.{digits}f} / "
                f"{cell['target_train']:.{digits}f})")

    for record in records:
        for run in record["runs"]:
            t = run["training"]
            minutes = f", {t['train_seconds'] / 60:.0f} min" if "train_seconds" in t else ""
            if "train_cpu_minutes" in t:
                minutes += f" ({t['train_cpu_minutes']:.0f} CPU min)"
            minutes += f", {run['model_config']['downsamplings']} downsampling(s)"
            for direction in ("a2b", "b2a"):
                d = run[direction]
                rows.append(f"| `{run['domains']['a']}` ↔ `{run['domains']['b']}` | {direction} | "
                            f"{triple(d.get('target_rate'), 3)} | {d['cycle_psnr_db']:.1f} dB | "
                            f"{triple(d.get('cnn_fd'), 2)} | {triple(d.get('fid'), 1)} | "
                            f"{t['epochs']} epochs, batch {t['batch_size']}{minutes} |")
    return "\n".join(rows)


def translation_export_table(record):
    """Both CycleGAN endpoints per run and quantization (`tools/bench/litert_ops.py`)."""
    rows = ["| run (A ↔ B) | endpoint | float32 | dynamic | float16 | int8 | ops |",
            "|---|---|---|---|---|---|---|"]
    for run in record["runs"]:
        t = run["training"]
        by_endpoint = {}
        for row in run["litert"]:
            by_endpoint.setdefault(row["endpoint"], {})[row["quantization"]] = row
        for endpoint, cells in by_endpoint.items():
            flex = sorted({op for c in cells.values() for op in c["flex_ops"]})
            rows.append(f"| `{t['domain_a']}` ↔ `{t['domain_b']}` | `{endpoint}` | " + " | ".join(
                f"{cells[q]['size_bytes'] / 1024:.0f} KiB, {cells[q]['max_abs_diff']:.1e}" if q in cells else "-"
                for q in ("float32", "dynamic", "float16", "int8"))
                + f" | {'Flex: ' + ', '.join(flex) if flex else 'builtin only'} |")
    return "\n".join(rows)


def fault_table(record):
    """Faults injected into tiny CLI trainings by `tools/bench/fault_injection.py`: what each lost."""
    rows = ["| fault (after step) | exit code | traceback | newest backup | steps lost | temporaries left | "
            "resumed run identical to an uninterrupted one | message |", "|---|---:|---|---|---:|---:|---|---|"]
    for f in record["faults"]:
        backup = f.get("newest_backup")
        resume = f.get("resume") or {}
        identical = resume.get("identical_to_uninterrupted")
        # The run folders were temporary: OUT stands for each.
        message = re.sub(r"/tmp/[^/ ]+/[^/ ]+", "OUT", f.get("message") or "-")
        rows.append(f"| {f['fault']} ({f.get('struck_after_step', '-')}) | {f['exit_code']} | "
                    f"{'yes' if f['traceback'] else 'no'} | {'step ' + str(backup['step']) if backup else '-'} | "
                    f"{f['steps_lost']} | {len(f.get('temporaries_left') or [])} | "
                    f"{'-' if identical is None else 'yes' if identical else 'no'} | {message} |")
    return "\n".join(rows)


def distribute_table(record):
    """`tools/bench/distribute_equivalence.py`: each base under each strategy against one device."""
    runs = record["runs"]
    rows = ["| case (model, dtype policy) | " + " | ".join(r["strategy"] for r in runs) + " | tolerance |",
            "|---|" + "---|" * len(runs) + "---:|"]
    for case, spec in record["cases"].items():
        cells = []
        for run in runs:
            result = next((c for c in run["cases"] if c["case"] == case), None)
            cells.append("-" if result is None else
                         f"{'equal' if result['equal'] else '**differs**'}: loss {result['max_loss_difference']:.0e}, "
                         f"weights {result['max_weight_difference']:.0e}")
        rows.append(f"| `{case}` (`{spec['model']}`, {spec['dtype_policy']}) | " + " | ".join(cells)
                    + f" | {spec['tolerance']:g} |")
    return "\n".join(rows)


def litert_benchmark_table(record):
    """Published models' LiteRT files as a phone runs them (`tools/bench/litert_benchmark.py`)."""
    rows = ["| model | endpoint | quantization | size | latency, 1 / 2 threads (median ms) | memory added | "
            "quality | ops |", "|---|---|---|---:|---:|---:|---|---|"]
    for model in record["models"]:
        for f in model["files"]:
            one, two = f["latency"]["1_threads"], f["latency"]["2_threads"]
            q = f["quality"]
            quality = f"{q['metric']} {q['value']:.2f} ({q['images']} images)" if q else "-"
            rows.append(f"| `{model['name']}` | `{f['endpoint']}` | {f['quantization']} | {f['size_bytes'] / 1024:.0f} KiB | "
                        f"{one['median_ms']:.2f} / {two['median_ms']:.2f} | {one['rss_growth_mb']:.0f} MB | {quality} | "
                        f"{'Flex: ' + ', '.join(f['flex_ops']) if f['flex_ops'] else 'builtin only'} |")
    return "\n".join(rows)


def equal_budget_table(records):
    """`tools/bench/equal_budget.py`: each model's FID, KID and precision/recall at its minutes."""
    rows = ["| models compared | model | training time | steps (epochs) | FID | KID × 1000 | precision | recall | "
            "samples | CPU |", "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for record in records:
        compared = " vs ".join(f"`{m}`" for m in record["models"])
        cpu = record["machine"]["cpu"]["model_name"]
        for model, entry in record["models"].items():
            for point in entry["points"]:
                at = point["at"]
                rows.append(
                    f"| {compared} | `{model}` ({entry['class']}) | {point['minute']:g} {record['clock']} min "
                    f"({at['wall_seconds'] / 60:.1f} wall) | {at['step']:,} ({at['epoch']}) | **{point['fid']:.2f}** | "
                    f"{1000 * point['kid']:.1f} ± {1000 * point['kid_std']:.1f} | {point['precision']:.3f} | "
                    f"{point['recall']:.3f} | {point['num_samples']:,} / {point['num_reference_samples']:,} | {cpu} |")
    return "\n".join(rows)


def _own_row(what, model, step, quality, disk_mb):
    return f"| {what} | `{model}` | `{step['command']}` | {quality} | {step['seconds']:.0f} s | {disk_mb:.1f} MB |"


def own_data_table(record):
    """`tools/bench/own_data.py`: models trained from the CLI alone on data the tests do not use."""
    rows = ["| data | model | from the CLI | quality (held-out part of the user's data) | train wall | run folder |",
            "|---|---|---|---|---:|---:|"]
    data, parts = record["data"], record["rows"]
    if "images" in parts:
        images = parts["images"]
        what = f"{data['images']['images']:,} digits, 10 class folders (28×28)"
        cnn = images["cnn"]
        rows.append(_own_row(what, "cnn", cnn["train"], f"accuracy **{cnn['held_out_accuracy']:.3f}**", cnn["disk_mb"]))
        for model in ("cgan", "vae"):
            row = images[model]
            q = row["sample_quality"]
            # A subset as large as the held-out set is the whole set: one KID estimate, no spread.
            quality = (f"KID×1000 **{1000 * q['kid']:.1f}**, precision {q['precision']:.3f}, "
                       f"recall {q['recall']:.3f} ({q['num_samples']} samples vs {q['num_reference_samples']} held out)")
            if model == "cgan":
                labels = row["label_accuracy"]
                quality += f"; the cnn calls **{labels['accuracy']:.1%}** of {labels['samples']:,} samples their label"
            else:
                quality += f"; ELBO {row['held_out']['elbo']:.1f} nats"
            rows.append(_own_row(what, model, row["train"], quality, row["disk_mb"]))
        real = images.get("real_train_images")
        if real:
            rows.append(f"| {what} | real images | {real['num_samples']} of the folder's training images (the floor) | "
                        f"KID×1000 {1000 * real['kid']:.1f}, precision {real['precision']:.3f}, recall "
                        f"{real['recall']:.3f} (vs the {real['num_reference_samples']} held out) | - | - |")
    if "text" in parts:
        text = parts["text"]
        what = f"`{os.path.basename(data['text']['file'])}`, {data['text']['characters']:,} characters"
        ceiling = text["held_out_text"]["known_word_share"]
        for model in ("gpt", "lstm"):
            row = text[model]
            quality = (f"**{row['held_out_bits_per_char']:.2f}** bits/char (loss {row['held_out_loss']:.3f}); "
                       f"{row['sample']['known_word_share']:.1%} of sampled words occur in the training text "
                       f"(held-out text: {ceiling:.1%})")
            rows.append(_own_row(what, model, row["train"], quality, row["disk_mb"]))
    if "series" in parts:
        series = parts["series"]
        info = data["series"]
        what = f"US unemployment, {info['values']} quarters"
        arima = series["statsmodels_arima_1_1_1"]["rmse"]
        for model in ("ar", "lstm_forecaster"):
            row = series[model]
            quality = (f"RMSE **{row['rmse']:.3f}** (naive {row['naive_rmse']:.3f}, statsmodels ARIMA(1,1,1) "
                       f"{arima:.3f}), last {info['test_size']} quarters, horizon {info['horizon']}")
            rows.append(_own_row(what, model, row["forecast"], quality, row["disk_mb"]))
    rows.append(f"\nMachine: {record['machine']['cpu']['model_name']}, {record['machine']['cpu']['count']} cores; "
                f"wall times under load average {record['machine']['load']['start']} at the start.")
    return "\n".join(rows)


def replace(text, marker, body):
    pattern = re.compile(rf"(<!-- {marker}:start -->\n).*?(<!-- {marker}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no <!-- {marker}:start --> / <!-- {marker}:end --> markers")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    records = {}
    for path in glob.glob(os.path.join(ROOT, "tools", "results", "*.json")):
        with open(path) as f:
            record = json.load(f)
        # Only train_reference's own file per model (`<model>.json`), not variant runs.
        if "model" in record and "test" in record and os.path.basename(path) == f"{record['model']}.json":
            records[record["model"]] = record
    readme_path = os.path.join(ROOT, "README.md")
    with open(readme_path) as f:
        text = f.read()
    bench = {}
    for path in glob.glob(os.path.join(ROOT, "tools", "results", "bench", "*.json")):
        with open(path) as f:
            bench[os.path.basename(path)[:-5]] = json.load(f)
    new = replace(text, "results", results_table(bench))
    new = replace(new, "export", export_table(records))
    new = replace(new, "precision", throughput_table(bench))
    new = replace(new, "fid", fid_table(bench))
    translations = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tools", "results", "translation_*.json"))):
        with open(path) as f:
            translations.append(json.load(f))
    new = replace(new, "translation", translation_table(translations))
    budgets = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tools", "results", "equal_budget_*.json"))):
        with open(path) as f:
            budgets.append(json.load(f))
    if budgets:
        new = replace(new, "equal_budget", equal_budget_table(budgets))
    for marker, name, table in (("translation_export", "litert_cyclegan.json", translation_export_table),
                                ("litert_benchmark", "litert_benchmark.json", litert_benchmark_table),
                                ("faults", "fault_injection.json", fault_table),
                                ("distribute", "distribute_equivalence.json", distribute_table),
                                ("own_data", "own_data.json", own_data_table)):
        path = os.path.join(ROOT, "tools", "results", name)
        if os.path.exists(path):
            with open(path) as f:
                new = replace(new, marker, table(json.load(f)))
    if args.check:
        sys.exit(0 if new == text else 1)
    with open(readme_path, "w") as f:
        f.write(new)


if __name__ == "__main__":
    main()
