"""Fine-tuning: start a run from a pretrained model or another run's model.

`train(..., from_model=NAME_OR_PATH)` builds nothing new: it loads the
model (every network it has, e.g. a GAN's discriminator too), checks that
it is of the family being trained and fits the data, optionally gives a
conditional model another class count (new label rows, every other weight
kept) and freezes the parts asked for, and trains it with fresh optimizers
at a lower default learning rate.
"""

import os

import keras
import numpy as np

from keras_genai.models.pretrained import is_inside_savedmodels
from keras_genai.training.load import load_model, resolve_model_path
from keras_genai.utils.digest import file_sha256

# Fine-tuning defaults to this share of the budget's learning rate: the
# weights are already near a solution, and the budget's rate is for a start
# from noise (10x lower is the usual transfer-learning default).
LEARNING_RATE_FACTOR = 0.1


def load_base(model_class, model_name, source):
    """`(model, record)`: the model at `source` (a pretrained name, a run
    folder or a `.keras` file), which must be exactly a `model_class`, and
    the record config.json keeps of where the run started."""
    path = resolve_model_path(source)
    model = load_model(path)
    if type(model) is not model_class:
        raise ValueError(
            f"{source!r} is a {type(model).__name__}; `train {model_name}` fine-tunes a "
            f"{model_class.__name__}. Train the model's own family with --from, or start "
            f"{model_name} from scratch without --from.")
    folder = os.path.dirname(os.path.abspath(path))
    return model, {"source": os.fspath(source), "path": os.path.abspath(path), "class": type(model).__name__,
                   "sha256": file_sha256(path),
                   "pretrained": os.path.basename(folder) if is_inside_savedmodels(path) else None}


def image_defaults(base, image_size, channels):
    """`(image_size, channels)` for the user's images: the base's own unless given.

    A model's networks are built for one image shape, so other sizes or
    channel counts get a ValueError that says which to pass.
    """
    shape = getattr(base, "image_shape", None)
    if shape is None:
        return image_size, channels
    height, width, depth = shape
    if (image_size is not None and image_size != height) or height != width or (
            channels is not None and channels != depth):
        raise ValueError(
            f"The model to fine-tune was built for {height}x{width}x{depth} images. Received: "
            f"image_size={image_size}, channels={channels}; drop --image-size/--channels (your images "
            f"are then resized to {height}x{width} and converted to {depth} channel(s)), or train "
            "from scratch for another shape.")
    return height, depth


def check_image_shape(base, image_shape):
    """A ValueError if a named dataset's images do not fit the base's networks."""
    expected = tuple(getattr(base, "image_shape", None) or ())
    if expected and tuple(image_shape) != expected:
        raise ValueError(
            f"The model to fine-tune takes {'x'.join(map(str, expected))} images; the dataset has "
            f"{'x'.join(map(str, image_shape))}. Fine-tune on an image folder (resized to the model's "
            "size) or train from scratch.")


def adapted(base, num_classes=None, overrides=None):
    """`(model, record)`: `base`, or a copy of it rebuilt with `overrides`
    (training-rule arguments such as a GAN's `augment` or `ema_decay`) and,
    for a conditional model trained on another number of classes,
    `num_classes`. Every weight is carried over: the shared rows of each
    label-sized weight, the new rows keeping their fresh initialisation; an
    override that changes any weight's shape (the architecture) is refused.
    `record`: the class change (or None) and the overrides."""
    changes = dict(overrides or {})
    classes = None
    if num_classes and getattr(base, "num_classes", num_classes) != num_classes:
        changes["num_classes"] = int(num_classes)
        classes = {"from": int(base.num_classes), "to": int(num_classes)}
    if not changes:
        return base, {"classes": None, "overrides": {}}
    from keras_genai.training.train import check_overrides, construct

    check_overrides(type(base), overrides)
    model = construct(type(base), {**base.get_config(), **changes}, seed=base.seed)
    old, new = base.weights, model.weights
    reshaped = [a.path for a, b in zip(old, new) if tuple(a.shape) != tuple(b.shape)]
    if len(old) != len(new) or (reshaped and classes is None):
        raise ValueError(
            f"Fine-tuning keeps the model's architecture; {overrides} changes its weights "
            f"({len(old)} -> {len(new)} variables{', shapes of ' + ', '.join(reshaped[:3]) if reshaped else ''}). "
            "--set with --from takes training-rule arguments only (e.g. augment, ema_decay).")
    for source, target in zip(old, new):
        value, shape = np.asarray(source), tuple(target.shape)
        if value.shape != shape:
            overlap = tuple(slice(0, min(a, b)) for a, b in zip(value.shape, shape))
            fresh = np.array(target)
            fresh[overlap] = value[overlap]
            value = fresh
        target.assign(value)
    if classes:
        classes["resized_weights"] = len(reshaped)
    return model, {"classes": classes, "overrides": dict(overrides or {})}


def parts(model):
    """The networks of `model` that can be frozen, by attribute name
    (e.g. encoder, decoder, generator, discriminator; the weight averages
    `ema_*` are not trained, so not listed)."""
    return {name: value for name, value in vars(model).items()
            if isinstance(value, keras.Model) and not name.startswith(("ema_", "_"))}


def freeze(model, specs):
    """Freezes `specs`: part names, or `PART:N` for the first N layers with
    weights of that part (e.g. `discriminator:2`, FreezeD). Returns
    `{spec: frozen variable count}`."""
    available = parts(model)
    frozen = {}
    for spec in specs or ():
        name, _, count = str(spec).partition(":")
        if name not in available:
            raise ValueError(
                f"{type(model).__name__} has no part {name!r} to freeze. Its parts: "
                f"{', '.join(sorted(available)) or 'none'} (PART or PART:N for its first N layers). "
                f"Received: {spec!r}")
        layers = [layer for layer in available[name].layers if layer.weights]
        if count:
            if not count.isdigit() or not 0 < int(count) <= len(layers):
                raise ValueError(f"{name} has {len(layers)} layers with weights: freeze {name}:N with "
                                 f"N in [1, {len(layers)}]. Received: {spec!r}")
            layers = layers[:int(count)]
        for layer in layers:
            layer.trainable = False
        frozen[spec] = sum(len(layer.weights) for layer in layers)
    return frozen
