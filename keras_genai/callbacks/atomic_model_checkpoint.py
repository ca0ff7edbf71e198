import keras

from keras_genai.utils import atomic_path


class AtomicModelCheckpoint(keras.callbacks.ModelCheckpoint):
    """`keras.callbacks.ModelCheckpoint` whose files are written whole or not at all.

    Keras writes the `.keras` zip in place, so a kill while saving leaves a
    truncated file under the checkpoint's name (and `save_best_only` has
    already replaced the previous best). Here the model goes to a temporary
    file beside it, renamed over the target once complete. Same arguments
    as `ModelCheckpoint`.
    """

    # Overrides the private hook that does the writing; choosing what and when
    # to save (`_should_save_model`, `save_best_only`) stays Keras' own.
    def _save_model(self, epoch, batch, logs):
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save_model(epoch, batch, logs, filepath):
            return
        with atomic_path(filepath) as temporary:
            if self.save_weights_only:
                self.model.save_weights(temporary, overwrite=True)
            else:
                self.model.save(temporary, overwrite=True)
