import keras


class LinearLearningRateDecay(keras.callbacks.Callback):
    """Constant learning rates, then a linear decay to zero (CycleGAN's rule).

    For a run of `epochs` epochs, the rates stay at `learning_rates` for the
    first `round(decay_start * epochs)` epochs and then fall linearly: epoch
    `e` (from 0) trains at `rate * (1 - max(0, e + 1 - constant) / (epochs -
    constant + 1))`, the reference code's `lambda_rule`. Every role of a
    `MultiNetworkModel` is set, each from its own base rate, at the start of
    each epoch, so a resumed run (BackupAndRestore) gets the same rates.

    Args:
        learning_rates: dict. Base rate by role (`model.learning_rates()`).
        epochs: int. Epochs of the whole run.
        decay_start: float in [0, 1). Fraction of the epochs at the base rate.
            Defaults to `0.5`.
    """

    def __init__(self, learning_rates, epochs, decay_start=0.5):
        super().__init__()
        if not 0 <= decay_start < 1:
            raise ValueError(f"decay_start must be in [0, 1). Received: decay_start={decay_start}")
        self.learning_rates = dict(learning_rates)
        self.epochs = int(epochs)
        self.constant_epochs = int(round(decay_start * epochs))

    def factor(self, epoch):
        return 1.0 - max(0, epoch + 1 - self.constant_epochs) / (self.epochs - self.constant_epochs + 1)

    def on_epoch_begin(self, epoch, logs=None):
        for role, rate in self.learning_rates.items():
            self.model.optimizer_of(role).learning_rate = rate * self.factor(epoch)
