"""The `keras-genai` subcommands: each module's `register(subparsers)` adds
its parser (with `run` as the default of `args.run`) and `run(args)` calls
one library function and prints its result."""

from keras_genai.cli.commands import evaluate, export, forecast, models, sample, train

# The order of `keras-genai --help`.
COMMANDS = (train, sample, export, evaluate, forecast, models)
