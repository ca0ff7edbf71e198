"""File digests: which model.keras a record belongs to, or whether weights are the expected ones."""

import hashlib


def file_digest(path, algorithm="sha256"):
    """The hex digest of a file's bytes, read in 1 MiB blocks (e.g. which model.keras a result
    belongs to, or whether downloaded weights are the expected ones)."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_sha256(path):
    """`file_digest(path, "sha256")`."""
    return file_digest(path, "sha256")
