"""What the evaluation tools share: images in [0, 1], the machine note, the JSON file."""

import json
import os
import platform

from keras_genai.data import load_image_arrays


def load_split(dataset, split, data_dir):
    """`(images, labels)` of a split, images as float32 in [0, 1]."""
    images, labels = load_image_arrays(dataset, split, data_dir)
    return images.astype("float32") / 255.0, labels


def machine_note(niced=True):
    return (f"{platform.machine()}, {os.cpu_count()} CPU cores shared with other jobs"
            + (", nice -n 5" if niced else ""))


def write_result(path, result):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
    print(f"wrote {path}")
