"""The published models' LiteRT files as a phone runs them: size, latency, memory, ops and quality.

    python -m tools.bench.litert_benchmark --models cyclegan_sandal_sneaker \\
        --classifier /work/runs/cnn --data-dir ../shared/data/fashion-mnist \\
        --out tools/results/litert_benchmark.json

For every `litert/*.tflite` of each published model (`savedmodels/NAME`):

- file size and the op set (read with the `ai-edge-litert` interpreter; the tool exits 1 if a
  Flex/custom op appears: a phone without the Flex delegate cannot run it);
- latency of one call with batch 1, with 1 and with 2 interpreter threads (XNNPACK, the default
  CPU delegate): the median of `--repeats` calls after 5 warm-up calls, each file in a fresh
  subprocess that also reports its memory: `rss_growth_mb`, the resident memory the loaded
  file and its calls add to the process (the interpreter's import alone, `baseline_rss_mb`,
  dominates the peak here because `ai-edge-litert` loads TensorFlow's runtime libraries);
- the quantized file's quality in the model's own metric, beside the float32 file's, on
  `--num-images` inputs: for `a2b`/`b2a` translators the share of translations the CNN
  `--classifier` assigns to the target class (test images of the source domain); for
  `generate` endpoints the CNN-feature Fréchet distance of `--num-images` samples to as many
  test images.

Compare latencies only within one JSON: they are from one machine (its CPU is recorded) at one
time, and the 2-core VM here is shared.
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

from tools.bench.litert_ops import file_ops
from tools.record import command, write_json

_PROBE = r"""
import json, resource, sys, time
import numpy as np
from ai_edge_litert.interpreter import Interpreter
path, threads, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def rss_mb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


before = rss_mb()
runner = None
if path != "-":
    runner = Interpreter(model_path=path, num_threads=threads).get_signature_runner()
    feed = {}
    for name, d in runner.get_input_details().items():
        shape = [1 if s < 0 else s for s in d["shape_signature"]]
        feed[name] = (np.random.default_rng(0).standard_normal(shape) * 0.5).astype(d["dtype"]) \
            if np.issubdtype(d["dtype"], np.floating) else np.zeros(shape, d["dtype"])
    for _ in range(5):
        runner(**feed)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        runner(**feed)
        times.append(time.perf_counter() - started)
else:
    times = [0.0]
print(json.dumps({"median_ms": 1000 * float(np.median(times)), "p90_ms": 1000 * float(np.percentile(times, 90)),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_before_load_mb": before, "rss_growth_mb": rss_mb() - before}))
"""


def probe(path, threads, repeats):
    result = subprocess.run([sys.executable, "-c", _PROBE, path, str(threads), str(repeats)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def quality(folder, config, endpoint, path, classifier, data_dir, num_images):
    """The file's quality in the model's own metric (None where the tool has none for the endpoint)."""
    from keras_genai.data import load_domain, normalize_images
    from keras_genai.data.domains import class_index, parse_domain
    from keras_genai.export.litert import run_litert

    training = config["training"]
    if endpoint in ("a2b", "b2a") and classifier is not None:
        source, target = (("domain_a", "domain_b") if endpoint == "a2b" else ("domain_b", "domain_a"))
        kind, dataset, name = parse_domain(training[target])
        if kind != "dataset":
            return None  # a folder domain has no classifier class
        label = class_index(dataset, name, data_dir)
        images = load_domain(training[source], "test", image_size=training["image_size"],
                             channels=training["channels"], data_dir=data_dir, seed=training["seed"])[:num_images]
        translated = np.concatenate([
            run_litert(path, {"image": np.asarray(normalize_images(batch, (0.0, 1.0)), np.float32)})
            for batch in np.array_split(images, max(1, len(images) // 100))])
        predicted = np.argmax(classifier.predict(translated, verbose=0), axis=-1)
        return {"metric": "target-class rate", "value": float(np.mean(predicted == label)), "images": len(images)}
    if endpoint == "generate" and classifier is not None:
        from keras_genai import data as data_lib
        from keras_genai.metrics.domain_distance import domain_frechet_distance

        model_config = config["model_config"]
        z = np.random.default_rng(0).standard_normal((num_images, model_config["latent_dim"])).astype("float32")
        samples = np.concatenate([run_litert(path, {"z": chunk}) for chunk in np.array_split(z, max(1, num_images // 100))])
        test, _ = data_lib.load_image_arrays(training["dataset"], f"test[:{num_images}]", data_dir)
        return {"metric": "CNN-feature FD to test", "value": float(domain_frechet_distance(
            np.clip(samples, 0, 1), test.astype("float32") / 255.0, classifier)), "images": num_images}
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", required=True, help="published names (savedmodels/NAME)")
    parser.add_argument("--classifier", help="a trained CNN (run folder or .keras) for the quality metrics")
    parser.add_argument("--data-dir")
    parser.add_argument("--num-images", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    from keras_genai.models.pretrained import pretrained_folder
    from keras_genai.training import load_model

    classifier = load_model(args.classifier) if args.classifier else None
    baseline = probe("-", 1, 1)["peak_rss_mb"]
    models, flex = [], []
    for name in args.models:
        folder = pretrained_folder(name)
        with open(os.path.join(folder, "config.json")) as f:
            config = json.load(f)
        with open(os.path.join(folder, "card.json")) as f:
            card = json.load(f)
        rows = []
        for row in card["export"]["litert"]:
            path = os.path.join(folder, "litert", f"{row['endpoint']}_{row['quantization']}.tflite")
            ops = file_ops(path)
            flex_ops = sorted(op for op in ops if op.startswith("Flex") or op == "CUSTOM")
            flex += flex_ops
            latency = {f"{t}_threads": probe(path, t, args.repeats) for t in (1, 2)}
            rows.append({"endpoint": row["endpoint"], "quantization": row["quantization"],
                         "size_bytes": os.path.getsize(path), "max_abs_diff": row["max_abs_diff"],
                         "ops": ops, "flex_ops": flex_ops, "latency": latency,
                         "quality": quality(folder, config, row["endpoint"], path, classifier,
                                            args.data_dir, args.num_images)})
            print(f"{name} {row['endpoint']} {row['quantization']}: "
                  f"{latency['1_threads']['median_ms']:.2f} ms (1 thread), quality {rows[-1]['quality']}", flush=True)
        models.append({"name": name, "class": card["class"], "model_sha256": card["model_sha256"], "files": rows})
    write_json(args.out, {"command": command(__spec__, argv), "baseline_rss_mb": baseline,
                          "classifier": args.classifier, "models": models})
    return 1 if flex else 0


if __name__ == "__main__":
    sys.exit(main())
