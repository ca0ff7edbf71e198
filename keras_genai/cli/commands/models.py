"""`keras-genai models`: the registry's names, classes, presets, budgets and optimizers."""


def register(subparsers):
    p = subparsers.add_parser("models", help="list models and presets",
                              description="List the model names `train` takes and the forecasters "
                                          "`forecast` takes, with their class, presets, the budget "
                                          "`train` gives them (--epochs, --batch-size and "
                                          "--learning-rate override it) and the optimizer they train with. "
                                          "With --pretrained: the published models of savedmodels/, "
                                          "which sample, eval, export, translate and train --from "
                                          "take by name.")
    p.add_argument("--pretrained", action="store_true",
                   help="list the pretrained models (name, class, data, headline metrics) instead")
    p.set_defaults(run=run)


def run(args):
    if args.pretrained:
        return _pretrained()
    from keras_genai.models import registry

    for name, entry in registry.MODELS.items():
        print(f"{_row(name, entry)}   budget: {_budget(entry['fit'])}   "
              f"optimizer: {registry.describe_optimizers(name)}")
    for name, entry in registry.FORECASTERS.items():
        print(f"{_row(name + ' (forecast)', entry)}   optimizer: {registry.describe_optimizers(name)}")


def _row(label, entry):
    return f"{label:<24} {entry['class'].__name__:<22} presets: {', '.join(entry['presets'])}"


def _pretrained():
    from keras_genai.models import pretrained

    names = pretrained.pretrained_names()
    if not names:
        print(f"No pretrained models in {pretrained.savedmodels_dir()!r}.")
        return
    for name in names:
        card = pretrained.pretrained_card(name)
        headline = ", ".join(f"{m['name']} {m['value']:.4g}" for m in card.get("metrics", [])[:3])
        print(f"{name:<28} {card['class']:<16} {card['data']['summary']}   {headline}")


def _budget(fit):
    """`"8 epochs, batch 64"`, with the learning-rate schedule and mixed precision where the budget sets them."""
    schedule = fit.get("learning_rate_schedule")
    schedule = (f", {schedule['warmup_steps']} warm-up steps then cosine to {schedule['min_ratio']:g} x lr "
                "at the last step") if schedule else ""
    precision = f", {fit['mixed_precision']}" if fit.get("mixed_precision", "none") != "none" else ""
    shortest = (f" (a short text: several passes an epoch, {fit['min_steps']:,} steps at least)"
                if fit.get("min_steps") else "")
    return f"{fit['epochs']} epochs{shortest}, batch {fit['batch_size']}{schedule}{precision}"
