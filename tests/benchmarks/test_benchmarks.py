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
            [lambda: w.xor_numpy(steps=50), lambda: w.xor_glassgrad(steps=50)],
        ),
        (
            "tiny_op",
            lambda: w.tiny_ops_numpy(ops=50, repeats=2),
            [lambda: w.tiny_ops_glassgrad(ops=50, repeats=2)],
        ),
        (
            "chain",
            lambda: w.chain_numpy(length=2_000),
            [
                lambda: w.chain_glassgrad(length=2_000),
                lambda: w.chain_glassgrad(length=2_000, collector_off=True),
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


@pytest.mark.skipif(shutil.which("setarch") is None, reason="setarch is Linux's (util-linux)")
def test_fixed_layout_runs_each_measurement_without_address_randomisation(monkeypatch):
    from benchmarks import __main__ as harness

    seen = []
    monkeypatch.setattr(harness.subprocess, "run", lambda command, **kw: seen.append(command) or _done('{"x": 1}'))
    harness.run_json(["python", "-c", "pass"], {"GLASSGRAD_BENCH_FIXED_LAYOUT": "1"})
    harness.run_json(["python", "-c", "pass"], {})
    assert seen == [["setarch", "-R", "python", "-c", "pass"], ["python", "-c", "pass"]]
    monkeypatch.undo()
    # and setarch -R really turns randomisation off for the measured process and its children
    check = "print(open('/proc/self/personality').read().strip())"
    personality = subprocess.run(["setarch", "-R", sys.executable, "-c", check], capture_output=True, text=True)
    if personality.returncode == 0:
        assert int(personality.stdout, 16) & 0x0040000  # ADDR_NO_RANDOMIZE


def _done(stdout: str) -> subprocess.CompletedProcess:
    return subprocess.CompletedProcess([], 0, stdout=stdout, stderr="")


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
