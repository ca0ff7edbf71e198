"""Errors raised by the data layer."""


class DatasetNotAvailableError(FileNotFoundError):
    """A dataset was asked for that is neither on disk nor prepared by tfds."""


class DataWarning(UserWarning):
    """Data was skipped or looks wrong, but training can go on (e.g. an empty class folder)."""
