"""`keras-genai train MODEL ...` -> `keras_genai.training.train`."""

from keras_genai.cli import arguments, names
from keras_genai.cli.commands.export import print_export_report


def register(subparsers):
    p = subparsers.add_parser(
        "train", help="train a model; writes checkpoints, sample grids, TensorBoard logs, "
                      "metrics.json and exports into --out",
        description="Train MODEL on a dataset. The --out folder gets config.json, model.keras, "
                    "run.json (which epoch model.keras holds and why), checkpoints/ (the last "
                    "--keep-checkpoints epochs and best.keras), samples/epoch_NNN.png, logs/ "
                    "(TensorBoard), metrics.json and export/ (SavedModel, LiteRT, parity report.json).",
        epilog="`keras-genai models` lists each model's budget (epochs, batch size; --epochs, --batch-size "
               "and --learning-rate override it) and the optimizers it trains with.",
    )
    # Each dest is the name of a `train()` parameter: `run` passes them all.
    p.add_argument("model_name", type=arguments.model_name, metavar="MODEL",
                   help=f"one of: {', '.join(sorted(names.MODELS))}")
    arguments.add_data_args(p)
    p.add_argument("--image-folder", help="train on your own images (PNG/JPEG; class sub-folders "
                                          "give labels, names starting with '.' are ignored) "
                                          "instead of --dataset")
    p.add_argument("--domain-a", help="translation models (cyclegan): domain A, a folder of images or "
                                      "DATASET:CLASS, e.g. fashion_mnist:sandal, or DATASET:A for a tfds "
                                      "dataset with trainA/testA splits (cycle_gan/horse2zebra:A); a folder's "
                                      "test split is a seeded 10%% held out (default: the model's budget)")
    p.add_argument("--domain-b", help="translation models: domain B, as --domain-a; the two are shuffled "
                                      "independently, never paired")
    p.add_argument("--image-size", type=arguments.positive_int,
                   help="with --image-folder or --domain-a/b: resize images to this size (default: 28, "
                        "or the --from model's)")
    p.add_argument("--channels", type=int, choices=(1, 3),
                   help="with --image-folder or --domain-a/b: convert to 1 gray or 3 RGB (default: 1 "
                        "for --image-folder; the data's own for domains, and a domain folder mixing "
                        "gray and colour files is refused until this is given)")
    p.add_argument("--preset", default="cpu", help="model preset (default: cpu; 'tiny' for smoke tests)")
    p.add_argument("--set", dest="overrides", type=arguments.setting, action="append", default=[],
                   metavar="KEY=VALUE", help="override a model argument, e.g. --set beta=4.0 "
                                             "(JSON values; repeatable)")
    p.add_argument("--epochs", type=arguments.positive_int, help="epochs (default: the model's)")
    p.add_argument("--batch-size", type=arguments.positive_int, help="batch size (default: the model's)")
    p.add_argument("--learning-rate", type=arguments.positive_float,
                   help="learning rate of the model's optimizers (default: the preset's budget; "
                        "`keras-genai models` lists each model's optimizer)")
    p.add_argument("--steps-per-epoch", type=arguments.positive_int, help="limit batches per epoch")
    p.add_argument("--validation-split", type=arguments.split_or_none, default="test",
                   help="with --dataset NAME: the split for per-epoch validation, or 'none' (default: "
                        "test); ignored with --image-folder and a text FILE, which use --validation-fraction. "
                        "With the default --monitor its val_loss picks model.keras: pass --monitor none to "
                        "only watch it, e.g. when you report results on that split")
    p.add_argument("--validation-fraction", type=arguments.fraction,
                   help="with --image-folder: the share of each class's images held out for validation, "
                        "eval and export; with a text FILE: its last part held out for validation; 0 for "
                        "none (default: 0.1; recorded in config.json); not for a named image dataset")
    p.add_argument("--validation-seed", type=int, default=0,
                   help="with --image-folder: seed of the shuffle that picks the held-out images "
                        "(default: 0, the same files whatever --seed)")
    p.add_argument("--vocabulary", choices=("characters", "bytes"), default="characters",
                   help="text models: the corpus's characters, or the 256 UTF-8 byte values (any "
                        "text, e.g. prompts with characters the corpus lacks; kept in the model for "
                        "sample and export) (default: characters)")
    p.add_argument("--mixed-precision", choices=("none", "fp16", "bf16"),
                   help="fp16 uses dynamic loss scaling; bf16 runs on recent CPUs (default: the "
                        "model's registry default, none for most)")
    p.add_argument("--xla", action="store_true", help="compile the train step with XLA "
                                                      "(measure first: slower on some CPUs)")
    p.add_argument("--out", required=True, help="run folder")
    p.add_argument("--resume", action="store_true",
                   help="continue the run in --out from its last backup (an epoch's end, or mid-epoch at the "
                        "batch after the backup)")
    p.add_argument("--checkpoint-every", type=arguments.positive_int, metavar="STEPS",
                   help="also write a backup for --resume every STEPS batches (default: only at each epoch's "
                        "end and every --checkpoint-minutes), so that a kill loses at most that many steps")
    p.add_argument("--checkpoint-minutes", type=arguments.positive_float, default=10, metavar="M",
                   help="also write a backup for --resume every M minutes of training (default: 10). "
                        "SIGINT (Ctrl-C) and SIGTERM write one and end training with the command that resumes")
    p.add_argument("--time-budget", type=arguments.positive_float, metavar="MINUTES",
                   help="stop training after MINUTES minutes of --budget-clock time (the batch running then finishes; "
                        "validation, checkpoints and export follow as at an epoch's end); run.json records "
                        "where it stopped (default: train every epoch)")
    p.add_argument("--snapshot-minutes", type=arguments.positive_float_list, default=(), metavar="M1,M2",
                   help="also save the model at these minutes of training to snapshots/minute_M.keras, "
                        "listed with step and CPU time in snapshots/snapshots.json (e.g. '15,30,45' to "
                        "compare models at equal time); within --time-budget")
    p.add_argument("--budget-clock", choices=("wall", "cpu"), default="wall",
                   help="what --time-budget and --snapshot-minutes count: wall time, or the process's CPU "
                        "time (all cores; less disturbed by other work on the machine) (default: wall)")
    p.add_argument("--deterministic", action="store_true",
                   help="make the run bit-reproducible on the same CPU and versions: TensorFlow op "
                        "determinism besides --seed (slower); also a resumed run then ends as an uninterrupted one")
    p.add_argument("--distribute", choices=names.STRATEGIES,
                   help="train under tf.distribute: 'mirrored' on every GPU of this machine, 'multi_worker' on "
                        "the cluster in TF_CONFIG (run the same command on every worker; the chief writes --out). "
                        "--batch-size is then the global batch; a step equals one device's on that batch "
                        "(default: one device)")
    p.add_argument("--cpu-devices", type=arguments.positive_int, metavar="N",
                   help="with --distribute mirrored: split the CPU into N logical devices, to check a "
                        "multi-device run without GPUs (no speed-up)")
    p.add_argument("--overwrite", action="store_true", help="delete --out first if it holds files")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--keep-checkpoints", type=arguments.count_or_all, default=2, metavar="K",
                   help="keep checkpoints/epoch_NNN.keras of the last K epochs only: 0 for none, "
                        "'all' for every epoch (default: 2); checkpoints/best.keras and backup/ "
                        "(for --resume) are kept besides")
    p.add_argument("--monitor", default="auto", metavar="METRIC[:min|max]",
                   help="the metric that picks checkpoints/best.keras, e.g. val_loss or "
                        "val_accuracy:max (a ...loss is minimised, accuracy/psnr/elbo maximised; "
                        "other metrics need :min or :max), or 'none'. Default 'auto': val_loss for "
                        "models that report a loss and get validation data, else none (GANs: "
                        "d_loss/g_loss do not measure sample quality)")
    p.add_argument("--keep", choices=("best", "last"),
                   help="what model.keras (and export/) holds: the best checkpoint by --monitor or "
                        "the last epoch (default: best when a metric is monitored, else last)")
    p.add_argument("--early-stopping", type=arguments.positive_int, metavar="PATIENCE",
                   help="stop after PATIENCE epochs without a better --monitor value (default: "
                        "train every epoch); with --keep best, model.keras is still the best epoch")
    p.add_argument("--from", dest="from_model", metavar="PRETRAINED_OR_RUN",
                   help="fine-tune: start from a pretrained model (`keras-genai models --pretrained`), "
                        "a run folder or a .keras file of MODEL's family instead of a new model. Its "
                        "image size and channels become --image-folder's defaults, a conditional model "
                        "takes your class count (new label rows, the rest kept), a text model keeps its "
                        "vocabulary, and --learning-rate defaults to 0.1 x the budget's")
    p.add_argument("--freeze", type=arguments.comma_list, default=(), metavar="PARTS",
                   help="fine-tune: comma list of parts to keep fixed, e.g. 'encoder', 'decoder' or "
                        "'discriminator:2' (its first 2 layers with weights, FreezeD); an unknown part "
                        "gets the list of the model's parts")
    p.add_argument("--export", dest="export_quantizations", type=arguments.quantizations,
                   default=("float32",), metavar="QUANT",
                   help="LiteRT quantizations to export after training: 'none' or a comma list of "
                        "float32,dynamic,float16,int8 (default: float32)")
    p.set_defaults(run=run)


def run(args):
    from keras_genai.training import train

    result = train(**arguments.library_kwargs(args))
    export = result.pop("export", None)
    record = result.pop("run")
    print("final epoch: " + ", ".join(f"{k}={v:.4f}" for k, v in result.items()))
    stopped = (record["early_stopping"] or {}).get("stopped_after_epoch")
    if stopped:
        print(f"early stopping: no better {record['monitor']['metric']} for "
              f"{record['early_stopping']['patience']} epochs, stopped after epoch {stopped}")
    print(f"model.keras: epoch {record['model.keras']['epoch']}, {record['model.keras']['reason']} (run.json)")
    if export:
        print_export_report(export)
    print(f"run folder: {args.out}")

