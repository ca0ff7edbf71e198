"""Renders the README's results tables from tools/results/*.json.

    python tools/render_readme.py            # rewrites README.md in place
    python tools/render_readme.py --check    # exit 1 if README is stale

Only the text between `<!-- results:start -->` and `<!-- results:end -->`
(and the `export`, `precision` and `fid` markers) is replaced, so README numbers are never typed
by hand.
"""

import argparse
import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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
ORDER = ["mlp", "cnn", "autoencoder", "denoising_autoencoder", "sparse_autoencoder", "vae", "cvae",
         "gan", "dcgan", "cgan", "wgan", "wgan_gp"]


def domain_distance(t):
    if "domain_frechet_distance_10k" not in t:
        return ""
    return (f"CNN-feature Fréchet distance **{t['domain_frechet_distance_10k']:.2f}** "
            f"(real train images: {t['domain_frechet_distance_10k_real_train']:.2f})")


def headline(record):
    t = record["test"]
    if "accuracy" in t:
        return f"accuracy **{100 * t['accuracy']:.2f}%**"
    if "elbo" in t:
        elbo = f"ELBO **{t['elbo']:.1f} nats** ({t['elbo_bits_per_dim']:.3f} bits/dim)"
        return "; ".join(filter(None, [elbo, domain_distance(t)]))
    if "d_loss" in t:
        return domain_distance(t) or "not measured"
    parts = [f"PSNR **{t['psnr']:.2f} dB**"]
    if "noisy_psnr" in t:
        parts.append(f"noisy input {t['noisy_psnr']:.2f} dB")
    if "mean_activation" in t:
        parts.append(f"mean code activation {t['mean_activation']:.4f}")
    parts.append(f"per-pixel {record['model_config']['reconstruction_loss'].upper()} {t['reconstruction_loss']:.4f}")
    return ", ".join(parts)


def optimizer(record):
    lr = record["budget"]["learning_rate"]
    return f"Adam {lr:g}" if lr else "class default optimizers"


def results_table(records):
    rows = [
        "| CLI name | class | test metric (Fashion-MNIST test, 10,000 images) | params | budget (CPU, 2 cores) |",
        "|---|---|---|---:|---|",
    ]
    for name in ORDER:
        if name not in records:
            continue
        r = records[name]
        b = r["budget"]
        rows.append(
            f"| `{name}` | [`{r['class']}`]({FILES[r['class']]}) | {headline(r)} | {r['parameters']:,} | "
            f"{b['epochs']} epochs, batch {b['batch_size']}, {optimizer(r)}"
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


def precision_table():
    path = os.path.join(ROOT, "tools", "results", "bench_precision.json")
    if not os.path.exists(path):
        return "(run tools/bench_precision.py)"
    with open(path) as f:
        bench = json.load(f)
    modes = ["float32", "bf16", "fp16", "float32_xla"]
    table = {}
    for row in bench["rows"]:
        table.setdefault(row["model"], {})[row["mode"]] = row["images_per_second"]
    batch = bench["rows"][0]["batch_size"]
    rows = [f"| model (batch {batch}) | float32 | bf16 | fp16 | float32 + XLA |", "|---|---:|---:|---:|---:|"]
    for model, cells in table.items():
        rows.append(f"| `{model}` | " + " | ".join(
            f"{cells[m]:,.0f}" if m in cells else "-" for m in modes) + " |")
    return "\n".join(rows)


def fid_table(records):
    rows = ["| model | FID | KID (×10³) | precision | recall | samples (generated / test) | training |",
            "|---|---:|---:|---:|---:|---|---|"]
    paths = sorted(glob.glob(os.path.join(ROOT, "tools", "results", "fid_*.json")))
    paths = [p for p in paths if not os.path.basename(p).startswith("fid_reference")]
    names = [os.path.basename(p)[4:-5] for p in paths]
    for name, path in sorted(zip(names, paths), key=lambda item: ORDER.index(item[0]) if item[0] in ORDER else 99):
        with open(path) as f:
            r = json.load(f)
        budget = records.get(name, {}).get("budget")
        training = "-" if budget is None else (
            f"{budget['epochs']} epochs, batch {budget['batch_size']}"
            + ("" if budget.get("mixed_precision") in (None, "none") else f", {budget['mixed_precision']}"))
        rows.append(f"| `{name}` | **{r['fid']:.2f}** | {1000 * r['kid']:.1f} ± {1000 * r['kid_std']:.1f} | "
                    f"{r['precision']:.3f} | {r['recall']:.3f} | {r['num_samples']:,} / "
                    f"{r['num_reference_samples']:,} | {training} |")
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
        if "model" in record and "test" in record:
            records[record["model"]] = record
    readme_path = os.path.join(ROOT, "README.md")
    with open(readme_path) as f:
        text = f.read()
    new = replace(text, "results", results_table(records))
    new = replace(new, "export", export_table(records))
    new = replace(new, "precision", precision_table())
    new = replace(new, "fid", fid_table(records))
    if args.check:
        sys.exit(0 if new == text else 1)
    with open(readme_path, "w") as f:
        f.write(new)


if __name__ == "__main__":
    main()
