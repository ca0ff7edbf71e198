"""Throughput of the FID Inception features on this CPU (images/s).

    nice -n 5 python -m tools.studies.inception_throughput --num-images 200

Supports docs/fid.md ("Cost").

Times `inception_features` (resize 28x28 -> 299x299, InceptionV3, pool3) on
real Fashion-MNIST test images after one warm-up batch (graph tracing), and
records the machine load, since the CPU may be shared. Writes
tools/results/inception_throughput.json.
"""

import argparse
import json
import os
import time

from tools.record import RESULTS, command, write_json


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--num-images", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--data-dir")
    parser.add_argument("--out", default=os.path.join(RESULTS, "inception_throughput.json"))
    args = parser.parse_args(argv)

    from keras_genai.data import load_image_arrays
    from keras_genai.metrics import inception_features

    images = load_image_arrays("fashion_mnist", "test", args.data_dir)[0]
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
        "command": command(__spec__, argv),
    }
    write_json(args.out, result)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
