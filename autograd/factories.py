"""Creating tensors: `zeros`, `ones`, `zeros_like`, `ones_like`, `randn`."""

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


def randn(*shape: int, rng: np.random.Generator | None = None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples (float64); pass `rng=np.random.default_rng(seed)` to repeat them."""
    rng = rng or np.random.default_rng()
    return Tensor(rng.standard_normal(_shape(shape)), requires_grad=requires_grad)


def _shape(shape: tuple[Any, ...]) -> tuple[int, ...]:
    return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
