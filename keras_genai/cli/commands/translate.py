"""`keras-genai translate RUN ...` -> `keras_genai.training.translate`."""


def register(subparsers):
    p = subparsers.add_parser(
        "translate", help="translate images from one domain to the other with a cyclegan run",
        description="Translate an image or a folder of images with a trained translation model "
                    "(cyclegan). Writes one PNG per input into --out and sheet.png (inputs and "
                    "translations, row by row). Inputs are converted to the model's channels and "
                    "resized to its image size.")
    # Each dest is the name of a `translate()` parameter.
    p.add_argument("model_or_path", metavar="RUN_OR_MODEL", help="a cyclegan run folder or .keras file")
    p.add_argument("--direction", required=True, choices=("a2b", "b2a"),
                   help="a2b: domain A images in, domain B out (the run's --domain-a to --domain-b); "
                        "b2a the other way")
    p.add_argument("--input", required=True, help="an image file or a folder of images")
    p.add_argument("--out", required=True, help="folder for the translated PNGs and sheet.png")
    p.add_argument("--overwrite", action="store_true", help="write into a non-empty --out")
    p.set_defaults(run=run)


def run(args):
    from keras_genai.cli import arguments
    from keras_genai.training import translate

    result = translate(**arguments.library_kwargs(args))
    note = f" ({result['converted']} resized to the model's size)" if result["converted"] else ""
    print(f"translated {len(result['files'])} images{note} into {result['out']}; sheet: {result['sheet']}")
