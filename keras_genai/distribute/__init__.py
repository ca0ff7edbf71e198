"""tf.distribute for keras-genai: the strategies of `keras-genai train --distribute` and the
replica arithmetic every model's training step uses (see `replicas`)."""

from keras_genai.distribute.replicas import (
    agreed_gradients,
    batch_normalization,
    draw_rows,
    gather_rows,
    replica_count,
    scale_for_replicas,
    step_outputs,
)
from keras_genai.distribute.strategies import (
    STRATEGIES,
    cluster_spec,
    is_chief,
    make_strategy,
    shard_by_data,
    split_cpu,
    strategy_scope,
)
