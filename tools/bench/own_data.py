"""Own data from the CLI alone: an image folder, a text file and a series that the tests do not use.

    nice -n 5 python -m tools.bench.own_data --work runs/own_data --out tools/results/own_data.json

The data, written into `--work` offline:

- **images**: scikit-learn's 1,797 handwritten digits (`sklearn.datasets.load_digits`, the UCI
  optdigits test set: 8x8 pixels, 17 grey levels), scaled to 28x28 PNGs (bilinear), one folder
  per class (`digit_0` ... `digit_9`);
- **text**: `--text FILE`, by default the GPL-3 licence text Debian installs at
  `/usr/share/common-licenses/GPL-3` (35,149 characters of English prose);
- **series**: US quarterly unemployment, 1959Q1-2009Q3 (statsmodels' `macrodata`, column
  `unemp`, 203 values), with a `date` column.

Every model is trained, evaluated and sampled by `keras-genai` commands in a fresh process, as a
user would run them (the commands are in the JSON, with `--work` written as `WORK`); each row
records the train command's wall seconds and the run folder's size on disk. What is measured:

- `cgan` and `vae` on the folder (their defaults; `--epochs` as given): KID and precision/recall
  of samples against the run's held-out images (`eval RUN --metrics kid,pr`, InceptionV3
  features; the folder's 10% held out is too few for FID, which needs over 2,048), beside the
  same numbers for as many of the folder's own training images (real images: the floor); the
  VAE's held-out ELBO (`eval RUN`). For the CGAN also the share of its samples of each label that a
  CNN classifier trained on the same folder (`train cnn`) assigns to that label, beside the
  CNN's own held-out accuracy: "recognisable and correctly labelled" as a number.
- `gpt` and `lstm` on the text (their defaults): the held-out loss (`eval RUN`: the last 10% of
  the file, which training held out) in nats and bits per character, and, of `--sample-chars`
  characters sampled at temperature 0.8 (`sample RUN`), the share of words that occur in the
  training part, beside the same share for the held-out text itself (its ceiling).
- `ar` and `lstm_forecaster` on the series: rolling-origin RMSE over the last `--test-size`
  quarters at horizon 4 (`forecast --test-size`), beside the naive forecast from the same
  origins and statsmodels' ARIMA(1,1,1) fitted on the same training part and run from the same
  origins (`ARIMAResults.apply`, the fitted parameters on the longer history).

Finished parts are kept in `--out` and not run again (`--refresh` runs the `--parts` given again).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

import numpy as np

from tools.record import command, write_json

GPL3 = "/usr/share/common-licenses/GPL-3"
HORIZON = 4


# === Data ===


def digits_folder(path):
    """scikit-learn's digits as 28x28 PNGs in one folder per class; returns the image count."""
    from PIL import Image
    from sklearn.datasets import load_digits

    digits = load_digits()
    for i, (image, label) in enumerate(zip(digits.images, digits.target)):
        folder = os.path.join(path, f"digit_{label}")
        os.makedirs(folder, exist_ok=True)
        pixels = Image.fromarray(np.round(image * 255 / 16).astype(np.uint8))
        pixels.resize((28, 28), Image.BILINEAR).save(os.path.join(folder, f"{i:04d}.png"))
    return len(digits.images)


def unemployment_csv(path):
    import statsmodels.api as sm

    data = sm.datasets.macrodata.load_pandas().data
    months = (data["quarter"].astype(int) - 1) * 3 + 1
    dates = [f"{int(y)}-{m:02d}-01" for y, m in zip(data["year"], months)]
    with open(path, "w") as f:
        f.write("date,unemp\n")
        f.writelines(f"{d},{v}\n" for d, v in zip(dates, data["unemp"]))
    return len(dates)


# === Running the CLI ===


class Cli:
    """Runs `keras-genai` commands in fresh processes; keeps each command as a user types it."""

    def __init__(self, work):
        self.work = work

    def shown(self, argv):
        return "keras-genai " + " ".join(argv).replace(self.work, "WORK")

    def run(self, *argv):
        argv = [str(a) for a in argv]
        print("$", self.shown(argv), flush=True)
        started = time.time()
        completed = subprocess.run([sys.executable, "-m", "keras_genai.cli.main", *argv],
                                   capture_output=True, text=True)
        if completed.returncode:
            raise RuntimeError(f"{self.shown(argv)} exited {completed.returncode}: {completed.stderr[-2000:]}")
        return {"command": self.shown(argv), "seconds": round(time.time() - started, 1)}, completed.stdout

    def train(self, model, out, *flags):
        if os.path.exists(out):
            shutil.rmtree(out)
        step, _ = self.run("train", model, *flags, "--out", out)
        return step

    def eval_json(self, run, *flags):
        path = os.path.join(self.work, f"eval_{os.path.basename(run)}_{len(flags)}.json")
        step, _ = self.run("eval", run, *flags, "--out", path, "--overwrite")
        with open(path) as f:
            return step, json.load(f)


def disk_mb(path):
    total = sum(os.path.getsize(os.path.join(root, name)) for root, _, files in os.walk(path) for name in files)
    return round(total / 2**20, 1)


# === Rows ===


def image_rows(cli, folder, args):
    rows = {}
    cnn = os.path.join(cli.work, "cnn")
    train_cnn = cli.train("cnn", cnn, "--image-folder", folder, "--epochs", args.cnn_epochs)
    step, cnn_eval = cli.eval_json(cnn)
    rows["cnn"] = {"train": train_cnn, "eval": step, "disk_mb": disk_mb(cnn),
                   "held_out_accuracy": cnn_eval["metrics"].get("accuracy"), "data": cnn_eval["data"]}
    for model in ("cgan", "vae"):
        run = os.path.join(cli.work, model)
        train = cli.train(model, run, "--image-folder", folder, "--epochs", args.image_epochs)
        row = {"train": train, "disk_mb": disk_mb(run)}
        step, quality = cli.eval_json(run, "--metrics", "kid,pr")
        row["sample_quality"] = {"command": step["command"], "seconds": step["seconds"],
                                 **{k: quality[k] for k in ("data", "num_samples", "num_reference_samples", "kid",
                                                            "kid_std", "precision", "recall", "feature_network")}}
        if model == "vae":
            step, own = cli.eval_json(run)
            row["held_out"] = {"command": step["command"], "data": own["data"], **own["metrics"]}
        else:
            row["label_accuracy"] = label_accuracy(run, cnn, args.samples_per_label)
        rows[model] = row
    return rows


def real_images_baseline(run):
    """KID and precision/recall of the folder's own training images against its held-out ones:
    what real images of the same folder score, the floor for the generators' rows."""
    from keras_genai.data import classes_in_turn, image_files_arrays
    from keras_genai.metrics import evaluate_generation
    from keras_genai.training.run_data import find_run_config, folder_run_files, folder_run_image_args

    config = find_run_config(run)
    held_out, held_out_labels, description = folder_run_files(config, "validation")
    train, train_labels, _ = folder_run_files(config, "train")
    args = folder_run_image_args(config)
    reference = image_files_arrays(held_out, held_out_labels, **args)[0]
    # Every class in turn, as many as the held-out images: the folder lists its files by class.
    order = classes_in_turn(train_labels)
    images = image_files_arrays([train[i] for i in order[:len(held_out)]], train_labels[order[:len(held_out)]],
                                **args)[0]
    result = evaluate_generation(images, ("kid", "pr"), dataset="own folder", split="validation",
                                 num_samples=len(held_out), reference=reference, verbose=0)
    return {"data": f"{len(images)} of the folder's training images vs {description}",
            **{k: result[k] for k in ("num_samples", "num_reference_samples", "kid", "kid_std", "precision",
                                      "recall")}}


def label_accuracy(cgan_run, cnn_run, per_label):
    """The share of the CGAN's samples of each label that the folder's CNN assigns to it."""
    from keras_genai.training import load_model

    cgan, cnn = load_model(cgan_run), load_model(cnn_run)
    labels = np.repeat(np.arange(cgan.num_classes), per_label).astype(np.int32)
    images = cgan.to_display(cgan.generate(len(labels), labels=labels, seed=0))  # [0, 1]
    low, high = cnn.value_range
    predicted = np.argmax(cnn.predict(np.asarray(images) * (high - low) + low, verbose=0), axis=-1)
    by_label = [float(np.mean(predicted[labels == c] == c)) for c in range(cgan.num_classes)]
    return {"samples": int(len(labels)), "accuracy": float(np.mean(predicted == labels)),
            "by_label": [round(a, 3) for a in by_label], "classifier": "the cnn row's model.keras",
            "how": "generate(labels), seed 0; argmax of the CNN's output"}


def words(text):
    return re.findall(r"[a-z]+", text.lower())


def word_rate(text, known):
    found = words(text)
    return round(float(np.mean([w in known for w in found])), 4) if found else 0.0, len(found)


def text_rows(cli, path, args):
    from keras_genai.data.text import holdout_split

    with open(path, encoding="utf-8") as f:
        train_text, held_out = holdout_split(f.read(), 0.1)
    known = set(words(train_text))
    ceiling, count = word_rate(held_out, known)
    rows = {"held_out_text": {"words": count, "known_word_share": ceiling}}
    for model in ("gpt", "lstm"):
        run = os.path.join(cli.work, model)
        train = cli.train(model, run, "--dataset", path)
        step, own = cli.eval_json(run)
        sample_path = os.path.join(cli.work, f"{model}_sample.txt")
        sampled, _ = cli.run("sample", run, "--max-new-tokens", args.sample_chars, "--temperature", "0.8",
                             "--seed", "0", "--out", sample_path, "--overwrite")
        with open(sample_path, encoding="utf-8") as f:
            sample = f.read()
        share, count = word_rate(sample, known)
        loss = own["metrics"]["loss"]
        rows[model] = {"train": train, "disk_mb": disk_mb(run), "eval": step["command"], "data": own["data"],
                       "held_out_loss": loss, "held_out_bits_per_char": loss / np.log(2),
                       "sample": {"command": sampled["command"], "words": count, "known_word_share": share,
                                  "first_300_characters": sample[:300]}}
    return rows


def arima_rmse(values, start, horizon):
    """statsmodels ARIMA(1,1,1) fitted on `values[:start]`, forecasting from every origin."""
    from statsmodels.tsa.arima.model import ARIMA

    fitted = ARIMA(values[:start], order=(1, 1, 1)).fit()
    errors = [values[t:t + horizon] - fitted.apply(values[:t]).forecast(horizon)
              for t in range(start, len(values) - horizon + 1)]
    return float(np.sqrt(np.mean(np.square(errors))))


def series_rows(cli, path, args):
    values = np.loadtxt(path, delimiter=",", skiprows=1, usecols=1)
    start = len(values) - args.test_size
    rows = {"statsmodels_arima_1_1_1": {"rmse": arima_rmse(values, start, HORIZON)}}
    for model in ("ar", "lstm_forecaster"):
        out = os.path.join(cli.work, f"forecast_{model}")
        if os.path.exists(out):
            shutil.rmtree(out)
        step, _ = cli.run("forecast", model, "--series", path, "--column", "unemp", "--horizon", HORIZON,
                          "--test-size", args.test_size, "--seed", "0", "--out", out)
        with open(os.path.join(out, "forecast.json")) as f:
            report = json.load(f)
        rows[model] = {"forecast": step, "disk_mb": disk_mb(out), "rmse": report["test"]["rmse"],
                       "naive_rmse": report["test"]["naive_rmse"], "lags": report["config"].get("lags"),
                       "dates": report.get("dates")}
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True, help="folder for the data and the runs (replaced run by run)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--text", default=GPL3, help=f"a text file (default: {GPL3})")
    parser.add_argument("--parts", nargs="+", choices=("images", "text", "series"),
                        default=["images", "text", "series"])
    parser.add_argument("--image-epochs", type=int, default=20)
    parser.add_argument("--cnn-epochs", type=int, default=10)
    parser.add_argument("--samples-per-label", type=int, default=100)
    parser.add_argument("--sample-chars", type=int, default=2000)
    parser.add_argument("--test-size", type=int, default=40, help="quarters held out of the series")
    parser.add_argument("--refresh", action="store_true", help="run the --parts already in --out again")
    args = parser.parse_args(argv)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    cli = Cli(work)
    result = json.load(open(args.out)) if os.path.exists(args.out) else {}
    result.update({"command": command(__spec__, argv), "arguments": vars(args)})
    data = result.setdefault("data", {})
    for part in args.parts:
        if part in result.get("rows", {}) and not args.refresh:
            print(f"{part}: already in {args.out}, kept (--refresh runs it again)", flush=True)
            continue
        if part == "images":
            folder = os.path.join(work, "digits")
            if os.path.exists(folder):
                shutil.rmtree(folder)
            data["images"] = {"folder": "WORK/digits", "images": digits_folder(folder), "classes": 10,
                              "source": "sklearn.datasets.load_digits (UCI optdigits), 8x8 scaled to 28x28"}
            rows = image_rows(cli, folder, args)
        elif part == "text":
            with open(args.text, encoding="utf-8") as f:
                data["text"] = {"file": args.text, "characters": len(f.read())}
            rows = text_rows(cli, args.text, args)
        else:
            path = os.path.join(work, "unemployment.csv")
            data["series"] = {"file": "WORK/unemployment.csv", "values": unemployment_csv(path),
                              "source": "statsmodels macrodata unemp, quarterly 1959Q1-2009Q3",
                              "test_size": args.test_size, "horizon": HORIZON}
            rows = series_rows(cli, path, args)
        result.setdefault("rows", {})[part] = rows
        write_json(args.out, result)  # after every part, so an interrupted run keeps what it measured
        print(json.dumps({part: rows}, default=str)[:1500], flush=True)
    images = result.get("rows", {}).get("images")
    if images and "real_train_images" not in images:
        images["real_train_images"] = real_images_baseline(os.path.join(work, "cgan"))
        print(json.dumps(images["real_train_images"]), flush=True)
    write_json(args.out, result)


if __name__ == "__main__":
    main()
