"""`python -m benchmarks.instructions`: instructions executed per step, counted by valgrind.

On a shared machine the time of one step moves by 30% and more between runs; the number of
instructions it executes does not (one BLAS thread, a fixed hash seed, no address-space
randomisation), so two versions of the code can be compared exactly, in any weather. Each
workload runs `n` and `2n` steps under `valgrind --tool=callgrind`; the difference divided by
`n` is what one step costs, without the interpreter's start-up and imports.

Instructions are not time: numpy's C loops retire more instructions per nanosecond than the
Python interpreter does, so an engine's time ratio to numpy comes out a little above its
instruction ratio. Needs valgrind (`apt install valgrind`); not a dependency.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.__main__ import environment as one_run_environment
from benchmarks.workloads import WORKLOADS

ROOT = Path(__file__).resolve().parents[1]

# How each workload is made to run n times, and how many units (steps, operations) one run is.
SIZES: dict[str, tuple[str, int, str]] = {
    "xor": ("steps", 1, "step"),
    "tiny_op": ("repeats", 1000, "op"),  # each repeat is a chain of 1,000 operations
    "chain_100k": ("length", 1, "op"),  # one chain of n operations, forward and backward
    "mlp": ("steps", 1, "step"),
}


def collected(output: str) -> int:
    """The total from callgrind's summary line, e.g. `==123== Collected : 4567890`."""
    match = re.search(r"Collected\s*:\s*(\d+)", output)
    if match is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{output[-2000:]}")
    return int(match.group(1))


def count(workload: str, engine: str, n: int) -> int:
    """Instructions executed by a fresh interpreter that runs `engine`'s `workload` n times."""
    parameter = SIZES[workload][0]
    code = f"from benchmarks.workloads import WORKLOADS; WORKLOADS[{workload!r}][{engine!r}]({parameter}={n})"
    # One BLAS thread: idle BLAS threads spin, and their instructions would be counted.
    environment = dict(one_run_environment(threads=1), PYTHONHASHSEED="0")
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code]
    if shutil.which("setarch"):
        command = ["setarch", "-R", *command]  # the same memory layout every run
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{workload} / {engine} failed:\n{done.stderr[-2000:]}")
    return collected(done.stderr)


def per_unit(workload: str, engine: str, n: int) -> float:
    """Instructions of one step (or one operation), from runs of n and 2n."""
    units = SIZES[workload][1]
    return (count(workload, engine, 2 * n) - count(workload, engine, n)) / (n * units)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workloads", nargs="*", default=["xor", "tiny_op"], choices=sorted(SIZES))
    parser.add_argument(
        "--n",
        type=int,
        default=100,
        help="steps (xor, mlp); tiny_op runs n/20 chains of 1,000 ops, chain_100k n*500 ops",
    )
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("benchmarks.instructions needs valgrind (e.g. apt install valgrind)")

    print("| workload | engine | instructions | ratio to numpy |")
    print("|---|---|---|---|")
    for workload in args.workloads:
        unit = SIZES[workload][2]
        n = {"tiny_op": max(1, args.n // 20), "chain_100k": args.n * 500}.get(workload, args.n)
        baseline = None
        for engine in WORKLOADS[workload]:
            if engine.startswith("glassgrad_"):
                continue  # variants of the glassgrad run (the collector switched off)
            instructions = per_unit(workload, engine, n)
            baseline = baseline or (instructions if engine == "numpy" else None)
            ratio = f"{instructions / baseline:.2f}x" if baseline else "—"
            print(f"| {workload} | {engine} | {instructions:,.0f} per {unit} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
