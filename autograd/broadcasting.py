"""Broadcasting and its undoing: a gradient is summed back to the shape of the input that forward
broadcast. The engine fits every gradient to its input here, so the backward rules in `ops/` are
written as if no broadcasting happened."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.tensor import Tensor

if TYPE_CHECKING:
    from autograd.function import Function


def fit_to_input(grad: Any, input: Tensor, ctx: Function, position: int) -> Any:
    """`grad` (d loss / d input) in the shape and dtype of `input`, the input at `position` of `ctx`.

    Where forward broadcast the input, the gradient has the broadcast shape: sum it back.
    """
    if not isinstance(grad, (np.ndarray, Tensor)):  # a numpy scalar, from an operation on 0-d arrays
        grad = np.asarray(grad)
    data = input.data
    if grad.shape != data.shape:
        summed = sum_to(grad, data.shape)
        # Summing back gives the input's shape exactly when the input broadcasts to the gradient.
        if summed.shape != data.shape:
            raise RuntimeError(
                f"{type(ctx).__name__}.backward returned a gradient of shape {grad.shape} for input {position}, "
                f"which has shape {data.shape}: a gradient must have its input's shape (or a shape "
                "that input broadcasts to, which is summed back)"
            )
        grad = summed
    if grad.dtype != data.dtype:
        grad = grad.astype(data.dtype)
    return grad


def sum_to(x: Any, shape: tuple[int, ...]) -> Any:
    """Sum `x` (an array or a Tensor) down to `shape`: the reverse of broadcasting `shape` up to `x.shape`."""
    if isinstance(x, Tensor):
        from autograd.ops.shape import SumTo

        return SumTo.apply(x, shape=shape)
    return sum_array_to(x, shape)


def broadcast_to(x: Any, shape: tuple[int, ...]) -> Any:
    """Repeat `x` (an array or a Tensor) along axes of length one, and new leading axes, to reach `shape`."""
    if isinstance(x, Tensor):
        from autograd.ops.shape import BroadcastTo

        return BroadcastTo.apply(x, shape=shape)
    # NOTE: a fresh, writeable array filled by assignment, not np.broadcast_to(x, shape).copy():
    # several times cheaper on small arrays, 6% of the XOR step.
    out = np.empty(shape, dtype=x.dtype)
    out[...] = x
    return out


def sum_array_to(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """numpy version of `sum_to`. Where `shape` does not broadcast to `x.shape`, the result
    keeps a shape other than `shape` (the caller says what is wrong)."""
    if x.shape == shape:
        return x
    stretched, leading = _broadcast_axes(x.shape, shape)
    if stretched:
        x = x.sum(axis=stretched, keepdims=True)
    if leading:
        x = x.sum(axis=leading)
    return x


def _broadcast_axes(x_shape: tuple[int, ...], shape: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The axes along which broadcasting `shape` up to `x_shape` repeated values: those of
    length one that it stretched, and those it added in front."""
    leading = max(len(x_shape) - len(shape), 0)
    stretched = tuple(
        axis
        for axis, size in enumerate(shape, start=leading)
        if size == 1 and axis < len(x_shape) and x_shape[axis] != 1
    )
    return stretched, tuple(range(leading))
