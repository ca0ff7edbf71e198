"""`keras-genai sample RUN_OR_MODEL ...` -> `keras_genai.training.sample`."""

from keras_genai.cli import arguments


def register(subparsers):
    p = subparsers.add_parser("sample", help="write a PNG grid of generated images, or generated text",
                              description="Generate images with a trained model into a PNG grid, or "
                                          "with a text model continue --prompt (printed, and "
                                          "written to --out if given).")
    # Each dest is the name of a `sample()` parameter.
    p.add_argument("model_or_path", metavar="RUN_OR_MODEL",
                   help="a run folder, a .keras file, a pretrained model's name (`keras-genai models "
                        "--pretrained`) or an exported .tflite file (generate_*, decode_* or "
                        "next_token*, run by the LiteRT interpreter as on a phone)")
    p.add_argument("--num", type=arguments.positive_int, default=64, help="number of images (default: 64)")
    p.add_argument("--label", help="class to draw, for conditional models: its name as the run's "
                                   "config.json records it (e.g. sneaker, any case) or its index (e.g. 7)")
    p.add_argument("--seed", type=int, default=0, help="noise seed (default: 0)")
    p.add_argument("--truncation", type=float, metavar="T",
                   help="GANs: draw z from the normal truncated to [-T, T] (the truncation trick; "
                        "T > 0, smaller trades variety for fidelity; default: no truncation)")
    p.add_argument("--columns", type=arguments.positive_int, default=8, help="images per row (default: 8)")
    p.add_argument("--out", help="PNG file to write (image models; required), or a text file "
                                 "for the generated text (text models; default: print only)")
    p.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    p.add_argument("--prompt", help="text models: text to continue (default: a newline)")
    p.add_argument("--max-new-tokens", type=arguments.positive_int,
                   help="text models: characters to generate (default: 200)")
    p.add_argument("--temperature", type=float,
                   help="text models: sample from softmax(logits / T), T > 0; without --temperature, "
                        "--top-k or --top-p decoding is greedy")
    p.add_argument("--top-k", type=int, help="text models: sample among the K most likely characters")
    p.add_argument("--top-p", type=float, help="text models: nucleus sampling with mass P in (0, 1]")
    p.set_defaults(run=run)


def run(args):
    from keras_genai.training import sample

    result = sample(**arguments.library_kwargs(args))
    if result["kind"] == "tokens":
        print(result["samples"])
    else:
        print(f"wrote {len(result['samples'])} samples to {result['out']}")
