"""The scripts behind the README's and docs' numbers, by role (see tools/README.md).

Run each as a module from the repository root, e.g. `python -m tools.bench.bench --help`:
`bench/` the lasting benchmarks, `reference/` checks against other implementations,
`studies/` finished investigations. Their JSON goes to `tools/results/`.
"""
