"""Run one workload with one engine in this process and print the result as JSON.

`python -m benchmarks.run_one WORKLOAD ENGINE`: the runner starts one such process per
measurement, so each engine gets a fresh interpreter and its own peak-memory reading.
"""

from __future__ import annotations

import json
import resource
import sys


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main(argv: list[str]) -> None:
    workload, engine = argv
    from benchmarks import workloads

    run = workloads.WORKLOADS[workload][engine]
    if engine.startswith("glassgrad"):
        import autograd  # noqa: F401  (imported before the baseline: memory is the workload's only)
        import nn  # noqa: F401
    before = peak_rss_mb()
    seconds, loss = run()
    peak_mb = peak_rss_mb() - before
    print(
        json.dumps(
            {"seconds": seconds, "loss": loss, "peak_mb": peak_mb, "page_faults": workloads.page_faults_per_step}
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
