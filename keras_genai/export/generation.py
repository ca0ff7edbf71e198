"""Greedy generation over an exported `next_token` step, checked against Keras.

The exported step maps a fixed window of token ids `(1, sequence_length)`
to logits `(1, sequence_length, vocabulary_size)`. A shorter context is
right-padded (causality keeps the padding from reaching earlier positions)
and read at its last position; a longer one keeps its last
`sequence_length` tokens, as `GPT.generate` does past its context.
"""

import numpy as np
import tensorflow as tf


def greedy_generate(step, prompt_ids, max_new_tokens, sequence_length):
    """Greedy decoding with `step(window (1, T) int32) -> logits (1, T, V)`.

    Returns:
        int32 ids `(length + max_new_tokens,)`.
    """
    tokens = [int(t) for t in np.asarray(prompt_ids).reshape(-1)]
    for _ in range(max_new_tokens):
        context = tokens[-sequence_length:]
        window = np.zeros((1, sequence_length), np.int32)
        window[0, : len(context)] = context
        logits = np.asarray(step(window))
        tokens.append(int(np.argmax(logits[0, len(context) - 1])))
    return np.asarray(tokens, np.int32)


def litert_step(path):
    """The `next_token` step of a `.tflite` file, run by the LiteRT interpreter."""
    from ai_edge_litert.interpreter import Interpreter

    runner = Interpreter(model_path=path).get_signature_runner()
    return lambda window: next(iter(runner(tokens=window).values()))


def saved_model_step(path):
    """The `next_token` signature of a SavedModel."""
    signature = tf.saved_model.load(path).signatures["next_token"]
    return lambda window: next(iter(signature(tokens=tf.constant(window)).values())).numpy()


def check_greedy_generation(model, steps, prompt_ids=None, max_new_tokens=None):
    """Greedy text from each exported step vs `model.generate` (KV cache / states).

    Args:
        model: a `LanguageModel`.
        steps: dict name -> step function (`litert_step(path)`, ...).
        prompt_ids: int ids; defaults to 4 ids of a fixed random draw.
        max_new_tokens: defaults to filling the model's window, where
            recurrent models and their fixed-window export agree.

    Returns:
        dict name -> `{"equal": bool, "matching_tokens": int, "new_tokens": int}`.
    """
    if prompt_ids is None:
        prompt_ids = np.random.default_rng(0).integers(0, model.vocabulary_size, size=4)
    prompt_ids = np.asarray(prompt_ids, np.int32).reshape(-1)
    if max_new_tokens is None:
        max_new_tokens = model.sequence_length - len(prompt_ids)
    expected = np.asarray(model.generate(prompt_ids, max_new_tokens, sampler="greedy"))[0]
    report = {}
    for name, step in steps.items():
        got = greedy_generate(step, prompt_ids, max_new_tokens, model.sequence_length)
        new_expected, new_got = expected[len(prompt_ids) :], got[len(prompt_ids) :]
        mismatch = np.flatnonzero(new_expected != new_got)
        report[name] = {
            "equal": bool(mismatch.size == 0),
            "matching_tokens": int(mismatch[0] if mismatch.size else max_new_tokens),
            "new_tokens": int(max_new_tokens),
        }
    return report
