"""`python -m benchmarks`: every engine does the same work (checked on small sizes, never timed)."""

from __future__ import annotations

import gc
import importlib.util
import json
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks import workloads as w

ROOT = Path(__file__).resolve().parents[2]


def run_module(module: str, *args: str) -> str:
    """`python -m module args...` from the project's root; its standard output."""
    done = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    return done.stdout


@pytest.mark.parametrize(
    ("name", "numpy_run", "glassgrad_runs"),
    [
        (
            "xor",
            lambda: w.xor_blog_numpy(steps=50),
            [lambda: w.xor_numpy(steps=50), lambda: w.xor_glassgrad(steps=50), lambda: w.xor_leanest_engine(steps=50)],
        ),
        (
            "tiny_op",
            lambda: w.tiny_ops_numpy(ops=50, repeats=2),
            [lambda: w.tiny_ops_glassgrad(ops=50, repeats=2), lambda: w.tiny_ops_leanest_engine(ops=50, repeats=2)],
        ),
        (
            "chain",
            lambda: w.chain_numpy(length=2_000),
            [
                lambda: w.chain_glassgrad(length=2_000),
                lambda: w.chain_glassgrad(length=2_000, collector_off=True),
                lambda: w.chain_leanest_engine(length=2_000),
            ],
        ),
        ("mlp", lambda: w.mlp_numpy(steps=2), [lambda: w.mlp_glassgrad(steps=2)]),
        (
            "small_mlp",
            lambda: w.mlp_numpy(steps=5, shape="small_mlp"),
            [lambda: w.mlp_glassgrad(steps=5, shape="small_mlp")],
        ),
    ],
)
def test_numpy_and_glassgrad_versions_of_a_workload_reach_the_same_final_loss(name, numpy_run, glassgrad_runs):
    seconds, expected = numpy_run()
    assert seconds > 0
    for run in glassgrad_runs:
        assert run()[1] == pytest.approx(expected, rel=1e-9, abs=1e-12), name


def test_leanest_engine_yardstick_gives_glassgrads_gradients_also_where_a_value_is_used_twice():
    from autograd import Tensor
    from benchmarks.leanest import Value

    rng = np.random.default_rng(3)
    x, w_, b = rng.normal(size=(4, 2)), rng.normal(size=(2, 3)), rng.normal(size=3)
    lean = [Value(x), Value(w_), Value(b)]
    ours = [Tensor(v, requires_grad=True) for v in (x, w_, b)]
    for X, W, B in (lean, ours):
        h = (X @ W + B).relu()
        (0.5 * ((h - h.reshape(4, 3) ** 2) ** 2).sum()).backward()  # h reaches the loss by two paths
    for a, b_ in zip(lean, ours):
        np.testing.assert_allclose(a.grad, b_.grad.data, rtol=1e-12)


def test_pausing_the_collector_in_the_chain_workload_turns_it_back_on():
    w.chain_glassgrad(length=100, collector_off=True)
    assert gc.isenabled()


def test_to_dot_workload_draws_the_number_of_nodes_it_asks_for():
    assert w.to_dot_glassgrad(nodes=202)[1] == 202  # x and factor, then 100 (operation, value) pairs


def test_timing_gives_page_faults_per_step_and_divides_time_and_faults_by_the_operations_in_a_step(monkeypatch):
    readings = iter([1_000, 1_600])  # the page-fault counter before and after the timed loop
    monkeypatch.setattr(w, "minor_page_faults", lambda: next(readings))
    steps = []
    seconds, loss = w.timed(lambda: steps.append(1) or 2.5, 3, per=2)
    assert len(steps) == 4 and loss == 2.5  # one warm-up step, then the three timed
    assert w.page_faults_per_step == 100  # 600 faults over 3 steps of 2 operations
    assert seconds > 0


FRESH_MEMORY_STEP = """
import numpy as np
from benchmarks import workloads as w
w.timed(lambda: sum(a.sum() for a in [np.ones(65_536) for _ in range(3)]), 5)  # three 512 KB arrays at once
print(w.page_faults_per_step)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the malloc settings are glibc's")
def test_keeping_freed_memory_takes_away_the_page_faults_of_big_temporary_arrays():
    from benchmarks.__main__ import environment

    def faults_per_step(keep_freed_memory: bool) -> float:
        env = environment(threads=1, keep_freed_memory=keep_freed_memory)
        command = [sys.executable, "-c", FRESH_MEMORY_STEP]
        return float(subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout)

    # By default glibc hands the 1.5 MB back to the kernel after each step and faults it in again
    # (4 KB pages: about 350 faults; too little for a 2 MB huge page); kept, the memory is reused.
    assert faults_per_step(keep_freed_memory=False) > 50
    assert faults_per_step(keep_freed_memory=True) < 1


def test_round_by_round_ratio_pairs_each_round_with_numpys_and_skips_failed_rounds():
    from benchmarks.__main__ import paired_ratio

    numpy_rounds = [{"seconds": 1.0}, {"seconds": 2.0}, {"seconds": 4.0}, {"seconds": 1.0}]
    engine_rounds = [{"seconds": 3.0}, {"seconds": 6.0}, {"error": "failed"}, {"seconds": 2.0}]
    assert paired_ratio(engine_rounds, numpy_rounds) == "3.00x"  # the median of 3, 3 and 2
    assert paired_ratio([{"error": "failed"}], numpy_rounds) == "—"


def test_command_line_prints_a_table_with_medians_spread_and_ratios_to_numpy():
    output = run_module("benchmarks", "--only", "tiny_op", "--rounds", "1")
    rows = [line for line in output.splitlines() if line.startswith("| tiny_op |")]
    assert rows[0].startswith("| tiny_op | numpy |") and "| 1.00x |" in rows[0]
    fastest, slowest = rows[1].split("|")[4].split("–")  # one round: the fastest is the slowest
    assert float(fastest) == float(slowest) > 0
    assert rows[1].startswith("| tiny_op | glassgrad |") and "µs/op" in rows[1]
    ratio, round_by_round = rows[1].split("|")[5:7]
    assert ratio == round_by_round  # one round: the ratio of medians is that round's ratio
    assert rows[0].split("|")[-2] == rows[1].split("|")[-2]  # the same final loss
    header = next(line for line in output.splitlines() if line.startswith("| workload |"))
    assert header.split("|")[-3].strip() == "page faults per step"
    assert float(rows[1].split("|")[-3]) >= 0


def run_peer(engine: str, workload: str) -> subprocess.CompletedProcess:
    """`python benchmarks/peers.py ENGINE WORKLOAD` in this interpreter."""
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "peers.py"), engine, workload], capture_output=True, text=True
    )


@pytest.mark.parametrize("engine", ["mygrad", "dezero"])
@pytest.mark.parametrize("workload", ["xor", "tiny_op", "small_mlp"])
def test_a_peer_reaches_the_same_final_loss_as_glassgrad(engine, workload):
    if importlib.util.find_spec(engine) is None:
        pytest.skip(f"{engine} is a peer, not a dependency")
    done = run_peer(engine, workload)
    assert done.returncode == 0, done.stderr
    peer = json.loads(done.stdout.strip().splitlines()[-1])
    glassgrad = w.WORKLOADS[workload]["glassgrad"]
    assert np.isclose(peer["loss"], glassgrad()[1], rtol=1e-9)


@pytest.mark.parametrize("engine", ["torch", "mygrad", "micrograd", "dezero"])
def test_a_peer_is_found_exactly_when_it_is_installed(engine):
    installed = importlib.util.find_spec(engine) is not None
    assert (run_peer(engine, "available").returncode == 0) == installed


def test_cost_breakdown_has_a_row_for_each_part_of_an_operation_and_leaves_the_collector_on():
    from benchmarks import costs

    rows = costs.measure(length=2_000, rounds=1)
    assert [name for name, _ in rows[:5]] == [
        "numpy alone: x * c",
        "glassgrad forward, nothing recorded (no_grad)",
        "glassgrad forward, node recorded",
        "glassgrad backward, one chain-rule step (numpy's g * c included)",
        "freeing one recorded operation",
    ]
    assert rows[-2][0] == "Python's garbage collector while a 2,000-op graph is built"
    assert all(microseconds > 0 for _, microseconds in rows[:-2])  # the collector's share may be about 0
    assert gc.isenabled()


def test_cost_breakdown_command_prints_its_table():
    output = run_module("benchmarks.costs", "--length", "1000", "--rounds", "1")
    assert output.startswith("| where the time of one operation goes | µs per operation |")
    assert output.count("\n| ") == 9  # nine rows under the header


def test_instruction_count_is_read_from_valgrinds_summary_line():
    from benchmarks.instructions import collected

    assert collected("==41== Events    : Ir\n==41== Collected : 123456789\n==41==\n") == 123456789
    with pytest.raises(RuntimeError, match="no instruction count"):
        collected("valgrind: command not found")


def test_cache_misses_and_mispredicted_branches_are_read_from_valgrinds_summary():
    from benchmarks.instructions import simulated

    summary = (
        "==2806== I1  misses:     11,739,873\n"
        "==2806== D1  misses:      8,690,829  (  6,800,037 rd +   1,890,792 wr)\n"
        "==2806== Mispredicts:    13,376,311  (  7,832,701 cond +   5,543,610 ind)\n"
    )
    assert simulated(summary) == {
        "L1 instruction misses": 11_739_873,
        "L1 data misses": 8_690_829,  # reads and writes
        "mispredicted branches": 13_376_311,
    }
    with pytest.raises(RuntimeError, match="no count of L1 instruction misses"):
        simulated("==41== Collected : 123456789\n")  # counted without --cache


def test_cache_simulation_is_refused_for_single_expressions():
    command = [sys.executable, "-m", "benchmarks.instructions", "--cache", "--expr", "A + b1"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 2 and "--cache counts whole workloads, not --expr expressions" in done.stderr


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind counts the instructions; not a dependency")
def test_cache_simulation_counts_misses_alongside_the_instructions():
    from benchmarks.instructions import count

    counts = count("xor", "numpy", 5, cache=True)
    assert list(counts) == ["instructions", "L1 instruction misses", "L1 data misses", "mispredicted branches"]
    assert counts["instructions"] > 10_000_000  # the interpreter's start-up and numpy's import included
    assert all(0 < counts[event] < counts["instructions"] / 10 for event in list(counts)[1:])


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind counts the instructions; not a dependency")
def test_instruction_count_per_step_repeats_within_a_percent():
    from benchmarks.instructions import per_unit

    # n = 20 steps: what varies between runs (a few thousand instructions) is spread over them
    first, second = per_unit("xor", "numpy", 20), per_unit("xor", "numpy", 20)
    assert first > 10_000  # a step of the blog's numpy loop: a few dozen numpy calls
    assert abs(first - second) < 0.01 * first


def test_expression_context_holds_the_xor_step_and_its_arrays():
    from benchmarks.instructions import XOR_CONTEXT

    names: dict = {}
    exec(XOR_CONTEXT, names)
    assert names["loss"].op == "Mul" and names["sq"].op == "Pow"
    assert names["np_A"] is names["A"].data and names["np_W1"] is names["W1"].data
    assert not any(name.startswith("np_np_") for name in names)


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind counts the instructions; not a dependency")
def test_instruction_count_of_an_expression_is_what_one_evaluation_costs():
    from benchmarks.instructions import per_evaluation

    # n = 1,000: what varies between runs (a few thousand instructions) is spread over them.
    # NOTE: a reduction, not `np_A + np_b1`: the cost of numpy's broadcasting + depends on where in
    # memory its result lands, which shifts with the environment's size (3% under pytest in one venv).
    once, twice = per_evaluation("np_A.sum()", 1000), per_evaluation("np_A.sum(); np_A.sum()", 1000)
    assert 2_000 < once < 30_000  # numpy's own sum of a small array: a few thousand instructions
    assert abs(twice - 2 * once) < 0.01 * twice
