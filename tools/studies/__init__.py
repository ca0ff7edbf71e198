"""Finished investigations; each module's docstring names the doc page it supports."""
