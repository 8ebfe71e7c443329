"""`python -m benchmarks`: every workload, every engine, interleaved rounds, a table of medians.

Each measurement runs in a fresh process with one BLAS thread unless `--threads` says otherwise.
Ratios are against hand-written numpy measured in the same run. Peers run when installed:
PyTorch, MyGrad, micrograd and DeZero in the interpreter given by `--peer-python` (this one by default),
HIPS autograd in the interpreter of its own virtual environment given by `--hips-python` (its
import name clashes with glassgrad's `autograd`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.workloads import WORKLOADS

UNITS = {
    "xor": ("µs/step", 1e6),
    "tiny_op": ("µs/op", 1e6),
    "chain_100k": ("s", 1.0),
    "chain_1m": ("s", 1.0),
    "mlp": ("ms/step", 1e3),
    "small_mlp": ("µs/step", 1e6),
    "to_dot": ("s", 1.0),
    "lenet": ("ms/step", 1e3),
    "lenet_f32": ("ms/step", 1e3),
    "lstm": ("ms/step", 1e3),
    "sort_transformer": ("ms/step", 1e3),
}
GLASSGRAD_ONLY = {"to_dot"}  # no numpy or peer equivalent


PEERS = ["torch", "mygrad", "micrograd", "hips", "dezero"]
PEERS_SCRIPT = Path(__file__).resolve().parent / "peers.py"


#: glibc's malloc settings under `--keep-freed-memory`: blocks of up to 32 MB (its largest
#: setting) come from the heap rather than from the kernel one by one, and freed memory is never
#: handed back, so a step reuses memory instead of faulting fresh pages in. Other C libraries
#: ignore these variables.
KEEP_FREED_MEMORY = {"MALLOC_MMAP_THRESHOLD_": str(32 * 1024 * 1024), "MALLOC_TRIM_THRESHOLD_": str(2**40)}


def environment(threads: int, keep_freed_memory: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = str(threads)
    if keep_freed_memory:
        env.update(KEEP_FREED_MEMORY)
    return env


#: Under `--fixed-layout` each measurement runs with the address-space layout randomisation of
#: Linux turned off for that process (`setarch -R`): with it on, where the heap and the libraries
#: land changes an engine's time per operation by up to half from one process to the next.
FIXED_LAYOUT = ["setarch", "-R"]


def run_json(command: list[str], env: dict[str, str], cwd: str | None = None) -> dict:
    if env.get("GLASSGRAD_BENCH_FIXED_LAYOUT"):
        command = [*FIXED_LAYOUT, *command]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(workload: str, engine: str, env: dict[str, str], pythons: dict[str, str]) -> dict:
    if engine in PEERS:
        # Run from a scratch folder so that `import autograd` cannot find glassgrad's package.
        with tempfile.TemporaryDirectory() as scratch:
            return run_json([pythons[engine], str(PEERS_SCRIPT), engine, workload], env, cwd=scratch)
    return run_json([sys.executable, "-m", "benchmarks.run_one", workload, engine], env)


def available_peers(pythons: dict[str, str]) -> list[str]:
    found = []
    with tempfile.TemporaryDirectory() as scratch:
        for engine in PEERS:
            python = pythons.get(engine)
            check = [python, str(PEERS_SCRIPT), engine, "available"]
            if python and subprocess.run(check, cwd=scratch, capture_output=True).returncode == 0:
                found.append(engine)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per measurement (median taken)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads for every engine")
    parser.add_argument("--only", nargs="*", default=None, help="workloads to run (default: all)")
    parser.add_argument(
        "--keep-freed-memory",
        action="store_true",
        help="run every engine with glibc's malloc keeping freed memory for reuse (no page faults for big arrays)",
    )
    parser.add_argument(
        "--fixed-layout",
        action="store_true",
        help="run each measurement with Linux's address-space randomisation off (setarch -R), for steadier figures",
    )
    parser.add_argument("--peer-python", default=sys.executable, help="interpreter with the other peers")
    parser.add_argument(
        "--hips-python",
        default=os.environ.get("GLASSGRAD_HIPS_PYTHON"),
        help="interpreter of a virtual environment with HIPS autograd",
    )
    args = parser.parse_args()

    pythons = {
        "torch": args.peer_python,
        "mygrad": args.peer_python,
        "micrograd": args.peer_python,
        "dezero": args.peer_python,
        "hips": args.hips_python,
    }
    peers = available_peers(pythons)
    print(f"peers found: {', '.join(peers) or 'none'}", file=sys.stderr)
    workloads = args.only or list(WORKLOADS)
    # Peers run every workload but glassgrad's own (to_dot); sort_transformer has no numpy floor.
    engines = {w: [*WORKLOADS[w], *(peers if w not in GLASSGRAD_ONLY else [])] for w in workloads}
    env = environment(args.threads, args.keep_freed_memory)
    if args.fixed_layout:
        if shutil.which(FIXED_LAYOUT[0]) is None:
            parser.error("--fixed-layout needs Linux's setarch (util-linux)")
        env["GLASSGRAD_BENCH_FIXED_LAYOUT"] = "1"
    results: dict[tuple[str, str], list[dict]] = {}
    for round_number in range(args.rounds):
        for workload in workloads:
            for engine in engines[workload]:
                result = measure(workload, engine, env, pythons)
                results.setdefault((workload, engine), []).append(result)
                print(f"round {round_number + 1}/{args.rounds} {workload:<11} {engine:<10} {result}", file=sys.stderr)

    print(
        "\n| workload | engine | median | fastest–slowest round | ratio to numpy | ratio, round by round "
        "| peak extra memory | page faults per step | final loss (to_dot: nodes) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for workload in workloads:
        unit, scale = UNITS[workload]
        baseline = None
        for engine in engines[workload]:
            runs = [r for r in results[(workload, engine)] if "error" not in r]
            if not runs:
                print(f"| {workload} | {engine} | {results[(workload, engine)][0]['error']} | | | | | | |")
                continue
            seconds = statistics.median(r["seconds"] for r in runs)
            spread = f"{min(r['seconds'] for r in runs) * scale:.3g}–{max(r['seconds'] for r in runs) * scale:.3g}"
            memory = statistics.median(r["peak_mb"] for r in runs)
            faults = statistics.median(r["page_faults"] for r in runs)
            if engine == "numpy":
                baseline = seconds
            ratio = f"{seconds / baseline:.2f}x" if baseline else "—"
            paired = paired_ratio(results[(workload, engine)], results.get((workload, "numpy"), []))
            print(
                f"| {workload} | {engine} | {seconds * scale:.3g} {unit} | {spread} | {ratio} | {paired} | "
                f"{memory:.1f} MB | {faults:,.1f} | {runs[-1]['loss']:.6g} |"
            )


def paired_ratio(runs: list[dict], numpy_runs: list[dict]) -> str:
    """Median over rounds of (this engine's time / numpy's time in the same round).

    The two were measured seconds apart, so a slow phase of a shared machine slows both:
    this ratio moves less between runs than the ratio of the two medians.
    """
    ratios = [
        run["seconds"] / base["seconds"]
        for run, base in zip(runs, numpy_runs)
        if "error" not in run and "error" not in base
    ]
    return f"{statistics.median(ratios):.2f}x" if ratios else "—"


if __name__ == "__main__":
    main()
