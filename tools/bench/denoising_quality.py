"""PSNR and SSIM of a trained denoising autoencoder on the test split.

    nice -n 5 python -m tools.bench.denoising_quality \\
        --model /work/runs/reference/denoising_autoencoder/model.keras \\
        --data-dir /work/shared/data/fashion-mnist --out tools/results/denoising_quality.json

With `keras_genai.metrics.reconstruction_quality`: each clean test image
is corrupted once with the model's own training noise (`add_noise`: its
`noise` kind and `noise_level`) and denoised with `reconstruct`; PSNR
(`keras_genai.metrics.psnr`) and SSIM (`keras_genai.metrics.ssim`, i.e.
`tf.image.ssim` with an 11x11 window) of the noisy input and of the output
are measured against the clean image and averaged over all images.
"""

import argparse

import keras

from keras_genai.metrics import reconstruction_quality
from keras_genai.training import load_model
from tools.bench.evaluation_io import load_split
from tools.record import command, write_json


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="/work/runs/reference/denoising_autoencoder/model.keras")
    parser.add_argument("--dataset", default="fashion_mnist")
    parser.add_argument("--data-dir", default="/work/shared/data/fashion-mnist")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="tools/results/denoising_quality.json")
    args = parser.parse_args()

    model = load_model(args.model)
    clean, _ = load_split(args.dataset, "test", args.data_dir)
    keras.utils.set_random_seed(args.seed)
    quality = reconstruction_quality(model, clean)
    result = {
        "tool": "tools/bench/denoising_quality.py",
        "command": command(__spec__),
        "model": args.model,
        "noise": {"kind": model.noise, "level": model.noise_level, "model_seed": model.seed,
                  "global_seed": args.seed},
        "data": f"{args.dataset} test split, all {len(clean)} images in [0, 1], one noise draw each",
        "metrics": "mean over images of per-image PSNR (dB, max value 1) and SSIM (tf.image.ssim, "
                   "11x11 Gaussian window), each against the clean image",
        "noisy_input": {"psnr_db": quality["noisy_psnr"], "ssim": quality["noisy_ssim"]},
        "denoised": {"psnr_db": quality["psnr"], "ssim": quality["ssim"]},
    }
    print(f"noisy input: PSNR {result['noisy_input']['psnr_db']:.2f} dB, SSIM {result['noisy_input']['ssim']:.4f}")
    print(f"denoised:    PSNR {result['denoised']['psnr_db']:.2f} dB, SSIM {result['denoised']['ssim']:.4f}")
    write_json(args.out, result)


if __name__ == "__main__":
    main()
