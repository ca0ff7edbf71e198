"""`keras-genai models`: the registry's names, classes, presets and optimizers."""


def register(subparsers):
    p = subparsers.add_parser("models", help="list models and presets",
                              description="List the model names `train` takes and the forecasters "
                                          "`forecast` takes, with their class, presets and, where "
                                          "the registry reports it, the optimizer they train with.")
    p.set_defaults(run=run)


def run(args):
    from keras_genai.models import registry

    # TODO(after the presets branch merges): call registry.describe_optimizers directly.
    describe = getattr(registry, "describe_optimizers", None)
    for name, entry in registry.MODELS.items():
        optimizer = f"   optimizer: {describe(name)}" if describe else ""
        print(_row(name, entry) + optimizer)
    for name, entry in registry.FORECASTERS.items():
        print(_row(name + " (forecast)", entry))


def _row(label, entry):
    return f"{label:<24} {entry['class'].__name__:<22} presets: {', '.join(entry['presets'])}"
