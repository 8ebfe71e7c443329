"""`python -m benchmarks`: every workload, every engine, interleaved rounds, a table of medians.

Each measurement runs in a fresh process (`benchmarks.run_one`) with one BLAS thread unless
`--threads` says otherwise. Ratios are against hand-written numpy measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

from benchmarks.workloads import WORKLOADS

UNITS = {
    "xor": ("µs/step", 1e6),
    "tiny_op": ("µs/op", 1e6),
    "chain_100k": ("s", 1.0),
    "chain_1m": ("s", 1.0),
    "mlp": ("ms/step", 1e3),
}


def measure(workload: str, engine: str, threads: int) -> dict:
    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = str(threads)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run_one", workload, engine],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per measurement (median taken)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads for every engine")
    parser.add_argument("--only", nargs="*", default=None, help="workloads to run (default: all)")
    args = parser.parse_args()

    workloads = args.only or list(WORKLOADS)
    results: dict[tuple[str, str], list[dict]] = {}
    for round_number in range(args.rounds):
        for workload in workloads:
            for engine in WORKLOADS[workload]:
                result = measure(workload, engine, args.threads)
                results.setdefault((workload, engine), []).append(result)
                print(f"round {round_number + 1}/{args.rounds} {workload:<11} {engine:<10} {result}", file=sys.stderr)

    print("\n| workload | engine | median | ratio to numpy | peak extra memory | final loss |")
    print("|---|---|---|---|---|---|")
    for workload in workloads:
        unit, scale = UNITS[workload]
        baseline = None
        for engine in WORKLOADS[workload]:
            runs = [r for r in results[(workload, engine)] if "error" not in r]
            if not runs:
                print(f"| {workload} | {engine} | {results[(workload, engine)][0]['error']} | | | |")
                continue
            seconds = statistics.median(r["seconds"] for r in runs)
            memory = statistics.median(r["peak_mb"] for r in runs)
            if engine == "numpy":
                baseline = seconds
            ratio = f"{seconds / baseline:.2f}x" if baseline else "—"
            print(
                f"| {workload} | {engine} | {seconds * scale:.3g} {unit} | {ratio} | {memory:.1f} MB | "
                f"{runs[-1]['loss']:.6g} |"
            )


if __name__ == "__main__":
    main()
