from keras_genai.metrics.frechet import features_frechet_distance
from keras_genai.metrics.value_range import check_value_range


def domain_frechet_distance(images, reference_images, classifier, batch_size=500):
    """Fréchet distance in a domain classifier's feature space.

    A cheap stand-in for FID while training on CPU: the features are the
    penultimate layer of a `keras_genai.models.CNNClassifier` trained on the
    same domain (e.g. Fashion-MNIST), not InceptionV3, so the values are
    NOT comparable with published FIDs, only with each other.

    Args:
        images, reference_images: arrays `(N, H, W, C)` in [0, 1], the
            range the classifier was trained on.
        classifier: a model with `features(x)`, e.g. `CNNClassifier`.
    """
    for name, values in (("images", images), ("reference_images", reference_images)):
        check_value_range(name, values, 1.0, "the classifier takes images in [0, 1]: divide uint8 values by 255")
    return features_frechet_distance(
        classifier.features(images, batch_size=batch_size),
        classifier.features(reference_images, batch_size=batch_size),
    )
