"""`keras-genai`: train, sample, export and evaluate from the shell.

The commands live in `keras_genai.cli.commands`, one module each; the work
is done by the library functions they call (`keras_genai.training`).
"""

import argparse
import os
import sys
import warnings

# Quiet TensorFlow's C++ INFO/WARNING lines; must be set before it loads.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

EPILOG = """examples:
  keras-genai train vae --dataset fashion_mnist --epochs 1 --out runs/vae
  keras-genai train cvae --preset tiny --dataset shapes --epochs 1 --out runs/cvae
  keras-genai sample runs/vae --num 64 --out vae_samples.png
  keras-genai export runs/vae --out exports/vae --quantize float32,int8
  keras-genai eval runs/vae --dataset fashion_mnist --split test
  keras-genai forecast ar --series sales.csv --column units --horizon 12 --d 1 --out runs/ar
  keras-genai train gpt --dataset tiny_shakespeare --out runs/gpt
  keras-genai sample runs/gpt --prompt "ROMEO:" --max-new-tokens 300 --top-k 10 --seed 0
  keras-genai eval runs/dcgan --metrics fid,kid,pr --num-samples 10000 --out fid.json
"""


def build_parser():
    from keras_genai.cli.commands import COMMANDS

    parser = argparse.ArgumentParser(
        prog="keras-genai",
        description="Train, sample, export and evaluate keras-genai models.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv=None):
    """Runs one command; returns the exit code (2 for bad input, without a traceback)."""
    args = build_parser().parse_args(argv)
    try:
        # Loads TensorFlow (seconds), so after the arguments are read and inside the try: a
        # Ctrl-C while it loads ends in the same line as one during the command.
        from keras_genai.data import DataWarning

        with warnings.catch_warnings():
            warnings.simplefilter("always", DataWarning)
            # A data warning (e.g. a skipped empty class folder) is one line, as errors are.
            warnings.showwarning = _one_line_warning(args.command, DataWarning, warnings.showwarning)
            args.run(args)
    except (ValueError, OSError) as e:  # OSError: missing or existing files, a full disk
        print(f"keras-genai {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as e:
        hint = (" The run folder keeps every finished epoch: the same command with --resume continues."
                if args.command == "train" else "")
        # Training's TrainingInterrupted says where its backup is and how to resume.
        print(f"keras-genai {args.command}: {e if str(e) else 'interrupted.' + hint}", file=sys.stderr)
        return getattr(e, "exit_code", 130)
    return 0


def _one_line_warning(command, one_line_category, show):
    def showwarning(message, category, *args, **kwargs):
        if issubclass(category, one_line_category):
            print(f"keras-genai {command}: warning: {message}", file=sys.stderr)
        else:
            show(message, category, *args, **kwargs)

    return showwarning


if __name__ == "__main__":
    sys.exit(main())
