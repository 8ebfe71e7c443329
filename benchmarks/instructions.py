"""`python -m benchmarks.instructions`: instructions executed per step, counted by valgrind.

On a shared machine the time of one step moves by 30% and more between runs; the number of
instructions it executes does not (one BLAS thread, a fixed hash seed, no address-space
randomisation), so two versions of the code can be compared exactly, in any weather. Each
workload runs `n` and `2n` steps under `valgrind --tool=callgrind`; the difference divided by
`n` is what one step costs, without the interpreter's start-up and imports.

With `--expr`, it counts single expressions instead (each evaluated n and 2n times in a loop,
less the loop's own cost), in a context that holds the blog's XOR step: its tensors `X, Y, W1,
b1, W2, b2`, the values of the forward pass `A = X @ W1`, `A2 = A + b1`, `O1 = A2.relu()`,
`Z = O1 @ W2`, `Z2 = Z + b2`, `y = Z2.reshape(-1)`, `d = y - Y`, `sq = d ** 2`, `s = sq.sum()`,
`loss = 0.5 * s`, the numpy arrays of each as `np_<name>` (`np_A + np_b1` is numpy's own `+`), and
`np` and `autograd`:

    python -m benchmarks.instructions --expr "A + b1" "np_A + np_b1" "loss.backward(retain_graph=True)"

Instructions are not time: an instruction that waits for memory, or follows a mispredicted
branch, costs many times one that does not. With `--cache`, valgrind also simulates the
processor's first-level caches and branch predictor (about three times slower) and the table
adds the misses of each per step: where an engine's time ratio to numpy comes out above its
instruction ratio, these say why. Needs valgrind (`apt install valgrind`); not a dependency.
"""

from __future__ import annotations

import argparse
import functools
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
    "small_mlp": ("steps", 1, "step"),
}


def collected(output: str) -> int:
    """The total from callgrind's summary line, e.g. `==123== Collected : 4567890`."""
    match = re.search(r"Collected\s*:\s*(\d+)", output)
    if match is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{output[-2000:]}")
    return int(match.group(1))


# The names an expression given to --expr can use (see the module's docstring).
XOR_CONTEXT = """
import numpy as np
import autograd
from autograd import Tensor
from benchmarks.workloads import XOR_X, XOR_Y, xor_parameters

W1, b1, W2, b2 = [Tensor(p, requires_grad=True) for p in xor_parameters()]
X, Y = Tensor(XOR_X), Tensor(XOR_Y)
A = X @ W1; A2 = A + b1; O1 = A2.relu(); Z = O1 @ W2; Z2 = Z + b2
y = Z2.reshape(-1); d = y - Y; sq = d ** 2; s = sq.sum(); loss = 0.5 * s
for _name, _value in list(globals().items()):
    if isinstance(_value, Tensor):
        globals()["np_" + _name] = _value.data
"""


# What `--cache` adds to the count, as valgrind's summary names each (a total before any "(").
SIMULATED: dict[str, str] = {
    "L1 instruction misses": "I1  misses",
    "L1 data misses": "D1  misses",
    "mispredicted branches": "Mispredicts",
}


def simulated(output: str) -> dict[str, int]:
    """The cache misses and mispredicted branches from valgrind's summary, e.g. `==1== D1  misses: 8,690,829`."""
    counts = {}
    for event, label in SIMULATED.items():
        match = re.search(rf"{label}:\s*([\d,]+)", output)
        if match is None:
            raise RuntimeError(f"no count of {event} in valgrind's output (no --cache-sim?):\n{output[-2000:]}")
        counts[event] = int(match.group(1).replace(",", ""))
    return counts


def count(workload: str, engine: str, n: int, cache: bool = False) -> dict[str, int]:
    """What a fresh interpreter that runs `engine`'s `workload` n times executes: instructions, and
    with `cache` the simulated cache misses and mispredicted branches."""
    parameter = SIZES[workload][0]
    run = f"WORKLOADS[{workload!r}][{engine!r}]({parameter}={n})"
    output = valgrind_output(f"from benchmarks.workloads import WORKLOADS\n{run}", cache)
    return {"instructions": collected(output), **(simulated(output) if cache else {})}


def per_evaluation(expression: str, n: int) -> float:
    """Instructions of one evaluation of `expression` in the XOR context, from loops of n and 2n."""
    return _loop_cost(expression, n) - _loop_cost("pass", n)  # less the loop's own cost


@functools.cache  # the empty loop's cost is subtracted from every expression's
def _loop_cost(expression: str, n: int) -> float:
    """Instructions of one pass of a loop whose body is `expression`, in the XOR context."""

    def loop(times: int) -> int:
        return count_code(f"{XOR_CONTEXT}\nfor _ in range({times}):\n    {expression}\n")

    return (loop(2 * n) - loop(n)) / n


def count_code(code: str) -> int:
    """Instructions executed by a fresh interpreter that runs `code`."""
    return collected(valgrind_output(code))


def valgrind_output(code: str, cache: bool = False) -> str:
    """What callgrind prints about a fresh interpreter that runs `code` (its summary is on stderr)."""
    # One BLAS thread: idle BLAS threads spin, and their instructions would be counted.
    environment = dict(one_run_environment(threads=1), PYTHONHASHSEED="0")
    simulation = ["--cache-sim=yes", "--branch-sim=yes"] if cache else []
    command = ["valgrind", "--tool=callgrind", *simulation, "--callgrind-out-file=/dev/null"]
    command += [sys.executable, "-c", code]
    if shutil.which("setarch"):
        command = ["setarch", "-R", *command]  # the same memory layout every run
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"this code failed under valgrind:\n{code}\n{done.stderr[-2000:]}")
    return done.stderr


def per_unit(workload: str, engine: str, n: int) -> float:
    """Instructions of one step (or one operation), from runs of n and 2n."""
    return per_unit_counts(workload, engine, n)["instructions"]


def per_unit_counts(workload: str, engine: str, n: int, cache: bool = False) -> dict[str, float]:
    """`count`'s figures for one step (or one operation), from runs of n and 2n."""
    units = SIZES[workload][1]
    once, twice = count(workload, engine, n, cache), count(workload, engine, 2 * n, cache)
    return {event: (twice[event] - once[event]) / (n * units) for event in once}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workloads", nargs="*", help=f"any of {', '.join(SIZES)} (default: xor tiny_op)")
    parser.add_argument("--expr", nargs="+", metavar="EXPRESSION", help="count these expressions instead (see above)")
    parser.add_argument(
        "--n",
        type=int,
        default=100,
        help="steps (xor, mlp, small_mlp); tiny_op runs n/20 chains of 1,000 ops, chain_100k n*500 ops",
    )
    parser.add_argument(
        "--cache",
        action="store_true",
        help="also simulate the caches and branch predictor: misses per step (workloads only)",
    )
    args = parser.parse_args()
    unknown = sorted(set(args.workloads) - set(SIZES))
    if unknown:  # (argparse's `choices` refuses an empty list of positional arguments in Python 3.11)
        parser.error(f"unknown workloads {unknown}: choose from {', '.join(SIZES)}")
    if args.cache and args.expr:
        parser.error("--cache counts whole workloads, not --expr expressions")
    if shutil.which("valgrind") is None:
        sys.exit("benchmarks.instructions needs valgrind (e.g. apt install valgrind)")
    if args.expr:
        print("| expression | instructions |")
        print("|---|---|")
        for expression in args.expr:
            print(f"| `{expression}` | {per_evaluation(expression, args.n):,.0f} |", flush=True)
        return

    simulated_events = list(SIMULATED) if args.cache else []
    print("| workload | engine | instructions | ratio to numpy |" + "".join(f" {e} |" for e in simulated_events))
    print("|---|---|---|---|" + "---|" * len(simulated_events))
    for workload in args.workloads or ["xor", "tiny_op"]:
        unit = SIZES[workload][2]
        n = {"tiny_op": max(1, args.n // 20), "chain_100k": args.n * 500}.get(workload, args.n)
        baseline = None
        for engine in WORKLOADS[workload]:
            if engine.startswith("glassgrad_"):
                continue  # variants of the glassgrad run (the collector switched off)
            counts = per_unit_counts(workload, engine, n, args.cache)
            instructions = counts["instructions"]
            baseline = baseline or (instructions if engine == "numpy" else None)
            ratio = f"{instructions / baseline:.2f}x" if baseline else "—"
            misses = "".join(f" {counts[event]:,.0f} |" for event in simulated_events)
            print(f"| {workload} | {engine} | {instructions:,.0f} per {unit} | {ratio} |{misses}", flush=True)


if __name__ == "__main__":
    main()
