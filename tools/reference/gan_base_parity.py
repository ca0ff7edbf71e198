"""The GANs train the same on the multi-network base as on the base before it, and load its files.

Supports docs/gan_families.md. Exports the package as it was at `--base-rev`
(the commit before the split of `AdversarialModel` into `MultiNetworkModel`
plus the noise-to-sample rule) with `git archive`, trains each GAN in two
fresh processes — one importing that package, one importing the working
tree's — with the same seed, data and budget, and compares every weight
(generator, discriminator, EMA generator, optimizer-free) and every epoch's
metrics; then loads the previous base's `.keras` file with this package and
compares its samples and optimizer state.

    python -m tools.reference.gan_base_parity --out tools/results/gan_base_parity.json
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

# Tiny networks with every rule the base carries today: EMA, labels, clipping,
# RMSprop, the gradient penalty (lazy) and several critic steps.
CASES = {
    "gan": ("GAN", {"latent_dim": 4, "hidden_units": [16], "ema_decay": 0.9}),
    "dcgan": ("DCGAN", {"latent_dim": 4, "widths": [4, 8], "ema_decay": 0.9}),
    "cgan": ("ConditionalGAN", {"num_classes": 10, "latent_dim": 4, "widths": [4, 8]}),
    "wgan": ("WGAN", {"latent_dim": 4, "widths": [4, 8], "critic_steps": 2}),
    "wgan_gp_lazy": ("WGANGP", {"latent_dim": 4, "widths": [4, 8], "critic_steps": 3, "penalty_interval": 2}),
}

TRAIN = """
import json, sys
import keras, numpy as np
import keras_genai.models  # registers the classes for load_model
from keras_genai.testing import tiny_images
name, kwargs, epochs, out = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
x, y = tiny_images(32, (-1, 1))
keras.utils.set_random_seed(0)
model = getattr(keras_genai.models, name)(seed=0, **kwargs)
model.compile()
history = model.fit(x, y if model.needs_labels else None, batch_size=8, epochs=epochs, verbose=0, shuffle=False)
np.savez(out, *[w.numpy() for w in model.weights])
model.save(out + ".keras")
np.save(out + "_samples.npy", model.generate(8, labels=np.arange(8) % 10 if model.needs_labels else None, seed=1))
with open(out + ".json", "w") as f:
    json.dump({"file": keras_genai.__file__, "history": history.history}, f)
"""

# A .keras file of the previous base, loaded by this one: the same samples and optimizer state.
RELOAD = """
import json, sys
import keras, numpy as np
import keras_genai.models  # registers the classes for load_model
path = sys.argv[1]
model = keras.saving.load_model(path + ".keras")
samples = model.generate(8, labels=np.arange(8) % 10 if model.needs_labels else None, seed=1)
print(json.dumps({"file": keras_genai.__file__, "same_samples": bool(np.array_equal(samples, np.load(path + "_samples.npy"))),
                  "d_optimizer_updates": int(model.d_optimizer.iterations.numpy())}))
"""


def train(package_root, class_name, kwargs, epochs, out):
    env = {**os.environ, "PYTHONPATH": package_root, "TF_CPP_MIN_LOG_LEVEL": "2"}
    subprocess.run([sys.executable, "-c", TRAIN, class_name, json.dumps(kwargs), str(epochs), out],
                   check=True, env=env, cwd=tempfile.gettempdir())
    weights = np.load(out + ".npz")
    with open(out + ".json") as f:
        record = json.load(f)
    return [weights[k] for k in sorted(weights.files, key=lambda k: int(k.split("_")[1]))], record


def reload(package_root, path):
    env = {**os.environ, "PYTHONPATH": package_root, "TF_CPP_MIN_LOG_LEVEL": "2"}
    result = subprocess.run([sys.executable, "-c", RELOAD, path], check=True, env=env, capture_output=True,
                            text=True, cwd=tempfile.gettempdir())
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-rev", default="8d6a7ad",
                        help="git revision of the previous base (default: 8d6a7ad, the last commit before the split)")
    parser.add_argument("--epochs", type=int, default=2, help="epochs of 4 steps each (default: 2)")
    parser.add_argument("--out", help="JSON file to write (default: print only)")
    args = parser.parse_args(argv)
    from tools.record import ROOT as root, command, write_json

    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        old_root = os.path.join(tmp, "old")
        os.makedirs(old_root)
        archive = subprocess.run(["git", "-C", root, "archive", args.base_rev, "keras_genai"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", old_root], input=archive, check=True)
        for case, (class_name, kwargs) in CASES.items():
            old, old_record = train(old_root, class_name, kwargs, args.epochs, os.path.join(tmp, f"{case}_old"))
            new, new_record = train(root, class_name, kwargs, args.epochs, os.path.join(tmp, f"{case}_new"))
            assert old_record["file"].startswith(old_root) and new_record["file"].startswith(root)
            loaded = reload(root, os.path.join(tmp, f"{case}_old"))
            assert loaded.pop("file").startswith(root)
            rows[case] = {
                "class": class_name, "kwargs": kwargs,
                "num_weights": [len(old), len(new)],
                "max_abs_weight_diff": max(float(np.max(np.abs(a - b))) for a, b in zip(old, new)),
                "same_metrics_every_epoch": old_record["history"] == new_record["history"],
                "previous_keras_file_loaded": loaded,
                "final_metrics": {"previous": {k: v[-1] for k, v in old_record["history"].items()},
                                  "now": {k: v[-1] for k, v in new_record["history"].items()}},
            }
            print(f"{case:<14} weights {len(old)}/{len(new)}  max |diff| {rows[case]['max_abs_weight_diff']:.3g}  "
                  f"same metrics: {rows[case]['same_metrics_every_epoch']}  previous .keras: {loaded}")
    result = {"command": command(__spec__, argv), "base_rev": args.base_rev,
              "data": "tiny_images(32) shapes in [-1, 1], batch 8, no shuffle", "epochs": args.epochs, "cases": rows}
    if args.out:
        write_json(args.out, result)


if __name__ == "__main__":
    main()
