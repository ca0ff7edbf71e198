import keras


def set_determinism(seed, deterministic=False):
    """Seeds Python, NumPy, TensorFlow and Keras (`keras.utils.set_random_seed`); with
    `deterministic`, also makes TensorFlow's ops deterministic
    (`tf.config.experimental.enable_op_determinism`), so that a seeded run on
    the same CPU and software versions gives the same weights bit for bit.

    Op determinism fixes the order of parallel reductions and makes tf.data
    keep element order under parallel maps, at some cost in speed; it lasts
    for the rest of the process (TensorFlow has no switch back), and on GPUs
    an op without a deterministic kernel then raises instead of running.
    """
    keras.utils.set_random_seed(seed)
    if deterministic:
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
