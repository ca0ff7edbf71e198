"""Caches the FID reference features of a dataset split and times the Inception.

    nice -n 5 env PYTHONPATH=$PWD python tools/fid_reference.py \
        --dataset fashion_mnist --split test --num-samples 10000

Writes tools/results/fid_reference_<dataset>_<split>_<n>.json: the cache
file, the end-to-end Inception feature throughput (images/s: resize to
299, InceptionV3, pool3, on this CPU), and a few summary numbers of the
features. A cache that already exists is recomputed only with --recompute.
"""

import argparse
import json
import os
import platform
import sys
import time

import numpy as np


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="fashion_mnist")
    parser.add_argument("--split", default="test")
    parser.add_argument("--num-samples", type=int, default=10000)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--data-dir")
    parser.add_argument("--recompute", action="store_true")
    parser.add_argument("--out")
    args = parser.parse_args(argv)

    import tensorflow as tf

    from keras_genai.metrics.feature_extraction import reference_cache_path, reference_features

    path = reference_cache_path(args.dataset, args.split, args.num_samples)
    if args.recompute and os.path.exists(path):
        os.remove(path)
    cached = os.path.exists(path)
    start = time.perf_counter()
    features, path = reference_features(args.dataset, args.split, args.num_samples,
                                        data_dir=args.data_dir, batch_size=args.batch_size)
    seconds = time.perf_counter() - start
    result = {
        "what": "FID Inception (pool3, 2048-d) features of a real split, cached for fid/kid/pr",
        "dataset": args.dataset, "split": args.split, "num_samples": int(len(features)),
        "cache": path,
        "feature_mean_norm": float(np.linalg.norm(features.mean(0))),
        "feature_trace_covariance": float(np.trace(np.cov(features, rowvar=False))),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores (shared with other jobs), "
                   f"tensorflow {tf.__version__}",
        "load_average_1_5_15_min_at_end": [round(v, 1) for v in os.getloadavg()],
        "batch_size": args.batch_size,
        "command": "nice -n 5 env PYTHONPATH=$PWD python tools/fid_reference.py " + " ".join(argv or sys.argv[1:]),
    }
    if cached:
        result["note"] = "loaded from the cache; throughput not measured (pass --recompute)"
    else:
        result["seconds"] = round(seconds, 1)
        result["images_per_second"] = round(len(features) / seconds, 2)
    out = args.out or os.path.join(
        os.path.dirname(__file__), "results",
        f"fid_reference_{os.path.basename(path)[:-4]}.json")
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
