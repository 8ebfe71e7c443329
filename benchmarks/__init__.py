"""Speed and memory measurements: python -m benchmarks."""
