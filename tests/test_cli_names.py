"""The CLI's static name lists match the library, and the CLI reads its arguments without TensorFlow."""

import subprocess
import sys

import pytest

from keras_genai.cli import names


def test_model_names_match_the_registry():
    from keras_genai.models.registry import FORECASTERS, MODELS

    assert names.MODELS == tuple(MODELS)
    assert names.TEXT_MODELS == tuple(n for n, e in MODELS.items() if e["class"].input_kind == "tokens")
    assert names.FORECASTERS == {
        name: (entry["class"].__name__, (entry["class"].__doc__ or "").strip().split("\n", 1)[0])
        for name, entry in FORECASTERS.items()}


def test_quantization_and_metric_names_match_the_library():
    from keras_genai.distribute import STRATEGIES
    from keras_genai.export import QUANTIZATIONS
    from keras_genai.metrics import GENERATION_METRICS, MODEL_METRICS

    assert names.QUANTIZATIONS == tuple(QUANTIZATIONS)
    assert names.STRATEGIES == tuple(STRATEGIES)
    assert names.GENERATION_METRICS == tuple(GENERATION_METRICS)
    assert names.MODEL_METRICS == tuple(MODEL_METRICS)


# Each call loaded TensorFlow before reading its arguments (~7.5 s for --help or a typo).
@pytest.mark.parametrize("argv", [["--help"], ["train", "--help"], ["forecast", "--help"], ["eval", "--help"],
                                  ["train", "vae", "--set", "beta=4", "--export", "int8"],  # no --out
                                  ["eval", "run", "--metrics", "fdi"]])
def test_help_and_argument_errors_do_not_load_tensorflow(argv):
    code = ("import runpy, sys\n"
            f"sys.argv = ['keras-genai', *{argv!r}]\n"
            "try:\n"
            "    runpy.run_module('keras_genai.cli.main', run_name='__main__')\n"
            "except SystemExit as e:\n"
            "    code = e.code\n"
            "heavy = sorted(m for m in ('tensorflow', 'keras', 'keras_genai.models', 'numpy') if m in sys.modules)\n"
            "print('LOADED', heavy, 'EXIT', code, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("LOADED [] EXIT"), result.stderr
    assert last.endswith("EXIT 0" if "--help" in argv else "EXIT 2"), result.stderr


def test_train_help_names_the_text_models_in_its_dataset_text(capsys):
    from keras_genai.cli.main import main

    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    # It printed a literal "{text_models}".
    assert "{text_models}" not in text and f"text models ({', '.join(names.TEXT_MODELS)}): 'embedded'" in text
