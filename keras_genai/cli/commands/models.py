"""`keras-genai models`: the registry's names, classes, presets and optimizers."""


def register(subparsers):
    p = subparsers.add_parser("models", help="list models and presets",
                              description="List the model names `train` takes and the forecasters "
                                          "`forecast` takes, with their class, presets and, where "
                                          "the registry reports it, the optimizer they train with.")
    p.set_defaults(run=run)


def run(args):
    from keras_genai.models import registry

    for name, entry in registry.MODELS.items():
        print(f"{_row(name, entry)}   optimizer: {registry.describe_optimizers(name)}")
    for name, entry in registry.FORECASTERS.items():
        print(f"{_row(name + ' (forecast)', entry)}   optimizer: {registry.describe_optimizers(name)}")


def _row(label, entry):
    return f"{label:<24} {entry['class'].__name__:<22} presets: {', '.join(entry['presets'])}"
