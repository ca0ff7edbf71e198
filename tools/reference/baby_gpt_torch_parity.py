"""Training parity: our GPT + AdamW vs the PyTorch nanoGPT recipe, same start, same batches.

    python -m tools.reference.baby_gpt_torch_parity --iters 400 \
        --torch-python /work/venv-torch/bin/python --out tools/results/baby_gpt_torch_parity.json

The torch side (tools/reference/bench_nanogpt_torch.py's model, optimizer and
schedule; run in an interpreter with torch) initialises the baby GPT, trains
it for `--iters` steps on batches of 12 random windows of the first 90% of
tiny Shakespeare drawn here with numpy, and saves its initial weights,
per-step losses and final validation loss. The Keras side loads those
initial weights into `GPT(use_bias=False)` (q/k/v and output kernels
reshaped), trains with `default_optimizers` and nanoGPT's schedule on the
same batches, and compares: per-step training loss, final weights, and
`val_loss` over all predictions of the last 10% (consecutive windows of 64).
The schedule always ends at step 2000 (nanoGPT's lr_decay_iters), so a
shorter run is a prefix of the full one.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

from tools.record import ROOT, command, write_json

TORCH_SIDE = r"""
import sys, numpy as np, torch
from tools.reference import bench_nanogpt_torch as ref
data = np.load(sys.argv[1])
windows, val = data["windows"], torch.tensor(data["val"], dtype=torch.long)
torch.manual_seed(int(sys.argv[3]))
model = ref.BabyGPT(int(data["vocabulary_size"]))
init = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
params = list(model.parameters())
optimizer = torch.optim.AdamW([{"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.1},
                               {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}],
                              lr=1e-3, betas=(0.9, 0.99), eps=1e-8)
losses = []
for it, batch in enumerate(windows):
    for group in optimizer.param_groups:
        group["lr"] = ref.get_lr(it)
    batch = torch.tensor(batch, dtype=torch.long)
    loss = model(batch[:, :-1], batch[:, 1:])
    losses.append(loss.item())
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
model.eval()
with torch.no_grad():
    starts = torch.arange(0, len(val) - 64, 64)
    val_windows = torch.stack([val[s : s + 65] for s in starts])
    val_loss = sum(model(w[:, :-1], w[:, 1:]).item() * len(w) for w in val_windows.split(256)) / len(val_windows)
final = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
np.savez(sys.argv[2], losses=np.array(losses), val_loss=val_loss,
         **{"init/" + k: v for k, v in init.items()}, **{"final/" + k: v for k, v in final.items()})
"""


def keras_weights(torch_weights, prefix, num_layers=4, dim=128, heads=4):
    """Our variable paths -> values, from nanoGPT-style torch state dict entries."""
    head_dim = dim // heads
    weights = {
        "gpt/token_embedding/embeddings": torch_weights[prefix + "wte.weight"],
        "gpt/position_embedding/embeddings": torch_weights[prefix + "wpe.weight"],
        "gpt/final_norm/gamma": torch_weights[prefix + "ln_f.weight"],
    }
    for i in range(num_layers):
        block, ours = f"{prefix}blocks.{i}.", f"gpt/block_{i}/"
        qkv = torch_weights[block + "qkv.weight"]
        for j, name in enumerate(("query", "key", "value")):
            weights[ours + f"attention/{name}/kernel"] = qkv[j * dim : (j + 1) * dim].T.reshape(dim, heads, head_dim)
        weights[ours + "attention/attention_output/kernel"] = (
            torch_weights[block + "attn_proj.weight"].T.reshape(heads, head_dim, dim))
        weights[ours + "attention_norm/gamma"] = torch_weights[block + "ln_1.weight"]
        weights[ours + "mlp_norm/gamma"] = torch_weights[block + "ln_2.weight"]
        weights[ours + "mlp_in/kernel"] = torch_weights[block + "fc.weight"].T
        weights[ours + "mlp_out/kernel"] = torch_weights[block + "mlp_proj.weight"].T
    return weights


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iters", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--torch-python", default=os.environ.get("KERAS_GENAI_TORCH_PYTHON", sys.executable))
    parser.add_argument("--input", default=os.path.join(ROOT, "..", "shared", "data", "tinyshakespeare", "input.txt"))
    parser.add_argument("--out", default="tools/results/baby_gpt_torch_parity.json")
    args = parser.parse_args()
    import keras

    from keras_genai.data import token_windows
    from keras_genai.models.sequence import GPT

    with open(args.input, encoding="utf-8") as f:
        text = f.read()
    chars = sorted(set(text))
    ids = np.searchsorted(np.array(chars), np.array(list(text))).astype("int32")
    split = int(len(ids) * 0.9)
    train, val = ids[:split], ids[split:]
    starts = np.random.default_rng(args.seed).integers(0, len(train) - 64, size=(args.iters, 12))
    windows = train[starts[..., None] + np.arange(65)]

    with tempfile.TemporaryDirectory() as tmp:
        batches, result = os.path.join(tmp, "batches.npz"), os.path.join(tmp, "torch.npz")
        np.savez(batches, windows=windows, val=val, vocabulary_size=len(chars))
        # From the repository root, so that `-c` imports `tools.reference` from this checkout.
        subprocess.run([args.torch_python, "-c", TORCH_SIDE, batches, result, str(args.seed)], check=True, cwd=ROOT)
        torch_side = dict(np.load(result))

    keras.utils.set_random_seed(args.seed)
    model = GPT(len(chars), 64, num_layers=4, num_heads=4, hidden_dim=128, use_bias=False, seed=args.seed)
    start = keras_weights(torch_side, "init/")
    for variable in model.trainable_variables:
        variable.assign(start[variable.path])
    schedule = keras.optimizers.schedules.CosineDecay(1e-3 / 101, decay_steps=1900, alpha=0.1,
                                                      warmup_target=1e-3, warmup_steps=100)
    model.compile(**model.default_optimizers(schedule))
    running = []

    class StepLosses(keras.callbacks.Callback):
        # `logs["loss"]` is the running mean over the epoch so far.
        def on_train_batch_end(self, step, logs=None):
            running.append(float(logs["loss"]))

    model.fit(windows.reshape(-1, 65), batch_size=12, epochs=1, shuffle=False, verbose=0, callbacks=[StepLosses()])
    count = np.arange(1, args.iters + 1)
    means = np.array(running)
    ours = means * count - np.concatenate([[0.0], means[:-1] * count[:-1]])
    theirs = torch_side["losses"]
    val_loss = model.evaluate(token_windows(val, 65), batch_size=256, verbose=0, return_dict=True)["loss"]
    end = keras_weights(torch_side, "final/")
    weight_diffs = {v.path: float(np.abs(np.asarray(v) - end[v.path]).max() / np.abs(end[v.path]).max())
                    for v in model.trainable_variables}
    worst = max(weight_diffs, key=weight_diffs.get)
    result = {
        "what": "same initial weights and batches: our GPT + AdamW (Keras) vs the nanoGPT recipe (PyTorch)",
        "iters": args.iters, "seed": args.seed, "batch_size": 12, "context": 64,
        "first_step_loss": {"ours": float(ours[0]), "torch": float(theirs[0])},
        "max_abs_train_loss_difference": float(np.abs(ours - theirs).max()),
        "mean_train_loss_last_100_steps": {"ours": float(ours[-100:].mean()), "torch": float(theirs[-100:].mean())},
        "val_loss": {"ours": float(val_loss), "torch": float(torch_side["val_loss"])},
        "worst_final_weight_difference": {"variable": worst, "max_abs_diff_over_max_abs": weight_diffs[worst]},
        "val_predictions": int((len(val) - 1) // 64 * 64),
        "command": command(__spec__),
    }
    write_json(args.out, result)
    print(json.dumps({k: result[k] for k in ("max_abs_train_loss_difference", "val_loss",
                                              "worst_final_weight_difference")}))


if __name__ == "__main__":
    main()
