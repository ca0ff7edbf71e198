"""tf.distribute equivalence of every base, for the README: `keras_genai.testing.distribute_check`
on 2 logical CPU devices (MirroredStrategy) and on 2 worker processes on localhost
(MultiWorkerMirroredStrategy), each against one device with the same global batch.

    python -m tools.bench.distribute_equivalence --out tools/results/distribute_equivalence.json
"""

import argparse
import sys
import time

from tools.record import command, write_json

STRATEGIES = {
    "MirroredStrategy, 2 logical CPU devices": ["--strategy", "mirrored", "--cpu-devices", "2"],
    "MultiWorkerMirroredStrategy, 2 workers on localhost": ["--strategy", "multi_worker", "--local-workers", "2"],
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    from keras_genai.testing.distribute_check import CASES, GLOBAL_BATCH, STEPS, run_check

    runs = []
    for name, strategy_args in STRATEGIES.items():
        start = time.time()
        completed, by_case = run_check(strategy_args)
        results = list(by_case.values())
        if completed.returncode and not results:
            sys.exit(f"{name}: the check failed:\n{completed.stderr[-3000:]}")
        runs.append({"strategy": name, "arguments": strategy_args, "exit_code": completed.returncode,
                     "seconds": round(time.time() - start, 1), "cases": results})
    write_json(args.out, {
        "command": command(__spec__, argv), "global_batch": GLOBAL_BATCH, "steps": STEPS,
        "cases": {case: {"model": spec[0], "overrides": spec[1], "dtype_policy": spec[2], "tolerance": spec[3]}
                  for case, spec in CASES.items()},
        "runs": runs,
    })
    return max(run["exit_code"] for run in runs)


if __name__ == "__main__":
    sys.exit(main())
