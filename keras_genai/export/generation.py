"""Greedy generation over an exported next-token step, checked against Keras.

Two kinds of step:

- `next_token` (every language model) maps a fixed window of token ids
  `(1, sequence_length)` to logits `(1, sequence_length, vocabulary_size)`.
  A shorter context is right-padded (causality keeps the padding from
  reaching earlier positions) and read at its last position; a longer one
  keeps its last `sequence_length` tokens, as `GPT.generate` does past its
  context. Recurrent models forget what slides out of the window, so
  there the loop equals `generate` only within the window.
- `next_token_state` (recurrent models) maps one token id and the
  recurrent states to logits and the new states (`StateStep`). The loop
  feeds the prompt token by token from zero states and carries the states
  as `generate` does, so the text is the same past the window too.
"""

import numpy as np
import tensorflow as tf


class StateStep:
    """An exported `next_token_state` step with its input checks.

    `step(token_id, states) -> (logits, new_states)`: `token_id` int
    `(batch, 1)`, `states` a dict name -> float32 `(batch, units)` (start
    from `zero_states(batch)`, then pass back what the step returns),
    `logits` `(batch, vocabulary_size)`.

    Args:
        run: callable `(token_id, states) -> dict of outputs by name`.
        state_shapes: dict name -> shape without the batch axis.
        source: str naming the export, for error messages.
    """

    def __init__(self, run, state_shapes, source):
        self._run = run
        self.state_shapes = {name: tuple(int(d) for d in shape) for name, shape in state_shapes.items()}
        self.source = source

    def zero_states(self, batch_size=1):
        return {name: np.zeros((batch_size,) + shape, np.float32)
                for name, shape in self.state_shapes.items()}

    def __call__(self, token_id, states):
        token_id = np.asarray(token_id)
        if token_id.ndim != 2 or token_id.shape[1] != 1 or not np.issubdtype(token_id.dtype, np.integer):
            raise ValueError(
                f"The next_token_state step of {self.source} takes token_id as int ids of shape "
                f"(batch, 1). Received: token_id with shape={token_id.shape}, dtype={token_id.dtype}"
            )
        expected = sorted(self.state_shapes)
        received = sorted(states) if isinstance(states, dict) else None
        if received != expected:
            raise ValueError(
                f"The next_token_state step of {self.source} takes the states {expected} as a dict "
                "(start from `step.zero_states(batch_size)`, then pass back the states it returns). "
                f"Received: states={received if received is not None else type(states).__name__}"
            )
        batch = token_id.shape[0]
        arrays = {}
        for name, shape in self.state_shapes.items():
            arrays[name] = np.asarray(states[name], np.float32)
            if arrays[name].shape != (batch,) + shape:
                raise ValueError(
                    f"The next_token_state step of {self.source} takes {name} of shape "
                    f"{(batch,) + shape} (token_id's batch of {batch}, then the state size). "
                    f"Received: {name} with shape={arrays[name].shape}"
                )
        outputs = self._run(token_id.astype(np.int32), arrays)
        return (np.array(outputs["logits"]),
                {name: np.array(outputs[name]) for name in self.state_shapes})


def greedy_generate(step, prompt_ids, max_new_tokens, sequence_length=None):
    """Greedy decoding over an exported step.

    Args:
        step: a `StateStep`, or a window step
            `step(window (1, T) int32) -> logits (1, T, V)`.
        prompt_ids: int ids.
        max_new_tokens: int.
        sequence_length: int. The window `T` of a window step.

    Returns:
        int32 ids `(length + max_new_tokens,)`.
    """
    tokens = [int(t) for t in np.asarray(prompt_ids).reshape(-1)]
    if isinstance(step, StateStep):
        states = step.zero_states()
        for token in tokens:
            logits, states = step(np.array([[token]], np.int32), states)
        for i in range(max_new_tokens):
            tokens.append(int(np.argmax(logits[0])))
            if i + 1 < max_new_tokens:
                logits, states = step(np.array([[tokens[-1]]], np.int32), states)
        return np.asarray(tokens, np.int32)
    if sequence_length is None:
        raise ValueError("A window step needs the window length. Received: sequence_length=None")
    for _ in range(max_new_tokens):
        context = tokens[-sequence_length:]
        window = np.zeros((1, sequence_length), np.int32)
        window[0, : len(context)] = context
        logits = np.asarray(step(window))
        tokens.append(int(np.argmax(logits[0, len(context) - 1])))
    return np.asarray(tokens, np.int32)


def litert_step(path):
    """The step of a `.tflite` file (`next_token` or `next_token_state`), run
    by the LiteRT interpreter: a `StateStep` if it takes `token_id`."""
    from ai_edge_litert.interpreter import Interpreter

    runner = Interpreter(model_path=path).get_signature_runner()
    details = runner.get_input_details()
    if "token_id" in details:
        shapes = {name: d["shape_signature"][1:] for name, d in details.items() if name != "token_id"}
        return StateStep(lambda token_id, states: runner(token_id=token_id, **states), shapes,
                         f"LiteRT {path!r}")
    return lambda window: next(iter(runner(tokens=window).values()))


def saved_model_step(path, endpoint="next_token"):
    """The `endpoint` signature of a SavedModel as a step: a window step for
    `next_token`, a `StateStep` for `next_token_state`."""
    loaded = tf.saved_model.load(path)
    if endpoint not in loaded.signatures:
        raise ValueError(
            f"The SavedModel {path!r} has the signatures {sorted(loaded.signatures)}. "
            f"Received: endpoint={endpoint!r}"
        )
    signature = loaded.signatures[endpoint]
    specs = signature.structured_input_signature[1]
    if "token_id" not in specs:
        return lambda window: next(iter(signature(tokens=tf.constant(window)).values())).numpy()

    def run(token_id, states):
        outputs = signature(token_id=tf.constant(token_id),
                            **{name: tf.constant(value) for name, value in states.items()})
        return {name: value.numpy() for name, value in outputs.items()}

    run.loaded = loaded  # keeps the variables alive with the step
    shapes = {name: spec.shape[1:] for name, spec in specs.items() if name != "token_id"}
    return StateStep(run, shapes, f"SavedModel {path!r}")


def check_greedy_generation(model, steps, prompt_ids=None, max_new_tokens=None):
    """Greedy text from each exported step vs `model.generate` (KV cache / states).

    Args:
        model: a `LanguageModel`.
        steps: dict name -> step (`litert_step(path)`, `saved_model_step(path)`, ...).
        prompt_ids: int ids; defaults to 4 ids of a fixed random draw.
        max_new_tokens: defaults, per step, to `2 * sequence_length` for a
            `StateStep` (well past the window) and to filling the window for
            a window step (where recurrent models and their fixed-window
            export agree).

    Returns:
        dict name -> `{"loop": "state" | "window", "equal": bool,
        "matching_tokens": int, "new_tokens": int}`; state loops also give
        `max_abs_logit_diff`, the largest logit difference from Keras along
        the Keras text (the step fed Keras' tokens, so the states carry the
        whole generation).
    """
    if prompt_ids is None:
        prompt_ids = np.random.default_rng(0).integers(0, model.vocabulary_size, size=4)
    prompt_ids = np.asarray(prompt_ids, np.int32).reshape(-1)
    lengths = {}
    for name, step in steps.items():
        if max_new_tokens is not None:
            lengths[name] = max_new_tokens
        elif isinstance(step, StateStep):
            lengths[name] = 2 * model.sequence_length
        else:
            lengths[name] = max(1, model.sequence_length - len(prompt_ids))
    # Greedy decoding is deterministic, so shorter runs are prefixes of the longest.
    expected = np.asarray(model.generate(prompt_ids, max(lengths.values()), sampler="greedy"))[0]
    report = {}
    for name, step in steps.items():
        new_tokens = lengths[name]
        got = greedy_generate(step, prompt_ids, new_tokens, model.sequence_length)
        new_expected = expected[len(prompt_ids) : len(prompt_ids) + new_tokens]
        mismatch = np.flatnonzero(new_expected != got[len(prompt_ids) :])
        report[name] = {
            "loop": "state" if isinstance(step, StateStep) else "window",
            "equal": bool(mismatch.size == 0),
            "matching_tokens": int(mismatch[0] if mismatch.size else new_tokens),
            "new_tokens": int(new_tokens),
        }
        if isinstance(step, StateStep):
            text = expected[: len(prompt_ids) + new_tokens]
            report[name]["max_abs_logit_diff"] = _state_logit_diff(model, step, text)
    return report


def _state_logit_diff(model, step, tokens):
    """Max |logits| difference of `step` fed `tokens[:-1]` one by one vs the
    model's forward pass over them (equal to its stepwise states)."""
    expected = np.asarray(model(tokens[None, :-1], training=False), np.float32)[0]
    states = step.zero_states()
    largest = 0.0
    for position, token in enumerate(tokens[:-1]):
        logits, states = step(np.array([[token]], np.int32), states)
        largest = max(largest, float(np.max(np.abs(logits[0] - expected[position]))))
    return largest
