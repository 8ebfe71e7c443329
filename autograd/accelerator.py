"""`autograd.accelerator`, for code written for PyTorch that looks for a GPU or other accelerator
(`torch.accelerator.is_available()`): there is none here."""

from __future__ import annotations


def is_available() -> bool:
    """False: glassgrad computes with numpy, on the CPU."""
    return False


def current_accelerator() -> None:
    """None, as PyTorch answers when there is no accelerator."""
    return None


def device_count() -> int:
    return 0
