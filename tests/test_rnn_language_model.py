import numpy as np
import pytest

from keras_genai.models.sequence import RNNLanguageModel
from keras_genai.testing import run_incremental_generation_test, run_model_test, tiny_tokens


@pytest.mark.slow
def test_lstm_language_model_through_the_harness(tmp_path):
    model = run_model_test(
        RNNLanguageModel, dict(vocabulary_size=11, sequence_length=8, cell="lstm", units=16, seed=0),
        tmp_path, data=tiny_tokens(16, 9, 11),
    )
    assert model.cell == "lstm"


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_stepwise_states_give_the_full_sequence_logits(cell):
    model = RNNLanguageModel(11, 8, cell=cell, units=8, num_layers=2, seed=0)
    tokens = np.random.default_rng(0).integers(0, 11, size=(2, 8)).astype("int32")
    run_incremental_generation_test(model, tokens)
    # No context limit: prompts longer than the training window are fine.
    assert model.generate(np.arange(11) % 11, max_new_tokens=2).shape == (1, 13)


def test_bad_cell():
    with pytest.raises(ValueError, match="cell='transformer'"):
        RNNLanguageModel(11, cell="transformer")
