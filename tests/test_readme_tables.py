"""The README's result tables are rendered from tools/results, never typed."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_readme_tables_match_the_bench_json():
    result = subprocess.run([sys.executable, "-m", "tools.bench.render_readme", "--check"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, (
        "README.md differs from the tables rendered from tools/results/bench/*.json; "
        "run `python -m tools.bench.render_readme`. " + result.stderr)
