import os

import numpy as np
import pytest

from keras_genai.export import (
    check_greedy_generation,
    export_litert,
    export_saved_model,
    litert_step,
    saved_model_step,
)
from keras_genai.models.sequence import GPT, RNNLanguageModel


@pytest.mark.parametrize(
    "model_class, kwargs, max_new_tokens",
    [
        # Past the 8-token context: both sides slide the window.
        (GPT, dict(num_layers=2, num_heads=2, hidden_dim=16), 14),
        (RNNLanguageModel, dict(cell="lstm", units=16), None),
    ],
)
def test_greedy_generation_over_exports_equals_keras(model_class, kwargs, max_new_tokens, tmp_path):
    model = model_class(vocabulary_size=11, sequence_length=8, seed=0, **kwargs)
    saved_model = export_saved_model(model, os.path.join(str(tmp_path), "saved_model"))
    paths = export_litert(model, os.path.join(str(tmp_path), "litert"))
    steps = {"saved_model": saved_model_step(saved_model),
             "litert": litert_step(paths[("next_token", "float32")])}
    report = check_greedy_generation(model, steps, prompt_ids=[1, 2, 3], max_new_tokens=max_new_tokens)
    for name, row in report.items():
        assert row["equal"], (name, row)
        assert row["new_tokens"] == (max_new_tokens or 5)


def test_greedy_report_counts_the_first_mismatch():
    model = GPT(vocabulary_size=11, sequence_length=8, num_layers=1, num_heads=1, hidden_dim=8, seed=0)
    always_zero = lambda window: np.eye(11)[np.zeros(window.shape, int)][None][0]  # noqa: E731
    expected = model.generate(np.array([1, 2, 3]), 5)[0, 3:]
    row = check_greedy_generation(model, {"zeros": always_zero}, prompt_ids=[1, 2, 3])["zeros"]
    first_nonzero = int(np.flatnonzero(expected != 0)[0]) if np.any(expected != 0) else 5
    assert row == {"equal": first_nonzero == 5, "matching_tokens": first_nonzero, "new_tokens": 5}
