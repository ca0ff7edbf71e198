"""The `keras-genai` subcommands: each module's `register(subparsers)` adds
its parser (with `run` as the default of `args.run`) and `run(args)` calls
one library function and prints its result."""

from keras_genai.cli.commands import evaluate, export, forecast, models, sample, train, translate

# The order of `keras-genai --help`.
COMMANDS = (train, sample, translate, export, evaluate, forecast, models)
