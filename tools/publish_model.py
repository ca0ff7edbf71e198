"""Publish a trained run as a pretrained model in `savedmodels/NAME/`.

    python -m tools.publish_model --run runs/reference/dcgan --name dcgan_fashion_mnist \\
        --results tools/results/dcgan.json tools/results/fid_dcgan.json

Writes, into a temporary folder renamed into place at the end (so that
`savedmodels/` never holds half a model):

- `model.keras`: the run's model without optimizer state (every network a
  fine-tune needs: a GAN's discriminator and weight average too), checked
  to give the run's outputs exactly;
- `config.json`: the run's (data, classes, budget), so `sample --label NAME`
  and `eval` know the model's data;
- `litert/ENDPOINT_QUANT.tflite`: every endpoint in `--quantizations`,
  exported from the published model (int8 calibrated on the run's own
  images), each with its parity against Keras on `parity_inputs.npz`;
- `card.json`: data, split, budget, every metric of the `--results` JSON
  files with its sample count and command, export sizes and parity,
  intended use and limitations; and `README.md`, rendered from it.

Refuses a result JSON that is stale (its `model_sha256` is not the run's
model.keras: the run changed after it was measured, or it predates the
hash) and an existing NAME without `--overwrite`.
"""

import argparse
import json
import os
import sys

import numpy as np

# What each family is for and what it cannot do; the numbers come from the results.
USES = {
    "DCGAN": ("Unconditional 28x28 grayscale samples in the style of its training data, and a "
              "starting point for fine-tuning a GAN on a small set of 28x28 grayscale images "
              "(`keras-genai train dcgan --from NAME --image-folder DIR`, with `--freeze "
              "discriminator:1` for very small sets).",
              "Trained for a CPU budget (see Budget): samples show the classes' shapes but not their "
              "fine texture (see the FID). 28x28 grayscale only; no class control (a conditional GAN "
              "has it)."),
    "CycleGAN": ("Translating 28x28 grayscale images between its two domains (`keras-genai translate "
                 "NAME --direction a2b --input IMAGES --out DIR`), and a starting point for another "
                 "pair of small grayscale domains (`train cyclegan --from NAME --domain-a ... "
                 "--domain-b ...`).",
                 "Keeps the outline of the input and changes its class-specific detail; images far "
                 "from the training domains (other sizes, colour, photographs) are out of scope."),
}
DEFAULT_USE = ("Sampling and fine-tuning on data like its training data.",
               "Trained for a CPU budget (see Budget); see the metrics for its quality.")


def _rows_from(result, path, run):
    """Metric rows of one results JSON (train_reference, fid_models or translation_protocol)."""
    source = os.path.relpath(path)
    command = result.get("command")
    rows = []
    if "runs" in result:  # translation_protocol: the entry of this run
        entries = [r for r in result["runs"] if os.path.abspath(r["run"]) == os.path.abspath(run)]
        for entry in entries:
            for direction in ("a2b", "b2a"):
                d = entry[direction]
                n = d["num_source"]
                rows += [
                    {"name": f"{direction} target-class rate", "value": d["target_rate"]["translated"],
                     "baseline": d["target_rate"]["untranslated"], "samples": n},
                    {"name": f"{direction} cycle PSNR (dB)", "value": d["cycle_psnr_db"], "samples": n},
                    {"name": f"{direction} Inception FID to target test", "value": d["fid"]["translated"],
                     "baseline": d["fid"]["untranslated"], "samples": n},
                ]
        split = "test split of each domain"
    elif "fid" in result:
        n = result["num_samples"]
        rows += [{"name": "Inception FID", "value": result["fid"], "samples": n,
                  "baseline": None},
                 {"name": "KID", "value": result["kid"], "samples": n},
                 {"name": "precision (k=3)", "value": result["precision"], "samples": n},
                 {"name": "recall (k=3)", "value": result["recall"], "samples": n}]
        split = f"{result['dataset']} {result['split']} ({result['num_reference_samples']} images)"
    elif "test" in result:
        test = result["test"]
        # Distances to the test split first: a GAN's d_loss and g_loss do not measure its samples.
        for key, value in sorted(test.items(), key=lambda item: "frechet" not in item[0]):
            if key.endswith("_real_train"):
                continue
            row = {"name": key.replace("_", " "), "value": value, "samples": 10000}
            if f"{key}_real_train" in test:
                row["floor"] = test[f"{key}_real_train"]
            rows.append(row)
        split = "fashion_mnist test (10,000 images)"
    else:
        raise ValueError(f"{path!r} is not a result this tool reads (train_reference, fid_models or "
                         "translation_protocol JSON).")
    for row in rows:
        row.update(split=split, source=source, command=command)
    return rows


def card_for(name, run, config, model, results, export, parity, files, argv=None):
    from keras_genai.training import fine_tune
    from tools.record import command

    uses = USES.get(type(model).__name__, DEFAULT_USE)
    training = config["training"]
    with open(os.path.join(run, "metrics.json")) as f:
        epochs = json.load(f)
    if training.get("domain_a"):
        summary = f"{training['domain_a']} <-> {training['domain_b']}"
    elif training.get("image_folder"):
        summary = f"image folder {os.path.basename(training['image_folder'])}"
    else:
        summary = training.get("dataset") or "?"
    metrics = [row for path, result in results for row in _rows_from(result, path, run)]
    litert = [{k: row[k] for k in ("endpoint", "quantization", "size_bytes", "max_abs_diff", "mean_abs_diff")}
              for row in export]
    worst = max((r for r in litert if r["quantization"] == "int8"), key=lambda r: r["max_abs_diff"], default=None)
    return {
        "name": name,
        "class": type(model).__name__,
        "model": config["model"],
        "parameters": int(model.count_params()),
        "data": {"summary": summary, "training": {k: training.get(k) for k in (
            "dataset", "image_folder", "domain_a", "domain_b", "domain_images", "validation_split",
            "validation_fraction", "image_size", "channels")}, "class_names": config.get("class_names")},
        "budget": {"preset": training["preset"], "epochs": len(epochs), "batch_size": training["batch_size"],
                   "learning_rate": training["learning_rate"], "mixed_precision": training["mixed_precision"],
                   "train_seconds": round(sum(e["seconds"] for e in epochs), 1),
                   **({"train_cpu_minutes": round(sum(e["cpu_seconds"] for e in epochs) / 60, 1)}
                      if all("cpu_seconds" in e for e in epochs) else {})},
        "metrics": metrics,
        "export": {"litert": litert, "published_vs_run_max_abs_diff": parity,
                   "int8_note": None if worst is None else (
                       f"int8 differs from float32 Keras by up to {worst['max_abs_diff']:.3g} "
                       f"(mean {worst['mean_abs_diff']:.3g}) on the parity inputs; where that matters, "
                       "float16 is the smaller file that stays close (its row above).")},
        "files": files,
        "total_bytes": sum(files.values()),
        "intended_use": uses[0],
        "limitations": uses[1],
        "parts": sorted(fine_tune.parts(model)),
        "source_run": os.path.abspath(run),
        "results": [os.path.relpath(p) for p, _ in results],
        "command": command(__spec__, argv),
    }


def _number(value):
    return "" if value is None else f"{value:.4g}"


def render_card(card):
    """The README.md of a published model, from its card.json (never typed)."""
    lines = [
        f"# {card['name']}", "",
        f"A pretrained `{card['class']}` (`keras-genai train {card['model']}`), "
        f"{card['parameters']:,} parameters, trained on {card['data']['summary']}.", "",
        "```python",
        "import keras_genai",
        f"model = keras_genai.{card['class']}.from_preset({card['name']!r})",
        "```", "",
        f"From the CLI: `keras-genai sample {card['name']} --out grid.png` (or `translate`, `eval`, "
        f"`export`), and fine-tuning: `keras-genai train {card['model']} --from {card['name']} ...`"
        f" (parts to freeze: {', '.join(card['parts']) or 'none'}).", "",
        "## Intended use", "", card["intended_use"], "",
        "## Limitations", "", card["limitations"], "",
        "## Data and budget", "",
        f"- Data: {card['data']['summary']}; " + ", ".join(
            f"{k} {v}" for k, v in card["data"]["training"].items() if v not in (None, {}, "")),
        "- Budget: " + ", ".join(f"{k} {v}" for k, v in card["budget"].items()), "",
        "## Metrics", "",
        "| metric | value | baseline | floor | samples | split | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in card["metrics"]:
        lines.append(f"| {m['name']} | {_number(m['value'])} | {_number(m.get('baseline'))} | "
                     f"{_number(m.get('floor'))} | {m['samples']} | {m['split']} | `{m['source']}` |")
    commands = sorted({m["command"] for m in card["metrics"] if m.get("command")})
    lines += ["", "Baseline: the untranslated images (translation) where given; floor: real training "
              "images against the same reference. The commands behind these numbers:", ""]
    lines += [f"- `{c}`" for c in commands]
    lines += ["", "## LiteRT files", "",
              "| endpoint | quantization | size (bytes) | max abs diff | mean abs diff |", "|---|---|---|---|---|"]
    for r in card["export"]["litert"]:
        lines.append(f"| {r['endpoint']} | {r['quantization']} | {r['size_bytes']:,} | "
                     f"{r['max_abs_diff']:.3g} | {r['mean_abs_diff']:.3g} |")
    lines += ["", "Differences are against the float32 Keras endpoint on `parity_inputs.npz` (or the "
              "model's seeded example inputs). The published `model.keras` matches the run's within "
              f"{card['export']['published_vs_run_max_abs_diff']:.3g}."]
    if card["export"]["int8_note"]:
        lines += ["", card["export"]["int8_note"]]
    lines += ["", "## Files", "", f"{card['total_bytes']:,} bytes in all; the SavedModel is left out "
              f"(`keras-genai export {card['name']} --out DIR` writes it).", ""]
    lines += [f"- `{f}`: {size:,} bytes" for f, size in sorted(card["files"].items())]
    lines += ["", f"Published with `{card['command']}` from `{card['source_run']}`; machine: "
              f"{card['machine']['cpu']['model_name'] if card.get('machine') else '?'}.", ""]
    return "\n".join(lines)


def render_index(root):
    """savedmodels/README.md: every published model, its data, headline metrics and size, and the total."""
    names = sorted(n for n in os.listdir(root) if os.path.isfile(os.path.join(root, n, "card.json")))
    cards = []
    for name in names:
        with open(os.path.join(root, name, "card.json")) as f:
            cards.append(json.load(f))
    lines = [
        "# savedmodels", "",
        "Pretrained models, one folder each: `model.keras` (every network a fine-tune needs, no optimizer "
        "state), `config.json` (the run's data and budget), the LiteRT files of its endpoints in "
        "`litert/`, `parity_inputs.npz`, and a model card (`README.md`, rendered from `card.json` by "
        "`python -m tools.publish_model`, which writes this folder and this index; nothing else does).", "",
        "Load one with `keras_genai.GenerativeModel.from_preset(NAME)` (or the class's own, e.g. "
        "`keras_genai.DCGAN.from_preset`), sample it with `keras-genai sample NAME --out grid.png`, "
        "fine-tune it with `keras-genai train MODEL --from NAME ...`; `keras-genai models --pretrained` "
        "lists them.", "",
        "| name | class | data | metrics | size |", "|---|---|---|---|---|",
    ]
    for card in cards:
        headline = "; ".join(f"{m['name']} {_number(m['value'])} ({m['samples']} samples)"
                             for m in card["metrics"][:4])
        lines.append(f"| [`{card['name']}`]({card['name']}/README.md) | `{card['class']}` | "
                     f"{card['data']['summary']} | {headline} | {card['total_bytes'] / 2**20:.1f} MiB |")
    total = sum(card["total_bytes"] for card in cards)
    lines += ["", f"{len(cards)} models, {total / 2**20:.1f} MiB in all (kept well under 200 MB so the "
              "folder lives in git). Left out: SavedModels (`keras-genai export NAME --out DIR` writes "
              "one) and optimizer state (a fine-tune starts fresh optimizers). To regenerate a model, "
              "re-run the commands in its card, then its `python -m tools.publish_model` command.", ""]
    return "\n".join(lines)


def publish(args):
    import keras

    from keras_genai.export import check_litert, export_litert
    from keras_genai.models.pretrained import savedmodels_dir
    from keras_genai.training import calibration_images, find_run_config, load_model
    from keras_genai.utils import atomic_directory, atomic_write, file_sha256, write_json
    from tools.machine import machine_note

    root = args.savedmodels or savedmodels_dir()
    target = os.path.join(root, args.name)
    if os.path.exists(target) and not args.overwrite:
        raise ValueError(f"{target!r} exists. Pass --overwrite to publish {args.name!r} again.")
    model_path = os.path.join(args.run, "model.keras")
    digest = file_sha256(model_path)
    results = []
    for path in args.results:
        with open(path) as f:
            result = json.load(f)
        hashes = {result.get("model_sha256")} | {r.get("model_sha256") for r in result.get("runs", [])
                                                  if os.path.abspath(r["run"]) == os.path.abspath(args.run)}
        if digest not in hashes:
            raise ValueError(
                f"{path!r} is stale: it measured another model.keras than {model_path!r} (sha256 "
                f"{digest[:12]}...) or predates the hash. Re-run its command: {result.get('command')}")
        results.append((path, result))
    config = find_run_config(args.run)
    model = load_model(args.run)
    # A copy without optimizer state: the same config, every variable assigned.
    published = type(model).from_config(model.get_config())
    if len(published.weights) != len(model.weights):
        raise ValueError(f"{type(model).__name__} rebuilt from its config has {len(published.weights)} "
                         f"variables, the run's {len(model.weights)}: cannot publish it without its optimizer.")
    for target_variable, value in zip(published.weights, model.weights):
        target_variable.assign(value)
    images = calibration_images(model, run_config=config)
    os.makedirs(root, exist_ok=True)
    # Filled aside and moved into place whole: savedmodels/ never holds half a model.
    with atomic_directory(target) as staging:
        published.save(os.path.join(staging, "model.keras"))
        reloaded = load_model(os.path.join(staging, "model.keras"))
        parity = _max_endpoint_difference(model, reloaded, images)
        # The run's config.json without this machine's data folder: on a user's machine the data
        # layer searches its own places (--data-dir, $KERAS_GENAI_DATA_DIR, /usr/share/datasets).
        published_config = json.loads(json.dumps(config))
        published_config["training"]["data_dir"] = None
        with open(os.path.join(staging, "config.json"), "w") as f:
            json.dump(published_config, f, indent=1)
        if images is not None:
            arrays = {f"images_{i}": np.asarray(x) for i, x in enumerate(
                images if isinstance(images, tuple) else (images,))}
            np.savez_compressed(os.path.join(staging, "parity_inputs.npz"), **arrays)
        paths = export_litert(reloaded, os.path.join(staging, "litert"), tuple(args.quantizations),
                              data=images, overwrite=True)
        export = check_litert(reloaded, paths, data=images)
        files = {os.path.relpath(os.path.join(d, f), staging): os.path.getsize(os.path.join(d, f))
                 for d, _, names in os.walk(staging) for f in names}
        card = card_for(args.name, args.run, config, reloaded, results, export, parity, files, args.argv)
        card["model_sha256"] = file_sha256(os.path.join(staging, "model.keras"))
        card["run_model_sha256"] = digest
        card["machine"] = machine_note()
        write_json(os.path.join(staging, "card.json"), card)
        with open(os.path.join(staging, "README.md"), "w") as f:
            f.write(render_card(card))
    with atomic_write(os.path.join(root, "README.md")) as f:
        f.write(render_index(root))
    keras.backend.clear_session()
    return target, card


def _max_endpoint_difference(model, other, images):
    """Largest |difference| of every endpoint's output between two models on the same inputs."""
    from keras_genai.export import checked_example_inputs, endpoints_of, float32_copy
    from keras_genai.export.endpoints import run_keras

    a, b = endpoints_of(float32_copy(model)), endpoints_of(float32_copy(other))
    worst = 0.0
    for name in a:
        inputs = checked_example_inputs(model, name, a[name], data=images)
        x, y = run_keras(a[name], inputs), run_keras(b[name], inputs)
        pairs = [(x[k], y[k]) for k in x] if isinstance(x, dict) else [(x, y)]
        worst = max([worst] + [float(np.max(np.abs(np.asarray(p) - np.asarray(q)))) for p, q in pairs])
    return worst


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", required=True, help="the run folder (of `keras-genai train`)")
    parser.add_argument("--name", required=True, help="the published name, e.g. dcgan_fashion_mnist")
    parser.add_argument("--results", nargs="+", required=True,
                        help="result JSON files of this run's model (train_reference, fid_models, "
                             "translation_protocol), each with its model_sha256")
    parser.add_argument("--quantizations", nargs="+", default=["float32", "dynamic", "float16", "int8"])
    parser.add_argument("--savedmodels", help="default: the repository's savedmodels/")
    parser.add_argument("--overwrite", action="store_true", help="replace a published model of that name")
    args = parser.parse_args(argv)
    args.argv = argv
    try:
        target, card = publish(args)
    except (ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"published {target}: {card['total_bytes']:,} bytes, {len(card['metrics'])} metrics")
    return 0


if __name__ == "__main__":
    sys.exit(main())
