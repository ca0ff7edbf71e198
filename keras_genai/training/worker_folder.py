import os
import shutil
import tempfile


class WorkerFolder:
    """Where a worker that is not the chief of a `MultiWorkerMirroredStrategy` cluster writes.

    Every worker must run the same callbacks (saving a model reads variables
    that are reduced across workers), but only the chief may write the run
    folder; the others write the same files into a temporary folder, as
    TensorFlow's multi-worker guide does, removed by `remove()` when training
    ends. To resume, a worker copies the chief's `config.json` and backups
    first (all workers read the same backup, so they resume the same step;
    on several machines `--out` must be on a shared file system, or hold a copy
    of the chief's backup).

    `path` is None on the chief and with no strategy or one machine: the run
    folder is then the one given.
    """

    def __init__(self, strategy, out, resume=False):
        from keras_genai.distribute import is_chief

        self.path = None
        if strategy is None or is_chief(strategy):
            return
        task = strategy.cluster_resolver.task_id
        self.path = tempfile.mkdtemp(prefix=f"keras-genai-worker{task}-")
        if resume:
            if not os.path.exists(os.path.join(out, "config.json")):
                self.remove()
                raise FileNotFoundError(
                    f"Cannot resume on worker {task}: {os.path.join(out, 'config.json')!r} does not exist; "
                    "--out must be the chief's run folder, readable from every worker.")
            shutil.copy2(os.path.join(out, "config.json"), self.path)
            if os.path.isdir(os.path.join(out, "backup")):
                shutil.copytree(os.path.join(out, "backup"), os.path.join(self.path, "backup"))

    def remove(self):
        if self.path:
            shutil.rmtree(self.path, ignore_errors=True)
