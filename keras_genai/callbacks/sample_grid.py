import os

import keras

from keras_genai.callbacks.image_grid import save_grid


class SampleGrid(keras.callbacks.Callback):
    """Saves `model.grid_images(images, labels)` as a PNG after each epoch.

    Rows are the model's named batches (samples from fixed noise,
    inputs and reconstructions, noisy and denoised...), so grids from
    successive epochs are directly comparable. A GAN whose weight average
    has not warmed up yet (`ema_warmed_up`) adds its raw generator's
    samples from the same noise below the average's.

    Args:
        images: array. A fixed batch of inputs in the model's range.
        labels: array or None. Their labels, for conditional models.
        directory: str. Where `epoch_001.png`, ... are written.
        columns: int. Images per row. Defaults to `8`.
    """

    def __init__(self, images, labels=None, directory="samples", columns=8):
        super().__init__()
        self.images = images
        self.labels = labels
        self.directory = directory
        self.columns = columns

    def on_epoch_end(self, epoch, logs=None):
        batches = self.model.grid_images(self.images, self.labels)
        if batches:
            display = {name: self.model.to_display(b) for name, b in batches.items()}
            path = os.path.join(self.directory, f"epoch_{epoch + 1:03d}.png")
            save_grid(path, display, self.columns, overwrite=True)
