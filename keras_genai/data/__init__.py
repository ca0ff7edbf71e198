"""Data pipelines: named datasets (tfds or local IDX), own images, shapes."""

from keras_genai import _backend  # noqa: F401  TensorFlow installed, Keras on it

from keras_genai.data.domains import domains_dataset, load_domain
from keras_genai.data.errors import DataWarning, DatasetNotAvailableError
from keras_genai.data.idx import read_idx
from keras_genai.data.image_datasets import CLASS_NAMES, dataset_class_names, image_dataset, load_image_arrays
from keras_genai.data.own_data import (
    array_dataset,
    check_image_array,
    classes_in_turn,
    image_files_arrays,
    image_files_dataset,
    image_folder_dataset,
    list_image_folder,
    split_image_files,
)
from keras_genai.data.pipeline import denormalize_images, normalize_images
from keras_genai.data.series import (
    check_series,
    load_series,
    read_series_csv,
    series_window_arrays,
    series_windows,
)
from keras_genai.data.shapes import SHAPE_NAMES, make_shapes
from keras_genai.data.mixtures import MIXTURES, mixture, sample_mixture
from keras_genai.data.character_vocabulary import CharacterVocabulary
from keras_genai.data.text import (
    TEXT_DATASETS,
    embedded_corpus,
    load_text,
    random_windows,
    text_dataset,
    token_windows,
)
