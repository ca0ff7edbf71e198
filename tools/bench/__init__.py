"""Lasting benchmarks: the bench harness (`bench.py`), every tool it runs, and the README renderer."""
