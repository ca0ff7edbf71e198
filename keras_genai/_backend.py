"""Checks, on the first import of a sub-package that needs it, that TensorFlow is installed
and that Keras runs on it. `keras_genai` itself imports nothing heavy, so that the CLI can
answer `--help` and argument errors before TensorFlow loads."""

try:
    import tensorflow  # noqa: F401
except ImportError:
    raise ImportError(
        "keras-genai needs TensorFlow 2.21, which comes with an extra: "
        "`pip install -e \".[cpu]\"` on machines without a GPU, or "
        "`pip install -e \".[gpu]\"` for CUDA GPUs."
    ) from None
import keras  # noqa: E402

if keras.backend.backend() != "tensorflow":
    raise ImportError(
        f"keras-genai runs on Keras' TensorFlow backend; KERAS_BACKEND is "
        f"{keras.backend.backend()!r}. Set KERAS_BACKEND=tensorflow."
    )
