"""Creating tensors: `tensor`, `zeros`, `ones`, `full`, `*_like`, `randn`, `rand`, `linspace`, `arange`.

They take PyTorch's keywords (`dtype`, `requires_grad`, `device="cpu"`). Random ones draw from
`default_generator` unless given `rng=`; `manual_seed(seed)` makes them repeatable (and nn's
initialisers, which draw from the same generator).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.device import check_device
from autograd.tensor import ArrayLike, Tensor

#: The generator `randn`, `rand` and nn's initialisers draw from (`manual_seed` resets it in place).
default_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Reset `default_generator` to `seed`, for repeatable runs (as `torch.manual_seed`)."""
    default_generator.bit_generator.state = np.random.default_rng(seed).bit_generator.state
    return default_generator


def tensor(data: ArrayLike, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A new leaf holding a copy of `data` (as `torch.tensor`; `Tensor(data)` does not copy arrays)."""
    check_device(device, "tensor")
    values = data.data if isinstance(data, Tensor) else data
    return Tensor(np.array(values, dtype=dtype), requires_grad=requires_grad)


def zeros(*shape: int, dtype: Any = np.float64, requires_grad: bool = False, device: Any = None) -> Tensor:
    """A tensor of zeros: `zeros(2, 3)` or `zeros((2, 3))`."""
    check_device(device, "zeros")
    return Tensor(np.zeros(_shape(shape), dtype=dtype), requires_grad=requires_grad)


def ones(*shape: int, dtype: Any = np.float64, requires_grad: bool = False, device: Any = None) -> Tensor:
    """A tensor of ones: `ones(2, 3)` or `ones((2, 3))`."""
    check_device(device, "ones")
    return Tensor(np.ones(_shape(shape), dtype=dtype), requires_grad=requires_grad)


def full(
    size: int | tuple[int, ...], fill_value: float, dtype: Any = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """A tensor of `size` filled with `fill_value` (`full((), 0.3)` is one number)."""
    check_device(device, "full")
    size = (size,) if isinstance(size, int) else tuple(size)
    return Tensor(np.full(size, fill_value, dtype=dtype), requires_grad=requires_grad)


def zeros_like(x: ArrayLike, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    check_device(device, "zeros_like")
    return Tensor(np.zeros_like(np.asarray(x), dtype=dtype), requires_grad=requires_grad)


def ones_like(x: ArrayLike, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    check_device(device, "ones_like")
    return Tensor(np.ones_like(np.asarray(x), dtype=dtype), requires_grad=requires_grad)


def randn(
    *shape: int,
    rng: np.random.Generator | None = None,
    dtype: Any = np.float64,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """Standard normal samples; `randn(())` is one number, as in PyTorch."""
    check_device(device, "randn")
    values = (rng or default_generator).standard_normal(_shape(shape)).astype(dtype)
    return Tensor(values, requires_grad=requires_grad)


def rand(
    *shape: int,
    rng: np.random.Generator | None = None,
    dtype: Any = np.float64,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """Uniform samples from [0, 1): `rand(5, 5)` or `rand((5, 5))`."""
    check_device(device, "rand")
    values = (rng or default_generator).random(_shape(shape)).astype(dtype)
    return Tensor(values, requires_grad=requires_grad)


def linspace(
    start: float, end: float, steps: int, dtype: Any = np.float64, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """`steps` evenly spaced values from `start` to `end`, both included (like `torch.linspace`)."""
    check_device(device, "linspace")
    return Tensor(np.linspace(start, end, steps, dtype=dtype), requires_grad=requires_grad)


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """start, start + step, ... below `end` (`arange(n)` is 0 .. n-1), like `torch.arange`."""
    check_device(device, "arange")
    values = np.arange(start, dtype=dtype) if end is None else np.arange(start, end, step, dtype=dtype)
    return Tensor(values, requires_grad=requires_grad)


def _shape(shape: tuple[Any, ...]) -> tuple[int, ...]:
    return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
