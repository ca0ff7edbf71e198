import json
import os
import zipfile

import keras

from keras_genai.models.pretrained import resolve_source


def resolve_model_path(path):
    """A `.keras` file, a run folder or a pretrained model's name -> its `model.keras`."""
    path = resolve_source(path)
    if os.path.isdir(path):
        candidate = os.path.join(path, "model.keras")
        if not os.path.exists(candidate):
            raise FileNotFoundError(
                f"{path!r} is a folder without model.keras. Expected a .keras file or the "
                "--out folder of a finished `keras-genai train` run (an unfinished one has "
                "checkpoints/epoch_*.keras)."
            )
        return candidate
    return path


def _saved_dtype_policy(path):
    try:
        with zipfile.ZipFile(path) as archive:
            config = json.loads(archive.read("config.json"))
        policy = config["config"]["dtype"]
        return policy["config"]["name"] if isinstance(policy, dict) else policy
    except Exception:  # not a zip or no policy: let load_model report it
        return None


def load_model(path):
    """Loads a keras-genai model from a `.keras` file, a run folder or a
    pretrained model's name (`keras-genai models --pretrained`).

    The model's sub-networks are rebuilt in the dtype policy it was saved
    with (float32, mixed_bfloat16, ...), whatever the global policy is now.
    """
    import keras_genai.models  # noqa: F401  (registers the classes)

    path = resolve_model_path(path)
    previous = keras.config.dtype_policy()
    saved = _saved_dtype_policy(path)
    try:
        if saved:
            keras.config.set_dtype_policy(saved)
        return keras.saving.load_model(path)
    except Exception as e:
        raise ValueError(
            f"Could not load a model from {path!r}: {type(e).__name__}: {e}. The file is "
            "corrupt or not a .keras model; try an earlier checkpoint in checkpoints/."
        ) from None
    finally:
        keras.config.set_dtype_policy(previous)

