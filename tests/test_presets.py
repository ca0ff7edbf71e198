"""Every registered preset builds and round-trips its config; the index and what it reports."""

import importlib
import json

import keras
import pytest

from keras_genai.models import registry
from keras_genai.models.presets import register_presets, registered
from keras_genai.models.sequence.lstm_forecaster import LSTMForecaster
from keras_genai.training.forecast import build_forecaster
from keras_genai.training.train import build_model

CASES = [(name, preset) for name, entry in registry.MODELS.items() for preset in entry["presets"]]
FORECASTER_CASES = [(name, preset) for name, entry in registry.FORECASTERS.items()
                    for preset in entry["presets"]]


def as_json(value):
    return json.loads(json.dumps(value))


def check_round_trip(model, preset):
    config = model.get_config()
    # Presets are constructor kwargs, each stored under its own name.
    assert {key: as_json(config[key]) for key in preset} == as_json(preset)
    assert type(model).from_config(config).get_config() == config


@pytest.mark.parametrize("name,preset", CASES)
def test_model_preset_builds_and_round_trips(name, preset):
    entry = registry.get_entry(name)
    model = build_model(name, preset, **entry["data_args"])
    assert type(model) is entry["class"]
    check_round_trip(model, registry.get_preset(name, preset))


@pytest.mark.parametrize("name,preset", FORECASTER_CASES)
def test_forecaster_preset_builds_and_round_trips(name, preset):
    model = build_forecaster(name, preset)
    assert type(model) is registry.get_forecaster(name)["class"]
    check_round_trip(model, registry.get_forecaster(name)["presets"][preset])


@pytest.mark.parametrize("name", list(registry.MODELS) + list(registry.FORECASTERS))
def test_presets_live_beside_their_model(name):
    entry = registry.MODELS.get(name) or registry.FORECASTERS[name]
    module = importlib.import_module(f"{entry['class'].__module__}_presets")
    tables = [value for value in vars(module).values() if isinstance(value, dict) and name in value]
    assert [table[name]["presets"] for table in tables] == [entry["presets"]]
    assert tables[0][name]["fit"] is entry["fit"]


def test_the_index_is_the_registrations():
    assert registry.MODELS is registered("train") and registry.FORECASTERS is registered("forecast")
    assert not set(registry.MODELS) & set(registry.FORECASTERS)


def test_describe_optimizers_names_what_the_class_builds():
    assert registry.describe_optimizers("wgan") == "D and G: RMSprop(lr=1e-4)"
    assert registry.describe_optimizers("wgan", learning_rate=5e-5) == "D and G: RMSprop(lr=5e-5)"
    assert registry.describe_optimizers("gan") == "D and G: Adam(lr=2e-4, beta_1=0.5)"
    assert registry.describe_optimizers("wgan_gp") == "D and G: Adam(lr=1e-4, beta_1=0.5, beta_2=0.9)"
    assert registry.describe_optimizers("mlp") == "Adam(lr=1e-3)"
    assert registry.describe_optimizers("gpt") == (
        "AdamW(lr=1e-3, weight_decay=0.1, global_clipnorm=1, beta_2=0.99, epsilon=1e-8)")
    assert registry.describe_optimizers("lstm_forecaster") == "Adam(lr=3e-3)"
    assert registry.describe_optimizers("ar") == "closed-form least squares (method='gradient': Adam(lr=1e-2))"
    with pytest.raises(ValueError, match=r"^Unknown CLI name 'nope'\. Expected a model \(mlp, .*\) "
                                         r"or a forecaster \(ar, "):
        registry.describe_optimizers("nope")


def test_describe_compile_kwargs_names_each_network():
    two_rates = {"d_optimizer": keras.optimizers.Adam(4e-4, beta_1=0.0),
                 "g_optimizer": keras.optimizers.Adam(1e-4, beta_1=0.0)}
    assert registry.describe_compile_kwargs(two_rates) == "D: Adam(lr=4e-4, beta_1=0); G: Adam(lr=1e-4, beta_1=0)"
    wrapped = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.05, momentum=0.9))
    assert registry.describe_compile_kwargs({"optimizer": wrapped}) == "SGD(lr=0.05, momentum=0.9)"


def test_register_presets_refuses_bad_registrations():
    tiny = {"tiny": {"cell": "lstm"}}
    with pytest.raises(ValueError, match=r"'lstm' is already registered for `train` by RNNLanguageModel"):
        register_presets({"lstm": {"presets": tiny, "fit": {}}}, LSTMForecaster, command="forecast")
    budget = {"epochs": 1, "batch_size": 2, "learning_rate": None}
    with pytest.raises(ValueError, match=r"needs a budget with epochs, batch_size, learning_rate"):
        register_presets({"x_forecaster": {"presets": tiny, "fit": budget}}, LSTMForecaster, command="forecast")
    with pytest.raises(ValueError, match=r"needs a 'tiny' preset"):
        register_presets({"x_forecaster": {"presets": {"cpu": {}}, "fit": budget}}, LSTMForecaster, "forecast")
    with pytest.raises(ValueError, match=r"command must be one of \('train', 'forecast'\)"):
        register_presets({}, LSTMForecaster, command="sample")
    assert "x_forecaster" not in registry.FORECASTERS
