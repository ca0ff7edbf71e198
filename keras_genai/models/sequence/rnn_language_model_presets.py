"""`RNNLanguageModel` presets (constructor kwargs) and its training budget.

One CLI name per recurrent cell; the presets differ only in `cell`.
"""

model_presets = {
    cell: {
        "presets": {
            "cpu": {"cell": cell, "sequence_length": 64, "units": 512},
            # char-rnn's tinyshakespeare setting: 3 layers of 512, dropout 0.5.
            "paper": {"cell": cell, "sequence_length": 100, "units": 512, "num_layers": 3, "dropout": 0.5},
            "tiny": {"cell": cell, "sequence_length": 16, "units": 16},
        },
        # char-rnn's learning rate 2e-3; "embedded": the stdlib corpus, no download. min_steps: a
        # short text's epochs pass over it several times, to 1,000 steps in all (5 single passes over a
        # 31,600-character file were 80 steps and val loss 2.48).
        "fit": {"epochs": 5, "batch_size": 32, "learning_rate": 2e-3, "dataset": "embedded", "min_steps": 1000},
        # The text sets it; 65 is tiny Shakespeare's characters, to build without data.
        "data_args": {"vocabulary_size": 65},
    }
    for cell in ("lstm", "gru", "rnn")
}
