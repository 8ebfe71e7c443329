"""The other operand of an operator, an index, PyTorch's `dim`: arguments made ready for the ops."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import ArrayLike, Number, Tensor


def _pytorch_axis(op: str, axis: Any, keepdims: bool, dim: Any, keepdim: bool | None) -> tuple[Any, bool]:
    """`axis` and `keepdims` from PyTorch's names for them, `dim` and `keepdim`."""
    if dim is not None and axis is not None:
        raise TypeError(f"{op}: got both axis={axis!r} and dim={dim!r}; pass one (dim is PyTorch's name for axis)")
    return (axis if dim is None else dim), (keepdims if keepdim is None else keepdim)


def _pytorch_default_differs(op: str, pytorch_does: str, write: str) -> TypeError:
    """The error for `dim=` where PyTorch's meaning differs from glassgrad's, so it cannot be an alias."""
    return TypeError(
        f"{op}: dim= is PyTorch's spelling, and PyTorch's {op}(dim=...) {pytorch_does}; glassgrad follows "
        f"numpy here (see docs/pytorch.md): write {write}"
    )


def as_array(value: Any) -> Any:
    """The numpy value behind a Tensor, or the value itself."""
    return value.data if isinstance(value, Tensor) else value


def as_operand(value: ArrayLike, like: Tensor) -> Tensor:
    """Turn the other operand of `like <op> value` into a (constant) Tensor.

    Python numbers take `like`'s dtype when they fit it, so that `float32_tensor * 2`
    stays float32 and `int_tensor + 1` stays integer, as in PyTorch.
    """
    if isinstance(value, Tensor):
        return value
    if isinstance(value, Number) and not isinstance(value, bool):
        kind = like.data.dtype.kind
        if kind in "fc" or (kind in "iu" and isinstance(value, int)):
            return Tensor(np.array(value, like.data.dtype))
    return Tensor(np.asarray(value))


def as_index(index: Any) -> Any:
    """An index ready for numpy: Tensors replaced by their arrays, lists by integer (or bool) arrays.

    Lists become arrays also inside a tuple (`x[1:, [0, 2, 2]]`), so that backward sees every
    integer-array part and adds up the gradient of an element picked twice.
    """
    if isinstance(index, tuple):
        return tuple([_index_part(part) for part in index])
    return _index_part(index)


def _index_part(part: Any) -> Any:
    if isinstance(part, Tensor):
        return part.data
    if isinstance(part, list):
        return np.asarray(part) if part else np.zeros(0, dtype=np.intp)
    return part
