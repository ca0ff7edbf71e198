"""What the evaluation tools share: a split's images in [0, 1]."""

from keras_genai.data import load_image_arrays


def load_split(dataset, split, data_dir):
    """`(images, labels)` of a split, images as float32 in [0, 1]."""
    images, labels = load_image_arrays(dataset, split, data_dir)
    return images.astype("float32") / 255.0, labels

