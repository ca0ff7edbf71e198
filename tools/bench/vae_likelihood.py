"""Test ELBO and importance-weighted NLL (IWAE bound) of a trained VAE.

    nice -n 5 python -m tools.bench.vae_likelihood \\
        --model /work/runs/reference/vae/model.keras \\
        --data-dir /work/shared/data/fashion-mnist --out tools/results/vae_likelihood.json

k = 5000 importance samples per image (as in the IWAE paper) cost 1-2.5
seconds per image on a shared 2-core CPU, so that bound is computed on the first
`--num-images` test images; the same subset also gets k = 1 and 50 and the
model's ELBO, and the whole test split gets the ELBO and the k = `--full-k`
bound. Every row states its image count and k. Values are nats per image
(and bits per dimension) of the VAE's own decoder likelihood: for the
Bernoulli decoder on grey-level Fashion-MNIST that is a cross-entropy, not
the probability of the discrete pixel values, so it is comparable with other
runs of this tool, not with published NLLs on binarised MNIST.
"""

import argparse
import math
import time

import numpy as np

from keras_genai.metrics import bits_per_dim, importance_weighted_bounds
from keras_genai.training import load_model
from tools.bench.evaluation_io import load_split
from tools.record import command, write_json


def summary(values, num_dims):
    values = np.asarray(values, np.float64)
    return {
        "nats": float(values.mean()),
        "standard_error_nats": float(values.std(ddof=1) / math.sqrt(len(values))) if len(values) > 1 else None,
        "bits_per_dim": float(bits_per_dim(values.mean(), num_dims)),
    }


def bound_row(vae, images, k, args, num_dims, negative_elbo):
    started = time.time()
    bounds = importance_weighted_bounds(vae, images, k=k, batch_size=args.batch_size,
                                        chunk_size=args.chunk_size, seed=args.seed)
    seconds = time.time() - started
    row = {"k": k, "num_images": len(images), "seconds": round(seconds, 1),
           "seconds_per_image": round(seconds / len(images), 4),
           "iwae_nll": summary(bounds["nll"], num_dims),
           "k_sample_negative_elbo": summary(-bounds["elbo"], num_dims),
           # Paired per image, so the spread between images cancels out.
           "model_negative_elbo_minus_iwae_nll": summary(negative_elbo - bounds["nll"], num_dims)}
    print(f"k={k:<5} on {len(images):>5} images: IWAE NLL {row['iwae_nll']['nats']:.2f} nats "
          f"({row['iwae_nll']['bits_per_dim']:.4f} bits/dim), -ELBO {row['k_sample_negative_elbo']['nats']:.2f}"
          f" ({seconds:.0f} s)", flush=True)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="/work/runs/reference/vae/model.keras")
    parser.add_argument("--dataset", default="fashion_mnist")
    parser.add_argument("--data-dir", default="/work/shared/data/fashion-mnist")
    parser.add_argument("--num-images", type=int, default=300,
                        help="the first N test images get the large-k bounds")
    parser.add_argument("--k", type=int, nargs="+", default=[1, 50, 5000],
                        help="importance samples per image on the subset")
    parser.add_argument("--full-k", type=int, default=50,
                        help="k for the bound on the whole test split (0: skip)")
    parser.add_argument("--elbo-repeats", type=int, default=10,
                        help="one-sample ELBOs averaged per image for the model's ELBO")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--chunk-size", type=int, default=512)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="tools/results/vae_likelihood.json")
    args = parser.parse_args()

    vae = load_model(args.model)
    images, _ = load_split(args.dataset, "test", args.data_dir)
    num_dims = int(np.prod(images.shape[1:]))
    subset = images[: args.num_images]

    # The model's own ELBO (analytic KL, one z per call), averaged over repeats.
    started = time.time()
    negative_elbo = np.mean([vae.score(images) for _ in range(args.elbo_repeats)], axis=0)
    elbo_seconds = time.time() - started
    print(f"-ELBO on {len(images)} test images: {negative_elbo.mean():.2f} nats", flush=True)

    result = {
        "tool": "tools/bench/vae_likelihood.py",
        "command": command(__spec__),
        "model": args.model,
        "model_config": {key: vae.get_config()[key] for key in
                         ("latent_dim", "widths", "architecture", "beta", "decoder_distribution")},
        "data": f"{args.dataset} test split, 10,000 images scaled to [0, 1] (grey levels, not binarised)",
        "subset": f"the first {len(subset)} test images",
        "units": "nats per image of the decoder likelihood (lower is better for NLL and -ELBO); "
                 f"bits_per_dim = nats / ({num_dims} ln 2)",
        "caveat": "Bernoulli decoder on grey-level pixels: the likelihood is a cross-entropy, not a "
                  "probability of discrete pixel values; compare only with other runs of this tool, "
                  "not with published NLLs on binarised MNIST.",
        "negative_elbo_test": {
            "num_images": len(images),
            "elbo_repeats": args.elbo_repeats,
            "seconds": round(elbo_seconds, 1),
            **summary(negative_elbo, num_dims),
        },
        "negative_elbo_subset": {
            "num_images": len(subset),
            "elbo_repeats": args.elbo_repeats,
            **summary(negative_elbo[: len(subset)], num_dims),
        },
        "subset_bounds": [bound_row(vae, subset, k, args, num_dims, negative_elbo[: len(subset)])
                          for k in args.k],
    }
    if args.full_k:
        result["test_bound"] = bound_row(vae, images, args.full_k, args, num_dims, negative_elbo)
    write_json(args.out, result)


if __name__ == "__main__":
    main()
