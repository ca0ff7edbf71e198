"""Small helpers shared by the library's parts (no Keras or TensorFlow here)."""

from keras_genai.utils.atomic_files import (
    atomic_directory,
    atomic_path,
    atomic_write,
    is_temporary,
    pid_running,
    remove_temporaries,
    replace_directory,
    target_of,
    temporary_name,
    write_json,
)
from keras_genai.utils.digest import file_digest, file_sha256
