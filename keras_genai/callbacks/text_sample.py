import os

import keras

from keras_genai import samplers
from keras_genai.utils import atomic_write


class TextSample(keras.callbacks.Callback):
    """Writes a text sample after each epoch: `epoch_001.txt`, ...

    The same prompt, sampler kind and seed every epoch, so samples from
    successive epochs are directly comparable.

    Args:
        prompt: str. Text to continue (in the model's vocabulary); cut to
            its last `model.max_prompt_length` characters if longer.
        directory: str. Where the files are written.
        max_new_tokens: int. Defaults to `200`.
        top_k: int or None. Sample among the `k` most likely characters;
            None means greedy decoding. Defaults to `10`.
        seed: int. Sampler seed. Defaults to `0`.
        print_sample: bool. Also print the sample. Defaults to `False`.
    """

    def __init__(self, prompt, directory="samples", max_new_tokens=200, top_k=10, seed=0,
                 print_sample=False):
        super().__init__()
        self.prompt = prompt
        self.directory = directory
        self.max_new_tokens = max_new_tokens
        self.top_k = top_k
        self.seed = seed
        self.print_sample = print_sample

    def on_epoch_end(self, epoch, logs=None):
        sampler = samplers.from_options(top_k=self.top_k, seed=self.seed)
        # A transformer's context bounds the prompt: keep its end.
        limit = self.model.max_prompt_length
        prompt = self.prompt[-limit:] if limit else self.prompt
        text = self.model.generate(prompt, self.max_new_tokens, sampler=sampler)
        with atomic_write(os.path.join(self.directory, f"epoch_{epoch + 1:03d}.txt")) as f:
            f.write(text)
        if self.print_sample:
            print(f"\n--- sample after epoch {epoch + 1} ---\n{text}\n---")
