"""Caches the FID reference features of a dataset split and times the Inception.

    nice -n 5 python -m tools.reference.fid_reference \
        --dataset fashion_mnist --split test --num-samples 10000

Writes tools/results/fid_reference_<dataset>_<split>_<n>.json: the cache
file, the end-to-end Inception feature throughput (images/s: resize to
299, InceptionV3, pool3, on this CPU), and a few summary numbers of the
features. A cache that already exists is recomputed only with --recompute.
"""

import argparse
import json
import os
import time

import numpy as np

from tools.record import RESULTS, command, write_json


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
        "batch_size": args.batch_size,
        "command": command(__spec__, argv),
    }
    if cached:
        result["note"] = "loaded from the cache; throughput not measured (pass --recompute)"
    else:
        result["seconds"] = round(seconds, 1)
        result["images_per_second"] = round(len(features) / seconds, 2)
    write_json(args.out or os.path.join(RESULTS, f"fid_reference_{os.path.basename(path)[:-4]}.json"), result)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
