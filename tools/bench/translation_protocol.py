"""Translation quality of CycleGAN runs as numbers, each beside its baselines.

    python -m tools.bench.translation_protocol --runs /work/runs/cg_sandal_sneaker \\
        --classifier /work/runs/cnn --data-dir ../shared/data/fashion-mnist \\
        --out tools/results/translation_sandal_sneaker.json --figure docs/cyclegan_sandal_sneaker.png

For each run folder (`keras-genai train cyclegan ...`), the domains, image size, channels and
held-out seed come from its `config.json`, and every number is on the *held-out test images* of
each domain (a named dataset's test split; a folder's seeded held-out share). For each direction
(a2b: G(a) for the test images of A, judged against B; b2a the other way):

- `target_rate`: share of translations the CNN classifier (`--classifier`, a `keras-genai train cnn`
  run on the same dataset) assigns to the target domain's class — only for `DATASET:CLASS` domains of
  the classifier's dataset. Baselines: the untranslated source images (`untranslated`) and the target
  domain's own train images (`target_train`, the classifier's ceiling on that class).
- `cycle_l1`, `cycle_psnr_db`: L1 and mean PSNR (pixels in [0, 1]) of F(G(a)) against a.
- `cnn_fd`: Fréchet distance of CNN-classifier features of the translations vs the target test
  images; `fid`: the same with the standard FID InceptionV3 (`--no-fid` skips it). Baselines: the
  untranslated source images (`untranslated`, the distance translation has to close) and as many
  target train images (`target_train`, the floor: two samples of the same domain).

Also a PNG (`--figure`): for each direction, rows input -> translated -> reconstructed.
Inception features run at about 17 images/s on 2 cores: 6 sets of up to 1,000 images per run.
"""

import argparse
import json
import os
import time

import numpy as np

from keras_genai.callbacks import save_grid
from keras_genai.data import load_domain, normalize_images
from keras_genai.data.domains import class_index, parse_domain
from keras_genai.metrics import psnr
from keras_genai.metrics.domain_distance import domain_frechet_distance
from keras_genai.metrics.feature_extraction import inception_features
from keras_genai.metrics.frechet import features_frechet_distance
from keras_genai.training import load_model
from tools.record import command, file_sha256, write_json

GOALS = {"target_rate": 0.90, "cycle_psnr_db": 20.0}


def _class_of(spec, dataset):
    """The class index of a `DATASET:CLASS` domain of `dataset`, else None."""
    kind, name, part = parse_domain(spec)
    return class_index(name, part) if kind == "dataset" and name == dataset else None


def _rate(classifier, images, label):
    return float(np.mean(classifier.predict_classes(images) == label))


def direction_metrics(model, direction, source, target, target_train, classifier, label, fid):
    """The metrics of one direction; images are uint8 `(N, H, W, C)`."""
    reverse = "b2a" if direction == "a2b" else "a2b"
    translated = model.translate(np.asarray(normalize_images(source, model.value_range)), direction)
    back = model.to_display(model.translate(translated, reverse))
    translated = model.to_display(translated)
    source01, target01, train01 = (x.astype("float32") / 255.0 for x in (source, target, target_train))
    result = {
        "num_source": len(source), "num_target": len(target), "num_target_train": len(target_train),
        "cycle_l1": float(np.mean(np.abs(back - source01))),
        "cycle_psnr_db": float(np.mean(np.asarray(psnr(back, source01)))),
    }
    if classifier is not None:
        result["cnn_fd"] = {name: float(domain_frechet_distance(images, target01, classifier))
                            for name, images in (("translated", translated), ("untranslated", source01),
                                                 ("target_train", train01))}
        if label is not None:
            result["target_rate"] = {name: _rate(classifier, images, label)
                                     for name, images in (("translated", translated), ("untranslated", source01),
                                                          ("target_train", train01))}
    if fid:
        reference = inception_features(target01, verbose=0)
        result["fid"] = {name: float(features_frechet_distance(inception_features(images, verbose=0), reference))
                         for name, images in (("translated", translated), ("untranslated", source01),
                                              ("target_train", train01))}
    return result, (source01, translated, back)


def evaluate_run(run, classifier, classifier_dataset, data_dir, num_images, fid, figure, columns=8,
                 domain_classes=None):
    with open(os.path.join(run, "config.json")) as f:
        config = json.load(f)
    training = config["training"]
    model = load_model(run)
    specs = {"a": training["domain_a"], "b": training["domain_b"]}
    kwargs = dict(image_size=training["image_size"], channels=training["channels"], data_dir=data_dir,
                  seed=training["seed"])
    test = {d: load_domain(s, "test", **kwargs)[:num_images] for d, s in specs.items()}
    train = {d: load_domain(s, "train", **kwargs) for d, s in specs.items()}
    rng = np.random.default_rng(0)
    # As many target train images as test images, drawn at random: the same-domain floor.
    floor = {d: train[d][rng.permutation(len(train[d]))[:len(test[d])]] for d in specs}
    result = {"run": run, "model_sha256": file_sha256(os.path.join(run, "model.keras")),
              "domains": specs, "model_config": config["model_config"],
              "training": {k: training[k] for k in ("epochs", "batch_size", "learning_rate", "preset", "seed")}}
    metrics_path = os.path.join(run, "metrics.json")
    if os.path.exists(metrics_path):
        with open(metrics_path) as f:
            epochs = json.load(f)
        result["training"]["train_seconds"] = round(sum(e["seconds"] for e in epochs), 1)
        if all("cpu_seconds" in e for e in epochs):  # runs before the callback recorded it lack it
            result["training"]["train_cpu_minutes"] = round(sum(e["cpu_seconds"] for e in epochs) / 60, 1)
    rows = {}
    for direction, (src, tgt) in (("a2b", ("a", "b")), ("b2a", ("b", "a"))):
        label = _class_of(specs[tgt], classifier_dataset) if classifier is not None else None
        if domain_classes:  # folders of the classifier's classes, named on the command line
            label = class_index(classifier_dataset, domain_classes["ab".index(tgt)])
        started = time.time()
        metrics, (inputs, translated, back) = direction_metrics(
            model, direction, test[src], test[tgt], floor[tgt], classifier, label, fid)
        metrics["seconds"] = round(time.time() - started, 1)
        result[direction] = metrics
        rows.update({f"{direction} input": inputs[:columns], f"{direction} translated": translated[:columns],
                     f"{direction} reconstructed": back[:columns]})
    if figure:
        save_grid(figure, rows, columns, overwrite=True)
        result["figure"] = figure
    return result


def _goal_met(result):
    met = []
    for direction in ("a2b", "b2a"):
        d = result[direction]
        met.append(d["cycle_psnr_db"] >= GOALS["cycle_psnr_db"]
                   and d.get("target_rate", {}).get("translated", 0.0) >= GOALS["target_rate"])
    return all(met)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", nargs="+", required=True, help="cyclegan run folders")
    parser.add_argument("--classifier", help="a `keras-genai train cnn` run on the domains' dataset")
    parser.add_argument("--classifier-dataset", default="fashion_mnist",
                        help="the dataset the classifier was trained on (default: fashion_mnist)")
    parser.add_argument("--data-dir")
    parser.add_argument("--num-images", type=int, default=1000, help="test images per domain (default: 1000)")
    parser.add_argument("--no-fid", action="store_true", help="skip the Inception FID")
    parser.add_argument("--figure", nargs="*", default=[], help="one PNG per run (input/translated/reconstructed)")
    parser.add_argument("--domain-classes", nargs="*", default=[],
                        help="per run, CLASS_A,CLASS_B: the classifier classes of folder domains (- for none)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    classifier = load_model(args.classifier) if args.classifier else None
    results = []
    for i, run in enumerate(args.runs):
        figure = args.figure[i] if i < len(args.figure) else None
        classes = args.domain_classes[i] if i < len(args.domain_classes) else "-"
        result = evaluate_run(run, classifier, args.classifier_dataset, args.data_dir, args.num_images,
                              not args.no_fid, figure, domain_classes=None if classes == "-" else classes.split(","))
        result["goal_met"] = _goal_met(result)
        results.append(result)
        for direction in ("a2b", "b2a"):
            d = result[direction]
            rate = d.get("target_rate", {})
            print(f"{run} {direction}: target rate {rate.get('translated', float('nan')):.3f} "
                  f"(untranslated {rate.get('untranslated', float('nan')):.3f}, target train "
                  f"{rate.get('target_train', float('nan')):.3f}); cycle PSNR {d['cycle_psnr_db']:.2f} dB; "
                  f"CNN FD {d.get('cnn_fd', {}).get('translated', float('nan')):.2f}; "
                  f"FID {d.get('fid', {}).get('translated', float('nan')):.2f}", flush=True)
    classifier_note = None
    if args.classifier:
        with open(os.path.join(args.classifier, "config.json")) as f:
            classifier_note = {"run": args.classifier, "training": json.load(f)["training"]}
        metrics_path = os.path.join(args.classifier, "metrics.json")
        if os.path.exists(metrics_path):
            with open(metrics_path) as f:
                last = json.load(f)[-1]
            classifier_note["val_accuracy_last_epoch"] = last.get("val_accuracy")
    write_json(args.out, {"command": command(__spec__, argv), "goals": GOALS, "classifier": classifier_note,
                          "protocol": "held-out test images of each domain; see the tool's docstring",
                          "runs": results})


if __name__ == "__main__":
    main()
