"""`keras-genai export RUN_OR_MODEL ...` -> `keras_genai.training.export_model`."""

from keras_genai.cli import arguments


def register(subparsers):
    p = subparsers.add_parser("export", help="export to SavedModel and LiteRT, verified by running",
                              description="Export a model's serving endpoints to a SavedModel and "
                                          "LiteRT files, run each against Keras and write report.json.")
    # Each dest is the name of an `export_model()` parameter.
    p.add_argument("model_or_path", metavar="RUN_OR_MODEL", help="a run folder or a .keras file")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--quantize", dest="quantizations", type=arguments.quantizations,
                   default=("float32", "dynamic", "float16", "int8"),
                   help="LiteRT quantizations (default: float32,dynamic,float16,int8)")
    arguments.add_data_args(p)
    p.add_argument("--overwrite", action="store_true", help="replace existing files in --out")
    p.set_defaults(run=run)


def run(args):
    from keras_genai.training import export_model

    print_export_report(export_model(**arguments.library_kwargs(args)))


def print_export_report(report):
    print(f"SavedModel {report['saved_model']['path']}: max abs diff vs Keras "
          + ", ".join(f"{k} {v:.2e}" for k, v in report["saved_model"]["max_abs_diff"].items()))
    print(f"{'endpoint':<16} {'quantization':<12} {'KiB':>8} {'max|diff|':>10}  file")
    for row in report["litert"]:
        print(f"{row['endpoint']:<16} {row['quantization']:<12} {row['size_bytes'] / 1024:8.1f} "
              f"{row['max_abs_diff']:10.2e}  {row['path']}")
    for name, row in report.get("greedy_generation", {}).items():
        logits = (f", max abs logit diff {row['max_abs_logit_diff']:.2e}"
                  if "max_abs_logit_diff" in row else "")
        print(f"greedy generation over {name} ({row.get('loop', 'window')} loop): "
              f"{row['matching_tokens']}/{row['new_tokens']} tokens "
              f"as Keras ({'same text' if row['equal'] else 'DIFFERENT text'}{logits})")
