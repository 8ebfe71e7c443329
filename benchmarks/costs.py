"""`python -m benchmarks.costs`: where the time of one operation goes.

The tiny-op workload (`y = y * c` on 8 float64 numbers, then backward) taken apart: the numpy
call alone, glassgrad's forward without and with a recorded node, one chain-rule step, freeing
the node, and what Python's cyclic garbage collector adds while a long graph is built. Two rows
of plain Python give the scale: no engine written in Python can spend less than a few of those
per operation. Each figure is the best of `--rounds` rounds, in µs per operation.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable

import numpy as np


def per_operation(run: Callable[[], object], operations: int) -> float:
    """µs per operation of one call of `run`, which does `operations` operations (collector off)."""
    collector_was_on = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        run()
        return (time.perf_counter() - start) / operations * 1e6
    finally:
        if collector_was_on:
            gc.enable()


def chain_costs(length: int, collector_on: bool) -> tuple[float, float, float]:
    """Forward, backward and freeing of a `length`-op chain, in µs per operation."""
    from autograd import Tensor

    factor = Tensor(np.full(8, 1.000001))
    x = Tensor(np.ones(8), requires_grad=True)
    gc.collect()
    if not collector_on:
        gc.disable()
    try:
        start = time.perf_counter()
        y = x
        for _ in range(length):
            y = y * factor
        built = time.perf_counter()
        gc.disable()  # backward pauses the collector itself; freeing is measured without it
        y.backward(np.ones(8))
        done = time.perf_counter()
        del y
        freed = time.perf_counter()
    finally:
        gc.enable()
    return (built - start) / length * 1e6, (done - built) / length * 1e6, (freed - done) / length * 1e6


class _Link:
    """The least a graph can keep per operation: one object holding the result and its input."""

    __slots__ = ("data", "previous")

    def __init__(self, data: np.ndarray, previous: _Link | None) -> None:
        self.data, self.previous = data, previous


def plain_chain_seconds(length: int, collector_on: bool) -> float:
    """µs per operation to build a chain of `_Link`s doing numpy's x * c: no engine at all."""
    factor, link = np.full(8, 1.000001), _Link(np.ones(8), None)
    gc.collect()
    if not collector_on:
        gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(length):
            link = _Link(link.data * factor, link)
        seconds = time.perf_counter() - start
    finally:
        gc.enable()
    del link
    return seconds / length * 1e6


class _EightAttributes:
    __slots__ = ("a", "b", "c", "d", "e", "f", "g", "h")

    def __init__(self) -> None:
        self.a = self.b = self.c = self.d = self.e = self.f = self.g = self.h = None


def _nothing() -> None:
    return None


def measure(length: int = 100_000, rounds: int = 20) -> list[tuple[str, float]]:
    """The rows of the table: (what, µs per operation), each the best of `rounds` interleaved rounds."""
    from autograd import Tensor, no_grad

    rng = np.random.default_rng(0)
    x_array, c_array = rng.normal(size=8), rng.uniform(0.9, 1.1, size=8)
    x, c = Tensor(x_array, requires_grad=True), Tensor(c_array)
    batch = 1_000

    def numpy_alone() -> None:
        for _ in range(batch):
            x_array * c_array

    def forward_without_graph() -> None:
        with no_grad():
            for _ in range(batch):
                x * c

    def python_calls() -> None:
        for _ in range(batch):
            _nothing()

    def python_objects() -> None:
        for _ in range(batch):
            _EightAttributes()

    def engine_rows() -> list[float]:
        forward, backward, free = chain_costs(batch, collector_on=False)
        return [per_operation(numpy_alone, batch), per_operation(forward_without_graph, batch), forward, backward, free]

    def collector_rows() -> list[float]:
        return [
            chain_costs(length, collector_on=True)[0] - chain_costs(length, collector_on=False)[0],
            plain_chain_seconds(length, collector_on=True) - plain_chain_seconds(length, collector_on=False),
        ]

    def python_rows() -> list[float]:
        return [per_operation(python_calls, batch), per_operation(python_objects, batch)]

    # Rounds interleave every measurement, and each figure keeps its best round: on a busy machine
    # a slow moment then spoils one round of every row, not every round of one row.
    best: list[float] | None = None
    for round_number in range(rounds):
        figures = engine_rows() + python_rows()
        if round_number < max(rounds // 4, 1):  # the long chain takes a second: fewer rounds of it
            figures += collector_rows()
        best = figures if best is None else [min(old, new) for old, new in zip(best, figures)] + best[len(figures) :]
    names = [
        "numpy alone: x * c",
        "glassgrad forward, nothing recorded (no_grad)",
        "glassgrad forward, node recorded",
        "glassgrad backward, one chain-rule step (numpy's g * c included)",
        "freeing one recorded operation",
        "Python alone: calling a function that does nothing",
        "Python alone: creating an object with 8 attributes",
        f"Python's garbage collector while a {length:,}-op graph is built",
        "the same collector for a chain of plain objects, one kept per operation",
    ]
    return list(zip(names, best))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--length", type=int, default=100_000, help="operations in the chain the collector is measured on"
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds per figure (the best is kept)")
    args = parser.parse_args()
    print("| where the time of one operation goes | µs per operation |")
    print("|---|---|")
    for what, microseconds in measure(args.length, args.rounds):
        print(f"| {what} | {microseconds:.2f} |")


if __name__ == "__main__":
    main()
