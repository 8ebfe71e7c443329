"""`autograd.cuda`, for code written for PyTorch that asks about a GPU: there is none here."""

from __future__ import annotations


def is_available() -> bool:
    """False: glassgrad computes with numpy, on the CPU."""
    return False


def device_count() -> int:
    return 0
