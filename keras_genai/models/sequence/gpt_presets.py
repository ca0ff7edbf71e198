"""`GPT` presets (constructor kwargs) and its training budget."""

model_presets = {
    "gpt": {
        "presets": {
            # nanoGPT's baby GPT (tools/bench/bench_baby_gpt.py); no biases, as nanoGPT's bias=False.
            "cpu": {"sequence_length": 64, "num_layers": 4, "num_heads": 4, "hidden_dim": 128,
                    "dropout": 0.0, "use_bias": False},
            # nanoGPT's config/train_shakespeare_char.py.
            "paper": {"sequence_length": 256, "num_layers": 6, "num_heads": 6, "hidden_dim": 384,
                      "dropout": 0.2, "use_bias": False},
            "tiny": {"sequence_length": 16, "num_layers": 1, "num_heads": 2, "hidden_dim": 16},
        },
        # "embedded": the stdlib corpus, which needs no download.
        # nanoGPT's schedule (the benchmark's): 100 warm-up steps, cosine to lr / 10 at the run's
        # last step; at a constant 1e-3 the CLI ended worse than the benchmark at the same budget
        # (tools/results/text_cli_vs_bench.json).
        # min_steps: a short text's epochs pass over it several times, to 2,000 steps in all (nanoGPT's
        # CPU recipe, max_iters 2000): 5 single passes over a 31,600-character file were 205 steps, val
        # loss 2.67 and garbled samples; the val loss still fell at 900 steps (2.07,
        # tools/results/own_data.json has the run at this default).
        "fit": {"epochs": 5, "batch_size": 12, "learning_rate": 1e-3, "dataset": "embedded", "min_steps": 2000,
                "learning_rate_schedule": {"warmup_steps": 100, "min_ratio": 0.1}},
        # The text sets it; 65 is tiny Shakespeare's characters, to build without data.
        "data_args": {"vocabulary_size": 65},
    },
}
