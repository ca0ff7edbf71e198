"""Errors raised by the data layer."""


class DatasetNotAvailableError(FileNotFoundError):
    """A dataset was asked for that is neither on disk nor prepared by tfds."""
