"""Creating tensors: `zeros`, `ones`, `zeros_like`, `ones_like`, `randn`, `linspace`, `arange`."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import ArrayLike, Tensor


def zeros(*shape: int, dtype: Any = np.float64, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros: `zeros(2, 3)` or `zeros((2, 3))`."""
    return Tensor(np.zeros(_shape(shape), dtype=dtype), requires_grad=requires_grad)


def ones(*shape: int, dtype: Any = np.float64, requires_grad: bool = False) -> Tensor:
    """A tensor of ones: `ones(2, 3)` or `ones((2, 3))`."""
    return Tensor(np.ones(_shape(shape), dtype=dtype), requires_grad=requires_grad)


def zeros_like(x: ArrayLike, requires_grad: bool = False) -> Tensor:
    return Tensor(np.zeros_like(np.asarray(x)), requires_grad=requires_grad)


def ones_like(x: ArrayLike, requires_grad: bool = False) -> Tensor:
    return Tensor(np.ones_like(np.asarray(x)), requires_grad=requires_grad)


def randn(
    *shape: int, rng: np.random.Generator | None = None, dtype: Any = np.float64, requires_grad: bool = False
) -> Tensor:
    """Standard normal samples; pass `rng=np.random.default_rng(seed)` to repeat them. `randn(())`
    is one number, as in PyTorch."""
    rng = rng or np.random.default_rng()
    return Tensor(rng.standard_normal(_shape(shape)).astype(dtype), requires_grad=requires_grad)


def linspace(start: float, end: float, steps: int, dtype: Any = np.float64, requires_grad: bool = False) -> Tensor:
    """`steps` evenly spaced values from `start` to `end`, both included (like `torch.linspace`)."""
    return Tensor(np.linspace(start, end, steps, dtype=dtype), requires_grad=requires_grad)


def arange(start: float, end: float | None = None, step: float = 1, dtype: Any = None) -> Tensor:
    """start, start + step, ... below `end` (`arange(n)` is 0 .. n-1), like `torch.arange`."""
    values = np.arange(start, dtype=dtype) if end is None else np.arange(start, end, step, dtype=dtype)
    return Tensor(values)


def _shape(shape: tuple[Any, ...]) -> tuple[int, ...]:
    return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
