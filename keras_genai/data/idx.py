"""Reader for the IDX files that MNIST and Fashion-MNIST ship in."""

import gzip
import os

import numpy as np

# IDX type codes (third byte of the magic number) -> numpy dtype.
_IDX_DTYPES = {
    0x08: np.uint8,
    0x09: np.int8,
    0x0B: ">i2",
    0x0C: ">i4",
    0x0D: ">f4",
    0x0E: ">f8",
}


def read_idx(path):
    """Reads an IDX file (optionally gzip-compressed) into a numpy array.

    Args:
        path: str. Path to a `*-idx?-ubyte` or `*-idx?-ubyte.gz` file.

    Returns:
        A numpy array with the shape stored in the file header.
    """
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as e:
        raise ValueError(
            f"Could not read IDX file {path!r}: {e}. Expected an IDX file "
            "such as 'train-images-idx3-ubyte.gz'."
        ) from e
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(
            f"{path!r} is not an IDX file: its header starts with "
            f"{data[:4]!r}, expected two zero bytes, a type code and the "
            "number of dimensions."
        )
    type_code, ndim = data[2], data[3]
    if type_code not in _IDX_DTYPES:
        raise ValueError(
            f"{path!r} has unknown IDX type code {type_code:#x}. Expected "
            f"one of {sorted(hex(c) for c in _IDX_DTYPES)}."
        )
    header_end = 4 + 4 * ndim
    shape = tuple(
        int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)
    )
    dtype = np.dtype(_IDX_DTYPES[type_code])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(data) - header_end != expected:
        raise ValueError(
            f"{path!r} is truncated or corrupt: header says shape {shape} "
            f"({expected} bytes of data), the file holds "
            f"{len(data) - header_end} bytes."
        )
    array = np.frombuffer(data, dtype=dtype, offset=header_end)
    return array.reshape(shape).astype(dtype.newbyteorder("="))


def find_idx_files(directory, split):
    """Returns (images_path, labels_path) for `split` in `directory`, or None.

    Accepts the standard names (`train-images-idx3-ubyte[.gz]`,
    `t10k-images-idx3-ubyte[.gz]` and the matching label files).
    """
    prefix = {"train": "train", "test": "t10k"}[split]
    found = []
    for kind, ndim in (("images", 3), ("labels", 1)):
        for suffix in (".gz", ""):
            path = os.path.join(directory, f"{prefix}-{kind}-idx{ndim}-ubyte{suffix}")
            if os.path.exists(path):
                found.append(path)
                break
        else:
            return None
    return tuple(found)
