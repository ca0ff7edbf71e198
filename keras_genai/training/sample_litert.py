"""`sample FILE.tflite`: images or text from an exported LiteRT file, run as a phone runs it
(the `ai-edge-litert` interpreter, no TensorFlow graph)."""

import json
import os

import numpy as np

from keras_genai.callbacks import save_grid
from keras_genai.models.latents import standard_normal_codes

OURS = "files keras-genai exported: generate_*.tflite, decode_*.tflite (images) or next_token*_*.tflite (text)"


def _context(path):
    """The config.json of the run or published model the file belongs to (its `litert/`
    folder's parent, or that folder's parent for a run's `export/litert/`), or None."""
    folder = os.path.dirname(os.path.abspath(path))
    for candidate in (folder, os.path.dirname(folder), os.path.dirname(os.path.dirname(folder))):
        config = os.path.join(candidate, "config.json")
        if os.path.isfile(config):
            with open(config) as f:
                return json.load(f)
    return None


def _runner(path):
    from ai_edge_litert.interpreter import Interpreter

    try:
        return Interpreter(model_path=path).get_signature_runner()
    except (ValueError, RuntimeError) as e:
        raise ValueError(f"{path!r} is not a LiteRT model the interpreter can run ({e}). "
                         f"sample takes {OURS}.") from None


def sample_litert(path, num=64, label=None, seed=0, out=None, columns=8, prompt="\n",
                  max_new_tokens=200, truncation=None):
    """Generates with a `.tflite` endpoint: a generator or decoder (input `z`, and `label`
    for conditional models) draws `num` images from seeded N(0, I) codes (truncated to
    [-truncation, truncation] with `truncation`) into the PNG grid
    `out`; a language model's `next_token` step continues `prompt` greedily (its vocabulary
    comes from the config.json of the run or published model the file belongs to).

    Returns:
        dict like `sample`'s: `kind`, `class` ("LiteRT"), `out`, `samples`.
    """
    runner = _runner(path)
    inputs = runner.get_input_details()
    config = _context(path)
    if "tokens" in inputs or "token_id" in inputs:
        if truncation is not None:
            raise ValueError(f"{path!r} is a text step; --truncation is for GAN generators.")
        return _text(path, config, prompt, max_new_tokens, out)
    if "z" not in inputs or not set(inputs) <= {"z", "label"}:
        raise ValueError(f"{path!r} takes the inputs {sorted(inputs)}; sample takes {OURS}.")
    if not out:
        raise ValueError(f"{path!r} generates images: pass --out FILE.png.")
    latent_dim = int(inputs["z"]["shape_signature"][-1])
    z = standard_normal_codes(num, latent_dim, seed, truncation)
    feed = {"z": z}
    if "label" in inputs:
        num_classes = ((config or {}).get("model_config") or {}).get("num_classes")
        if label is None and not num_classes:
            raise ValueError(f"{path!r} is conditional and its run's config.json is not beside it: pass "
                             "--label INDEX.")
        if label is not None and not str(label).lstrip("-").isdigit():
            from keras_genai.training.sample import resolve_label

            label = resolve_label(label, (config or {}).get("class_names"), num_classes or 0)
        labels = np.full(num, int(label)) if label is not None else np.arange(num) % num_classes
        shape = inputs["label"]["shape_signature"]
        feed["label"] = labels.reshape((num,) + tuple(1 for _ in shape[1:])).astype(inputs["label"]["dtype"])
    elif label is not None:
        raise ValueError(f"{path!r} is not conditional; drop --label.")
    images = np.clip(np.asarray(next(iter(runner(**feed).values())), np.float32), 0.0, 1.0)
    save_grid(out, {"samples": images}, columns, overwrite=True)
    return {"kind": "images", "class": "LiteRT", "out": out, "samples": images}


def _text(path, config, prompt, max_new_tokens, out):
    from keras_genai.data import CharacterVocabulary
    from keras_genai.export.generation import greedy_generate, litert_step

    model_config = (config or {}).get("model_config") or {}
    if not model_config.get("vocabulary"):
        raise ValueError(f"{path!r} is a text model's step, and the vocabulary that maps its ids to text is in "
                         "the config.json of its run or published model, which is not beside it. Sample the "
                         "file inside its run's export/litert/ or its published folder's litert/.")
    vocabulary = CharacterVocabulary.from_config(model_config["vocabulary"])
    ids = greedy_generate(litert_step(path), vocabulary.encode(prompt), max_new_tokens,
                          model_config.get("sequence_length"))
    text = vocabulary.decode(ids)
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    return {"kind": "tokens", "class": "LiteRT", "out": out, "samples": text}
