"""Exported greedy generation of char LSTM / GRU / RNN vs Keras, far past the window.

    nice -n 15 python -m tools.reference.rnn_state_export --out tools/results/rnn_state_export.json

For each cell: train a small char model on tfds tiny_shakespeare `train`
(random windows, fixed budget: `--iters` steps of batch `--batch-size`,
Adam lr 2e-3), report its validation+test loss, then export it with
`keras_genai.training.train.export_run` (SavedModel + float32 LiteRT, the
parity report the CLI writes) and generate `--new-tokens` greedy tokens
after `--prompt` with four loops: SavedModel and LiteRT over the
fixed-window `next_token` step and over the `next_token_state` step.
Records for each loop whether the text equals `model.generate`, where it
first differs, and for the state loops the max abs logit difference along
the Keras text; the ops of each `.tflite` file and whether any is a Flex
(TensorFlow) op. Nothing here is timed.
"""

import argparse
import json
import os
import time

from tools.record import command, write_json


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cells", default="lstm,gru,rnn")
    p.add_argument("--units", type=int, default=128)
    p.add_argument("--sequence-length", type=int, default=64)
    p.add_argument("--iters", type=int, default=300)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--new-tokens", type=int, default=512)
    p.add_argument("--prompt", default="ROMEO:")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data-dir", default=None, help="tfds data_dir or the folder of input.txt")
    p.add_argument("--work-dir", default="/tmp/rnn_state_export")
    p.add_argument("--out", required=True)
    return p.parse_args(argv)


def litert_ops(path):
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=path)
    # Loading and allocating with the plain interpreter fails if Flex ops are needed.
    interpreter.allocate_tensors()
    return sorted({op["op_name"] for op in interpreter._get_ops_details()})


def main(argv=None):
    args = parse_args(argv)
    started = time.time()
    import keras

    from keras_genai.data import CharacterVocabulary, load_text, random_windows, token_windows
    from keras_genai.export import check_greedy_generation, litert_step, saved_model_step
    from keras_genai.models.sequence import RNNLanguageModel
    from keras_genai.training.train import export_run

    train_text = load_text("tiny_shakespeare", "train", args.data_dir)
    val_text = load_text("tiny_shakespeare", "validation+test", args.data_dir)
    vocabulary = CharacterVocabulary.from_text(train_text)
    train_ids, val_ids = vocabulary.encode(train_text), vocabulary.encode(val_text)
    prompt = vocabulary.encode(args.prompt)

    results = []
    for cell in args.cells.split(","):
        keras.utils.set_random_seed(args.seed)
        model = RNNLanguageModel(vocabulary.size, args.sequence_length, cell=cell, units=args.units,
                                 vocabulary=vocabulary, seed=args.seed)
        model.compile(**model.default_optimizers(2e-3))
        windows = random_windows(train_ids, args.sequence_length + 1, args.iters * args.batch_size,
                                 seed=args.seed)
        history = model.fit(windows, batch_size=args.batch_size, epochs=1, shuffle=False, verbose=0)
        val_loss = model.evaluate(token_windows(val_ids, args.sequence_length + 1), batch_size=256,
                                  verbose=0, return_dict=True)["loss"]

        directory = os.path.join(args.work_dir, cell)
        report = export_run(model, directory, None, ("float32",))
        paths = {row["endpoint"]: row["path"] for row in report["litert"]}
        saved_model = report["saved_model"]["path"]
        steps = {
            "saved_model_next_token": saved_model_step(saved_model, "next_token"),
            "litert_next_token": litert_step(paths["next_token"]),
            "saved_model_next_token_state": saved_model_step(saved_model, "next_token_state"),
            "litert_next_token_state": litert_step(paths["next_token_state"]),
        }
        long_run = check_greedy_generation(model, steps, prompt, args.new_tokens)
        keras_text = model.generate(args.prompt, args.new_tokens, sampler="greedy")
        ops = {endpoint: litert_ops(path) for endpoint, path in paths.items()}
        results.append({
            "cell": cell,
            "parameters": int(model.count_params()),
            "state_names": model.state_names(),
            "train_loss_last_batch": float(history.history["loss"][-1]),
            "val_loss": float(val_loss),
            "export_report_greedy_generation": report["greedy_generation"],
            "export_parity_max_abs_diff": {
                "saved_model": report["saved_model"]["max_abs_diff"],
                "litert_float32": {row["endpoint"]: row["max_abs_diff"] for row in report["litert"]},
            },
            "greedy_generation": long_run,
            "litert_ops": ops,
            "flex_ops": sorted({op for names in ops.values() for op in names if "Flex" in op}),
            "litert_size_bytes": {row["endpoint"]: row["size_bytes"] for row in report["litert"]},
            "keras_greedy_text": keras_text,
        })
        print(cell, json.dumps({k: results[-1][k] for k in ("val_loss", "greedy_generation", "flex_ops")}),
              flush=True)

    result = {
        "command": command(__spec__, argv),
        "data": "tfds tiny_shakespeare: train 1,003,854 chars (random windows); val loss over "
                "validation+test 111,540 chars in consecutive windows",
        "budget": {"iters": args.iters, "batch_size": args.batch_size,
                   "sequence_length": args.sequence_length, "units": args.units, "optimizer":
                   "LanguageModel.default_optimizers(2e-3): AdamW, weight decay 0.1, clip 1"},
        "prompt": args.prompt,
        "new_tokens": args.new_tokens,
        "results": results,
        "untimed": True,
        "process_seconds": round(time.time() - started, 1),
    }
    write_json(args.out, result)
    return result


if __name__ == "__main__":
    main()
