"""`translate`: images of one domain through a trained translation model (CycleGAN)."""

import os

import numpy as np

from keras_genai.callbacks import save_grid
from keras_genai.data.domains import image_array, read_image_files
from keras_genai.data.own_data import image_files
from keras_genai.data.pipeline import normalize_images
from keras_genai.models.pretrained import refuse_savedmodels_output
from keras_genai.training.load import load_model


def translate(model_or_path, direction, input, out, overwrite=False, columns=8):
    """Translates an image file or a folder of images with a `.keras` file or a run folder.

    Each input image is converted to the model's channels and resized to its
    image size (the output says so when it was), translated in `direction`
    (`"a2b"` or `"b2a"`), and written to `out` as a PNG of the same name;
    `out/sheet.png` shows inputs and translations row by row.

    Returns:
        dict: `out`, `files` (the PNGs written), `sheet`, `converted` (how
        many inputs were resized or converted).
    """
    model = load_model(model_or_path) if isinstance(model_or_path, (str, os.PathLike)) else model_or_path
    if getattr(model, "data_form", None) != "domains" or not hasattr(model, "translate"):
        raise ValueError(
            f"translate needs a translation model such as cyclegan. Received: a {type(model).__name__}, "
            "which does not translate; use `keras-genai sample` for generative models."
        )
    model.translator(direction)  # checks the direction before any file is read
    if os.path.isdir(input):
        files = image_files(input, recursive=True)
    elif os.path.isfile(input):
        files = [input]
    else:
        raise FileNotFoundError(f"--input {input!r} is neither an image file nor a folder.")
    if not files:
        raise ValueError(f"Folder {input!r} holds no images (PNG/JPEG; hidden files skipped).")
    refuse_savedmodels_output(out)
    if os.path.isdir(out) and os.listdir(out) and not overwrite:
        raise FileExistsError(f"{out!r} is not empty. Pass --overwrite or another --out.")
    if os.path.exists(out) and not os.path.isdir(out):
        raise FileExistsError(f"{out!r} is a file; --out is a folder for the translated PNGs.")
    height, width, channels = model.image_shape
    pictures = read_image_files(files, channels)
    converted = sum(p.size != (width, height) for p in pictures)
    images = image_array(pictures, (height, width))
    translated = model.translate(np.asarray(normalize_images(images, model.value_range)), direction)
    display = model.to_display(translated)
    os.makedirs(out, exist_ok=True)
    from PIL import Image

    written = []
    for path, image in zip(files, display):
        name = os.path.splitext(os.path.relpath(path, input) if os.path.isdir(input) else os.path.basename(path))[0]
        target = os.path.join(out, name.replace(os.sep, "_") + ".png")
        pixels = np.round(image * 255).astype(np.uint8)
        Image.fromarray(pixels[..., 0] if channels == 1 else pixels).save(target)
        written.append(target)
    sheet = os.path.join(out, "sheet.png")
    source, target_domain = direction.split("2")
    rows = {}
    for start in range(0, min(len(images), 4 * columns), columns):
        rows[f"{source} {start // columns + 1}"] = images[start:start + columns] / 255.0
        rows[f"{direction} {start // columns + 1}"] = display[start:start + columns]
    save_grid(sheet, rows, columns, overwrite=True)
    return {"out": out, "files": written, "sheet": sheet, "converted": converted}
