"""Train registry models on Fashion-MNIST and measure them on the test split.

Every number in the README's model table comes from this script's JSON.

    python -m tools.bench.train_reference --models mlp cnn vae --out runs/reference \
        --results tools/results

For each model: `keras_genai.training.train` with the model's `cpu` preset
and default budget (epochs, batch size, Adam learning rate from the
registry) on the full train split (60,000 images), then `evaluate` on the
full test split (10,000 images), plus model-specific measurements (mean
code activation, PSNR of noisy input vs reconstruction, ELBO in nats and
bits/dim, export parity and sizes). Writes `RESULTS/<model>.json`.
"""

import argparse
import json
import os
import time

import numpy as np

from keras_genai.cli.arguments import setting as _setting


def measure(model_name, out, args):
    import keras

    from keras_genai import data as data_lib
    from keras_genai.training import export_run, load_model, train
    from tools.record import command as run_command
    from tools.record import file_sha256

    quantizations = ("float32", "dynamic", "float16", "int8")
    before = None
    previous = os.path.join(args.results, os.path.basename(out) + ".json")
    if args.skip_training:
        # Re-measure an existing run (exports and test metrics) without training again.
        with open(previous) as f:
            before = json.load(f)
        train_seconds = before["budget"]["train_seconds"]
        model = load_model(out)
        images, _ = data_lib.load_image_arrays("fashion_mnist", "test[:16]", args.data_dir)
        grid = data_lib.normalize_images(images, model.value_range).numpy()
        export = export_run(model, os.path.join(out, "export"), grid, quantizations)
    else:
        started = time.time()
        export = train(
            model_name, out, dataset="fashion_mnist", data_dir=args.data_dir, preset=args.preset,
            overrides=dict(args.overrides), epochs=args.epochs, overwrite=True, seed=args.seed, verbose=2,
            mixed_precision=args.mixed_precision,
            export_quantizations=quantizations,
            # The reference budgets are fixed and nothing is selected on the test split;
            # every epoch's checkpoint stays for tools/studies/checkpoint_distance.py.
            monitor="none", keep_checkpoints=None,
        )["export"]
        train_seconds = time.time() - started
        model = load_model(out)
    test = data_lib.image_dataset(
        "fashion_mnist", "test", args.data_dir, batch_size=256, value_range=model.value_range,
        with_labels=model.needs_labels, shuffle=False,
    )
    keras.utils.set_random_seed(args.seed)
    metrics = {k: float(v) for k, v in model.evaluate(test, verbose=0, return_dict=True).items()}
    if "elbo" in metrics:
        pixels = int(np.prod(model.image_shape))
        metrics["elbo_bits_per_dim"] = -metrics["elbo"] / (pixels * np.log(2))
    if args.feature_model and hasattr(model, "generate"):
        metrics.update(domain_distance(model, args))
    with open(os.path.join(out, "config.json")) as f:
        config = json.load(f)
    with open(os.path.join(out, "metrics.json")) as f:
        epochs = json.load(f)
    command = run_command(__spec__)
    return {
        "model": model_name,
        "class": type(model).__name__,
        "command": before["command"] if args.skip_training else command,
        **({"remeasured_with": command} if args.skip_training else {}),
        "data": "fashion_mnist: train split 60,000 images for training; test split 10,000 images for every test metric",
        "budget": {
            "epochs": config["training"]["epochs"],
            "batch_size": config["training"]["batch_size"],
            "learning_rate": config["training"]["learning_rate"],
            "mixed_precision": config["training"]["mixed_precision"],
            "train_seconds": round(train_seconds, 1),  # wall time of train(), exports included
            "mean_epoch_seconds": round(float(np.mean([e["seconds"] for e in epochs])), 1),
        },
        "model_config": config["model_config"],
        # Which model.keras these numbers belong to (tools/publish_model.py refuses stale ones).
        "model_sha256": file_sha256(os.path.join(out, "model.keras")),
        "parameters": int(model.count_params()),
        "test": metrics,
        "export": export,
    }


def domain_distance(model, args):
    """Fréchet distance of 10,000 samples to the test split in CNN-classifier features."""
    from keras_genai import data as data_lib
    from keras_genai.metrics import domain_frechet_distance
    from keras_genai.training import load_model

    classifier = load_model(args.feature_model)
    test, test_labels = data_lib.load_image_arrays("fashion_mnist", "test", args.data_dir)
    train, _ = data_lib.load_image_arrays("fashion_mnist", "train[:10000]", args.data_dir)
    labels = test_labels if model.needs_labels else None
    samples = model.to_display(model.generate(len(test), labels=labels, seed=args.seed))
    reference = test.astype("float32") / 255.0
    return {
        "domain_frechet_distance_10k": domain_frechet_distance(samples, reference, classifier),
        # The same distance for 10,000 real training images: the floor to read it against.
        "domain_frechet_distance_10k_real_train": domain_frechet_distance(
            train.astype("float32") / 255.0, reference, classifier),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", required=True)
    parser.add_argument("--out", default="runs/reference", help="parent folder of the run folders")
    parser.add_argument("--results", default="tools/results", help="where <model>.json goes")
    parser.add_argument("--data-dir", help="Fashion-MNIST IDX folder (default: the data layer's search)")
    parser.add_argument("--preset", default="cpu")
    parser.add_argument("--epochs", type=int, help="override the registry's epochs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mixed-precision", choices=("none", "fp16", "bf16"),
                        help="default: the registry's (bf16 for wgan_gp, none for the others)")
    parser.add_argument("--feature-model",
                        help="a trained CNNClassifier (.keras or run folder): adds the domain "
                             "Fréchet distance of 10,000 samples to the test split")
    parser.add_argument("--set", dest="overrides", type=_setting, action="append", default=[],
                        metavar="KEY=VALUE", help="override a model argument, as `keras-genai train --set`")
    parser.add_argument("--tag", help="run folder and JSON are <model>_<tag> (a variant beside the reference)")
    parser.add_argument("--skip-training", action="store_true",
                        help="reuse the runs in --out: re-export and re-evaluate only")
    args = parser.parse_args()
    from tools.record import write_json

    for name in args.models:
        run_name = f"{name}_{args.tag}" if args.tag else name
        record = measure(name, os.path.join(args.out, run_name), args)
        write_json(os.path.join(args.results, f"{run_name}.json"), record)
        print(f"{name}: {json.dumps(record['test'])}", flush=True)


if __name__ == "__main__":
    main()
