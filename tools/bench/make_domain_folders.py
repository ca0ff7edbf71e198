"""Writes the image folders the CycleGAN folder runs of the README train on (a user's own folders).

    python -m tools.bench.make_domain_folders --data-dir ../shared/data/fashion-mnist --out /tmp/domains

- `squares/`, `disks/`: 1,000 PNGs each of the embedded `shapes` set (28x28 gray): square <-> disk;
- `trousers_rgb32/`: 1,000 Fashion-MNIST train trousers saved as 32x32 RGB PNGs, and
  `dresses/`: 1,000 train dresses as 28x28 gray PNGs, so that the pair exercises what a user's two
  folders bring: another size and another channel count in one of them (train with `--channels 1`).
"""

import argparse
import os

import numpy as np
from PIL import Image

from keras_genai.data import load_image_arrays, make_shapes
from keras_genai.data.domains import class_index
from keras_genai.data.shapes import SHAPE_NAMES


def write(folder, images, size=None, mode="L"):
    os.makedirs(folder, exist_ok=False)
    for i, image in enumerate(images):
        picture = Image.fromarray(image[..., 0]).convert(mode)
        (picture.resize((size, size), Image.BILINEAR) if size else picture).save(os.path.join(folder, f"{i:04d}.png"))
    print(f"wrote {len(images)} images to {folder}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", help="folder with the Fashion-MNIST IDX files")
    parser.add_argument("--out", required=True, help="parent folder (its sub-folders must not exist)")
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args(argv)
    images, labels = make_shapes(8 * args.count, seed=7)
    for name in ("square", "disk"):
        write(os.path.join(args.out, f"{name}s"), images[labels == SHAPE_NAMES.index(name)][: args.count])
    images, labels = load_image_arrays("fashion_mnist", "train", args.data_dir)
    write(os.path.join(args.out, "trousers_rgb32"), images[labels == class_index("fashion_mnist", "trouser")][: args.count],
          32, "RGB")
    write(os.path.join(args.out, "dresses"), images[labels == class_index("fashion_mnist", "dress")][: args.count])


if __name__ == "__main__":
    main()
