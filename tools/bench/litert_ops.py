"""The LiteRT files of trained runs: size, parity against Keras and the ops they run.

    python -m tools.bench.litert_ops --runs /work/runs/cg_sandal_sneaker --out tools/results/litert_cyclegan.json

For every `export/litert/*.tflite` of each run folder, reads its parity from `export/report.json`
(written by `keras-genai train` / `export`: max |LiteRT - Keras| on the run's own images) and lists
its ops with the LiteRT interpreter (`ai-edge-litert`). `flex_ops` names any op that needs the Flex
delegate (TensorFlow ops outside the builtin set); the tool exits 1 if there is one.
"""

import argparse
import collections
import json
import os
import sys

from tools.record import command, write_json


def file_ops(path):
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=path)
    return dict(collections.Counter(op["op_name"] for op in interpreter._get_ops_details()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", nargs="+", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    runs, flex = [], []
    for run in args.runs:
        with open(os.path.join(run, "export", "report.json")) as f:
            report = json.load(f)
        with open(os.path.join(run, "config.json")) as f:
            config = json.load(f)
        files = []
        for row in report["litert"]:
            ops = file_ops(row["path"])
            flex_ops = sorted(op for op in ops if op.startswith("Flex") or op == "CUSTOM")
            flex += flex_ops
            files.append({"endpoint": row["endpoint"], "quantization": row["quantization"],
                          "size_bytes": row["size_bytes"], "max_abs_diff": row["max_abs_diff"],
                          "mean_abs_diff": row["mean_abs_diff"], "ops": ops, "flex_ops": flex_ops})
        runs.append({"run": run, "model": config["model"], "training": config["training"],
                     "saved_model_max_abs_diff": report["saved_model"]["max_abs_diff"], "litert": files})
    write_json(args.out, {"command": command(__spec__, argv), "runs": runs,
                          "parity_inputs": "the run's own held-out images (its sample-grid batch)"})
    sys.exit(1 if flex else 0)


if __name__ == "__main__":
    main()
