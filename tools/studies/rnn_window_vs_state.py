"""Where the fixed-window loop of a recurrent model leaves Keras' text, and the state loop does not.

    nice -n 15 python -m tools.studies.rnn_window_vs_state --out tools/results/rnn_window_vs_state.json

Supports docs/text_models.md ("Recurrent models: state export").

Untrained tiny char models (vocabulary 11, window 8, 16 units, global Keras
seeds 0 and 1; no data): greedy text of `--new-tokens` tokens after the prompt [1, 2, 3]
from the LiteRT `next_token` (window) and `next_token_state` (state) loops
vs `model.generate`. Untrained weights make long-range effects visible
quickly; trained models' greedy text often settles into a cycle shorter
than the window, where both loops agree (see rnn_state_export.json).
Nothing here is timed.
"""

import argparse
import json
import os
import tempfile

from tools.record import command, write_json


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--new-tokens", type=int, default=40)
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    import keras

    from keras_genai.export import check_greedy_generation, export_litert, litert_step
    from keras_genai.models.sequence import RNNLanguageModel

    rows = []
    with tempfile.TemporaryDirectory() as directory:
        for cell in ("lstm", "gru", "rnn"):
            for seed in (0, 1):
                # The weights' initialisers draw from Keras' global seed, not the model's.
                keras.utils.set_random_seed(seed)
                model = RNNLanguageModel(vocabulary_size=11, sequence_length=8, cell=cell, units=16, seed=seed)
                paths = export_litert(model, os.path.join(directory, f"{cell}_{seed}"))
                steps = {"window": litert_step(paths[("next_token", "float32")]),
                         "state": litert_step(paths[("next_token_state", "float32")])}
                report = check_greedy_generation(model, steps, prompt_ids=[1, 2, 3],
                                                 max_new_tokens=args.new_tokens)
                rows.append({"cell": cell, "seed": seed, **report})
                print(json.dumps(rows[-1]), flush=True)
    result = {
        "command": command(__spec__, argv),
        "models": "untrained RNNLanguageModel(vocabulary_size=11, sequence_length=8, units=16), 1 layer",
        "prompt_ids": [1, 2, 3],
        "new_tokens": args.new_tokens,
        "rows": rows,
        "untimed": True,
    }
    write_json(args.out, result)


if __name__ == "__main__":
    main()
