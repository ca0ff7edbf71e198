import os

import numpy as np
import pytest

from keras_genai.export import (
    StateStep,
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
        # Past the 8-token context: both sides slide the window. (The
        # recurrent models' window step is checked with their state step below.)
        (GPT, dict(num_layers=2, num_heads=2, hidden_dim=16), 14),
    ],
)
@pytest.mark.slow
def test_greedy_generation_over_exports_equals_keras(model_class, kwargs, max_new_tokens, tmp_path):
    model = model_class(vocabulary_size=11, sequence_length=8, seed=0, **kwargs)
    saved_model = export_saved_model(model, os.path.join(str(tmp_path), "saved_model"))
    paths = export_litert(model, os.path.join(str(tmp_path), "litert"))
    steps = {"saved_model": saved_model_step(saved_model),
             "litert": litert_step(paths[("next_token", "float32")])}
    report = check_greedy_generation(model, steps, prompt_ids=[1, 2, 3], max_new_tokens=max_new_tokens)
    for name, row in report.items():
        assert row["equal"], (name, row)
        assert row["loop"] == "window"
        assert row["new_tokens"] == (max_new_tokens or 5)


@pytest.mark.slow
@pytest.mark.parametrize("cell, num_layers, prompt_length", [("lstm", 2, 3), ("gru", 1, 3), ("rnn", 1, 10)])
def test_state_step_generation_equals_keras_past_the_window(cell, num_layers, prompt_length, tmp_path):
    model = RNNLanguageModel(vocabulary_size=11, sequence_length=8, cell=cell, units=16,
                             num_layers=num_layers, seed=0)
    saved_model = export_saved_model(model, os.path.join(str(tmp_path), "saved_model"))
    # The window step is checked for one cell only, to keep the test short.
    endpoints = ["next_token_state", "next_token"] if cell == "lstm" else ["next_token_state"]
    paths = export_litert(model, os.path.join(str(tmp_path), "litert"), endpoints=endpoints)
    steps = {"saved_model": saved_model_step(saved_model, "next_token_state"),
             "litert": litert_step(paths[("next_token_state", "float32")])}
    assert all(isinstance(step, StateStep) for step in steps.values())
    assert set(steps["litert"].state_shapes) == set(model.state_names())
    # 2 * sequence_length new tokens by default: the text runs two windows past the
    # prompt; the 10-token prompt is itself longer than the window.
    prompt = np.arange(1, prompt_length + 1) % 11
    report = check_greedy_generation(model, steps, prompt_ids=prompt)
    for name, row in report.items():
        assert row["loop"] == "state" and row["equal"], (name, row)
        assert row["new_tokens"] == 16
        assert row["max_abs_logit_diff"] < 1e-4, (name, row)
    # The window step forgets what left the window, so its text is only checked within it.
    if cell == "lstm":
        windows = {"saved_model": saved_model_step(saved_model),
                   "litert": litert_step(paths[("next_token", "float32")])}
        for name, row in check_greedy_generation(model, windows, prompt_ids=[1, 2, 3]).items():
            assert row["loop"] == "window" and row["equal"] and row["new_tokens"] == 5, (name, row)
    # Bad calls name what the step takes.
    step = steps["litert"]
    states = step.zero_states(2)
    with pytest.raises(ValueError, match=r"token_id as int ids of shape \(batch, 1\). Received: token_id with shape=\(2,\)"):
        step(np.array([1, 2]), states)
    with pytest.raises(ValueError, match=r"takes state_0_[hc] of shape \(1, 16\).*Received: state_0_[hc] with shape=\(2, 16\)"):
        step(np.array([[1]]), states)
    with pytest.raises(ValueError, match="Received: states=list"):
        step(np.array([[1], [2]]), list(states.values()))
    with pytest.raises(ValueError, match="has the signatures"):
        saved_model_step(saved_model, "next_token_cache")
    with pytest.raises(ValueError, match=r"Received: endpoints=\['next_token_cache'\]"):
        export_litert(model, str(tmp_path), endpoints=["next_token_cache"])


def test_greedy_report_counts_the_first_mismatch():
    model = GPT(vocabulary_size=11, sequence_length=8, num_layers=1, num_heads=1, hidden_dim=8, seed=0)
    always_zero = lambda window: np.eye(11)[np.zeros(window.shape, int)][None][0]  # noqa: E731
    expected = model.generate(np.array([1, 2, 3]), 5)[0, 3:]
    row = check_greedy_generation(model, {"zeros": always_zero}, prompt_ids=[1, 2, 3])["zeros"]
    first_nonzero = int(np.flatnonzero(expected != 0)[0]) if np.any(expected != 0) else 5
    assert row == {"loop": "window", "equal": first_nonzero == 5, "matching_tokens": first_nonzero,
                   "new_tokens": 5}
