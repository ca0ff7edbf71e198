"""The nanoGPT baby GPT in PyTorch, evaluated exactly like tools/bench/bench_baby_gpt.py.

A reference run for the Keras benchmark, not part of the library: it needs
an interpreter with torch (the project's environment has none), e.g.

    /work/venv-torch/bin/python -m tools.reference.bench_nanogpt_torch --seed 1337 \
        --out tools/results/nanogpt_torch/seed_1337.json

It re-implements (in ~80 lines, following nanoGPT's model.py / train.py
at the README's CPU command) what nanoGPT trains: 4 layers, 4 heads, 128
embedding, context 64, one fused q/k/v projection, no biases, LayerNorm
weight only with epsilon 1e-5, exact GELU, tied head, normal(0, 0.02)
init with `c_proj` at 0.02 / sqrt(2 * n_layer); AdamW lr 1e-3, betas
(0.9, 0.99), epsilon 1e-8, weight decay 0.1 on >= 2-D parameters,
gradient-norm clip 1.0; lr `1e-3 * (it + 1) / 101` for 100 warm-up steps
then cosine to 1e-4 at step 2000; batches of 12 windows at
`torch.randint` offsets of the first 90% of input.txt (nanoGPT's
prepare.py boundary = tfds train). Validation is the last 10%
(= tfds validation+test): `val_loss` over all 111,488 predictions in
consecutive windows (as the Keras benchmark), `val_loss_nanogpt_style`
nanoGPT's `estimate_loss` with eval_iters=20 (12 random windows each).

Its purpose is the seed-to-seed spread of nanoGPT's recipe measured the
same way as ours, so the two rows compare like with like.
"""

import time

_START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402

from tools.record import ROOT, command, write_json  # noqa: E402

N_LAYER, N_HEAD, N_EMBD, BLOCK, BATCH = 4, 4, 128, 64, 12


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(N_EMBD, eps=1e-5, bias=False)
        self.qkv = nn.Linear(N_EMBD, 3 * N_EMBD, bias=False)
        self.attn_proj = nn.Linear(N_EMBD, N_EMBD, bias=False)
        self.ln_2 = nn.LayerNorm(N_EMBD, eps=1e-5, bias=False)
        self.fc = nn.Linear(N_EMBD, 4 * N_EMBD, bias=False)
        self.mlp_proj = nn.Linear(4 * N_EMBD, N_EMBD, bias=False)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(self.ln_1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, N_HEAD, c // N_HEAD).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.attn_proj(y.transpose(1, 2).reshape(b, t, c))
        return x + self.mlp_proj(F.gelu(self.fc(self.ln_2(x))))


class BabyGPT(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, N_EMBD)
        self.wpe = nn.Embedding(BLOCK, N_EMBD)
        self.blocks = nn.ModuleList([Block() for _ in range(N_LAYER)])
        self.ln_f = nn.LayerNorm(N_EMBD, eps=1e-5, bias=False)
        for module in self.modules():
            if isinstance(module, (nn.Linear, nn.Embedding)):
                nn.init.normal_(module.weight, 0.0, 0.02)
        for block in self.blocks:
            for proj in (block.attn_proj, block.mlp_proj):
                nn.init.normal_(proj.weight, 0.0, 0.02 / math.sqrt(2 * N_LAYER))

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.blocks:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.T
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def get_lr(it, lr=1e-3, warmup=100, decay_iters=2000, min_lr=1e-4):
    if it < warmup:
        return lr * (it + 1) / (warmup + 1)
    if it > decay_iters:
        return min_lr
    ratio = (it - warmup) / (decay_iters - warmup)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (lr - min_lr)


def get_batch(data):
    ix = torch.randint(len(data) - BLOCK, (BATCH,))
    x = torch.stack([data[i : i + BLOCK] for i in ix])
    y = torch.stack([data[i + 1 : i + 1 + BLOCK] for i in ix])
    return x, y


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", default=os.path.join(ROOT, "..", "shared", "data", "tinyshakespeare", "input.txt"))
    parser.add_argument("--iters", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1337)
    parser.add_argument("--out", default="tools/results/nanogpt_torch.json")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0 = torch's default)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    with open(args.input, encoding="utf-8") as f:
        text = f.read()
    chars = sorted(set(text))
    ids = torch.tensor(np.searchsorted(np.array(chars), np.array(list(text))), dtype=torch.long)
    n = int(len(ids) * 0.9)
    train, val = ids[:n], ids[n:]

    model = BabyGPT(len(chars))
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        [{"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.1},
         {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}],
        lr=1e-3, betas=(0.9, 0.99), eps=1e-8,
    )
    started = time.perf_counter()
    for it in range(args.iters):
        for group in optimizer.param_groups:
            group["lr"] = get_lr(it)
        x, y = get_batch(train)
        loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    train_seconds = time.perf_counter() - started

    model.eval()
    with torch.no_grad():
        starts = torch.arange(0, len(val) - BLOCK, BLOCK)
        windows = torch.stack([val[s : s + BLOCK + 1] for s in starts])
        total = sum(model(w[:, :-1], w[:, 1:]).item() * len(w) for w in windows.split(256))
        val_loss = total / len(windows)
        nanogpt_style = float(np.mean([model(*get_batch(val)).item() for _ in range(20)]))
    wall_seconds = time.perf_counter() - _START
    result = {
        "what": "nanoGPT baby GPT recipe re-implemented in PyTorch (reference for tools/bench/bench_baby_gpt.py)",
        "seed": args.seed, "iters": args.iters, "batch_size": BATCH, "context": BLOCK,
        "parameters": sum(p.numel() for p in params),
        "data": f"input.txt: first 90% train ({n:,} chars), last 10% validation ({len(val):,} chars)",
        "val_loss": val_loss, "val_predictions": int(len(windows) * BLOCK),
        "val_loss_nanogpt_style": nanogpt_style,
        "val_loss_nanogpt_style_batches": "20 x 12 random windows of 64",
        "train_seconds": round(train_seconds, 1), "wall_seconds": round(wall_seconds, 1),
        "tokens_per_second": round(args.iters * BATCH * BLOCK / train_seconds),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "torch": torch.__version__, "threads": torch.get_num_threads(),
        "command": command(__spec__),
    }
    write_json(args.out, result)
    print(json.dumps({k: result[k] for k in ("seed", "val_loss", "val_loss_nanogpt_style", "wall_seconds")}))


if __name__ == "__main__":
    main()
