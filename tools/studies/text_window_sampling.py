"""Per-epoch random offset vs a random offset for every window, on a small text.

    nice -n 15 python -m tools.studies.text_window_sampling --steps 1000 --seeds 0 1 \
        --out tools/results/text_window_sampling.json

Supports the README's "Your own text" paragraph and `keras_genai.data.text_dataset`'s choice.

The same GPT (`cpu` preset: 4 layers, 4 heads, 128 wide, context 64), batch 12,
AdamW at a constant 1e-3 (the CLI's defaults), the same number of steps, trained
on the first `--characters` characters of tiny Shakespeare's tfds `train` split
(a user-sized text file) with two ways of cutting windows:

- `epoch_offset`: each epoch cuts the text at stride 64 from one random
  offset and shuffles those windows (every token once per epoch);
- `random`: every window starts at its own uniformly random offset
  (nanoGPT's `get_batch`, our benchmark's `random_windows`; with replacement).

Validation: tfds `validation+test` (111,540 characters never trained on),
consecutive windows, every character after the first predicted once, every
`--eval-every` steps. Reports the final and best validation loss per seed.
"""

import argparse
import json
import time

from tools.record import command, write_json


def random_offset_dataset(ids, sequence_length, batch_size, seed):
    import numpy as np
    import tensorflow as tf

    ids = tf.constant(np.asarray(ids, np.int32))
    last_start = int(ids.shape[0]) - (sequence_length + 1)
    starts = tf.data.Dataset.random(seed=seed)
    windows = starts.map(lambda r: tf.gather(
        ids, tf.cast(r % (last_start + 1), tf.int32) + tf.range(sequence_length + 1)))
    return windows.batch(batch_size)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--characters", type=int, default=35000)
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--eval-every", type=int, default=100)
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    p.add_argument("--data-dir", default="/work/shared/data/tinyshakespeare")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    import keras

    from keras_genai.data import CharacterVocabulary, load_text, text_dataset
    from keras_genai.models.registry import get_preset
    from keras_genai.models.sequence import GPT

    train_text = load_text("tiny_shakespeare", "train", args.data_dir)[: args.characters]
    val_text = load_text("tiny_shakespeare", "validation+test", args.data_dir)
    vocabulary = CharacterVocabulary.from_text(train_text + val_text)
    train_ids, val_ids = vocabulary.encode(train_text), vocabulary.encode(val_text)
    config = get_preset("gpt", "cpu")
    context, batch = config["sequence_length"], 12
    validation = text_dataset(val_ids, context, 256, shuffle=False)
    rows = []
    for seed in args.seeds:
        for sampling in ("epoch_offset", "random"):
            keras.utils.set_random_seed(seed)
            model = GPT(vocabulary.size, vocabulary=vocabulary, seed=seed, **config)
            model.compile(**model.default_optimizers(1e-3))
            if sampling == "epoch_offset":
                train = text_dataset(train_ids, context, batch, shuffle=True, seed=seed).repeat()
            else:
                train = random_offset_dataset(train_ids, context, batch, seed)
            started = time.perf_counter()
            history = model.fit(train, steps_per_epoch=args.eval_every, epochs=args.steps // args.eval_every,
                                validation_data=validation, verbose=0)
            curve = [{"step": (i + 1) * args.eval_every, "val_loss": round(v, 4)}
                     for i, v in enumerate(history.history["val_loss"])]
            row = {"seed": seed, "sampling": sampling, "final_val_loss": curve[-1]["val_loss"],
                   "best_val_loss": min(c["val_loss"] for c in curve), "curve": curve,
                   "seconds": round(time.perf_counter() - started, 1)}
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "curve"}), flush=True)
    write_json(args.out, {
        "command": command(__spec__, argv),
        "data": f"first {args.characters} characters of tfds tiny_shakespeare train; "
                "validation: tfds validation+test (111,540 characters)",
        "model": "GPT cpu preset", "batch_size": batch, "learning_rate": 1e-3, "steps": args.steps,
        "epochs_of_text": round(args.steps * batch * context / len(train_ids), 1),
        "rows": rows,
    })


if __name__ == "__main__":
    main()
