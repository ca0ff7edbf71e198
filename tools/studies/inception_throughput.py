"""Throughput of the FID Inception features on this CPU (images/s).

    nice -n 5 env PYTHONPATH=$PWD python tools/inception_throughput.py --num-images 200

Times `inception_features` (resize 28x28 -> 299x299, InceptionV3, pool3) on
real Fashion-MNIST test images after one warm-up batch (graph tracing), and
records the machine load, since the CPU may be shared. Writes
tools/results/inception_throughput.json.
"""

import argparse
import json
import os
import platform
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--num-images", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--data-dir")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results", "inception_throughput.json"))
    args = parser.parse_args(argv)

    import tensorflow as tf

    from keras_genai.data import load_image_arrays
    from keras_genai.metrics import inception_features

    images = load_image_arrays("fashion_mnist", "test", args.data_dir)[0]
    load_before = os.getloadavg()
    inception_features(images[: args.batch_size], batch_size=args.batch_size, verbose=0)  # warm-up
    timed = images[args.batch_size: args.batch_size + args.num_images]
    start = time.perf_counter()
    inception_features(timed, batch_size=args.batch_size, verbose=0)
    seconds = time.perf_counter() - start
    result = {
        "what": "FID InceptionV3 feature extraction (28x28 gray -> 299x299 RGB, pool3 2048-d), float32",
        "data": "fashion_mnist", "split": "test", "num_images": int(len(timed)),
        "batch_size": args.batch_size, "seconds": round(seconds, 1),
        "images_per_second": round(len(timed) / seconds, 2),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores, tensorflow {tf.__version__}",
        "load_average_1_5_15_min": {"before": [round(v, 1) for v in load_before],
                                    "after": [round(v, 1) for v in os.getloadavg()]},
        "command": "nice -n 5 env PYTHONPATH=$PWD python tools/inception_throughput.py "
                   + " ".join(argv or sys.argv[1:]),
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
