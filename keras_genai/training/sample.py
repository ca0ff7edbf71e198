"""`sample`: images or text from a trained model, as its `input_kind` says."""

import inspect
import os

import numpy as np

from keras_genai import samplers
from keras_genai.callbacks import save_grid
from keras_genai.models.latents import check_truncation
from keras_genai.models.pretrained import refuse_savedmodels_output
from keras_genai.training.load import load_model
from keras_genai.training.run_data import find_run_config
from keras_genai.training.sample_litert import sample_litert


def resolve_label(label, class_names, num_classes):
    """A class index from a class name (any case) or an index (int or digits).

    A name of `class_names` (the run's config.json records them) wins over
    an index, so a folder whose classes are named "1", "10", "2" takes
    `"10"` as that class.
    """
    text = str(label).strip()
    if class_names:
        matches = [i for i, name in enumerate(class_names) if name.lower() == text.lower()]
        if matches:
            return matches[0]
    if text.lstrip("-").isdigit() and 0 <= int(text) < num_classes:
        return int(text)
    known = (f"one of {', '.join(map(repr, class_names))} or an index in [0, {num_classes})"
             if class_names else
             f"an index in [0, {num_classes}) (this model has no class names recorded: "
             "sample its run folder to use names)")
    raise ValueError(f"Unknown label {label!r}; expected {known}.")


def sample(model_or_path, num=64, label=None, seed=0, out=None, overwrite=False, columns=8,
           prompt=None, max_new_tokens=None, temperature=None, top_k=None, top_p=None, truncation=None):
    """Generates with a model, a `.keras` file, a run folder, a pretrained
    model's name or an exported `.tflite` file (see `sample_litert`).

    Image models (`input_kind == "images"`) draw `num` images (of class
    `label`, or of every class in turn, for conditional models; see
    `resolve_label` for names such as `"sneaker"`) and write a
    PNG grid of `columns` per row to `out` (required); GANs draw z truncated
    to [-truncation, truncation] with `truncation`. Text models
    (`"tokens"`) continue `prompt` (default: a newline) by `max_new_tokens`
    (default: 200) characters, greedily unless `temperature`, `top_k` or
    `top_p` ask for sampling (see `keras_genai.samplers.from_options`), and
    write the text to `out` if given. An option of the other kind of model
    is a ValueError, not ignored.

    Returns:
        dict: `kind` (the model's `input_kind`), `class`, `out`, and
        `samples` (the images in [0, 1], or the text).
    """
    refuse_savedmodels_output(out)
    if out and os.path.exists(out) and not overwrite:
        raise FileExistsError(f"{out!r} already exists. Pass --overwrite to replace it.")
    is_path = isinstance(model_or_path, (str, os.PathLike))
    if is_path and os.fspath(model_or_path).endswith(".tflite"):
        if any(option is not None for option in (temperature, top_k, top_p)):
            raise ValueError("A .tflite text step samples greedily; drop --temperature/--top-k/--top-p, or "
                             "sample the run folder or .keras file for those.")
        return sample_litert(os.fspath(model_or_path), num, label, seed, out, columns,
                             "\n" if prompt is None else prompt, max_new_tokens or 200, truncation)
    model = load_model(model_or_path) if is_path else model_or_path
    name = type(model).__name__
    result = {"kind": model.input_kind, "class": name, "out": out}
    text_options = {"prompt": prompt, "max_new_tokens": max_new_tokens, "temperature": temperature,
                    "top_k": top_k, "top_p": top_p}
    truncation = check_truncation(truncation)
    if truncation is not None and "truncation" not in inspect.signature(getattr(model, "generate", print)).parameters:
        raise ValueError(f"{name} does not draw z by truncation; --truncation is for noise-to-image GANs (e.g. dcgan, cgan). "
                         f"Received: truncation={truncation}")
    if model.input_kind == "tokens":
        if label is not None:
            raise ValueError(f"{name} is a text model: --label is for conditional image models. Received: label={label!r}")
        sampler = samplers.from_options(temperature, top_k, top_p, seed)
        result["samples"] = model.generate("\n" if prompt is None else prompt, max_new_tokens or 200,
                                           sampler=sampler)
        if out:
            with open(out, "w", encoding="utf-8") as f:
                f.write(result["samples"])
        return result
    if getattr(model, "data_form", None) == "domains":
        raise ValueError(f"{name} translates images rather than generating them: use "
                         "`keras-genai translate RUN --direction a2b --input IMAGES --out DIR`.")
    if model.input_kind != "images" or not hasattr(model, "generate"):
        raise ValueError(f"{name} does not generate images; "
                         "sample needs a generative model such as vae or cvae.")
    given = [key for key, value in text_options.items() if value is not None]
    if given:
        raise ValueError(f"{name} generates images: {', '.join('--' + key.replace('_', '-') for key in given)} "
                         f"{'is' if len(given) == 1 else 'are'} for text models (e.g. gpt). Received: "
                         + ", ".join(f"{key}={text_options[key]!r}" for key in given))
    if not out:
        raise ValueError(f"{name} generates images: pass --out FILE.png.")
    labels = None
    if model.needs_labels:
        if label is not None:
            names = (find_run_config(model_or_path) or {}).get("class_names")
            label = resolve_label(label, names, model.num_classes)
        labels = np.full(num, label) if label is not None else np.arange(num) % model.num_classes
    elif label is not None:
        raise ValueError(f"{name} is not conditional; drop --label.")
    truncated = {} if truncation is None else {"truncation": truncation}
    result["samples"] = model.to_display(model.generate(num, labels=labels, seed=seed, **truncated))
    save_grid(out, {"samples": result["samples"]}, columns, overwrite=True)
    return result
