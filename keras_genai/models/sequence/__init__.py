"""Sequence models: autoregressive forecasters of time series."""
