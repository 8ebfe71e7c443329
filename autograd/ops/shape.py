"""Operations that move values around without changing them: reshape, transpose, indexing,
broadcasting, concatenation. Their derivatives move the gradient back the same way."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.broadcasting import broadcast_to, sum_array_to, sum_to
from autograd.function import Function, Op
from autograd.ops.backward_math import scatter_add, scatter_add_array
from autograd.ops.promotion import promote_all


class Reshape(Op):
    """y = x.reshape(shape); dy/dx puts the gradient back in x's shape."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        ctx.input_shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return grad.reshape(ctx.input_shape)


class Clone(Op):
    """y = a copy of x;  dy/dx = 1."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        return x.copy()

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return grad


class Transpose(Op):
    """y = x.transpose(axes); the gradient is transposed back by the inverse permutation."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, axes: tuple[int, ...] | None) -> np.ndarray:
        if axes is None:
            axes = tuple(reversed(range(x.ndim)))
        out = x.transpose(axes)
        ctx.inverse_axes = tuple(np.argsort([axis % max(x.ndim, 1) for axis in axes]))
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return grad.transpose(ctx.inverse_axes)


class GetItem(Op):
    """y = x[index]; the gradient lands on the picked elements (added up where one is picked twice)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, index: Any) -> np.ndarray:
        ctx.index = index
        ctx.input_shape = x.shape
        return x[index]

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return scatter_add(grad, ctx.index, ctx.input_shape)


class ScatterAdd(Op):
    """y = zeros(shape) with x added at index: the adjoint of GetItem, so its derivative is GetItem."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, index: Any, shape: tuple[int, ...]) -> np.ndarray:
        ctx.index = index
        return scatter_add_array(x, index, shape)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return grad[ctx.index]


class BroadcastTo(Op):
    """y = x repeated along axes of length one; dy/dx sums the copies back."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        ctx.input_shape = x.shape
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return sum_to(grad, ctx.input_shape)


class SumTo(Op):
    """y = x summed down to shape (undoing a broadcast); dy/dx repeats the gradient again."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        ctx.input_shape = x.shape
        return sum_array_to(x, shape)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return broadcast_to(grad, ctx.input_shape)


class Concatenate(Op):
    """y = [x1, x2, ...] joined along axis; each input gets its own slice of the gradient."""

    @staticmethod
    def forward(ctx: Function, *arrays: np.ndarray, axis: int = 0) -> np.ndarray:
        out = np.concatenate(promote_all(list(arrays)), axis=axis)
        ctx.axis = axis % out.ndim
        ctx.ends = np.cumsum([array.shape[ctx.axis] for array in arrays])
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> tuple[Any, ...]:
        before = (slice(None),) * ctx.axis
        starts = [0, *ctx.ends[:-1]]
        return tuple(grad[(*before, slice(start, end))] for start, end in zip(starts, ctx.ends))

    @staticmethod
    def error_hint(*arrays: Any) -> str:
        shapes = ", ".join(str(np.shape(array)) for array in arrays)
        return f"All shapes ({shapes}) must match except along the joining axis"


class Stack(Op):
    """y = [x1, x2, ...] along a new axis; input i gets the gradient's slice i on that axis."""

    @staticmethod
    def forward(ctx: Function, *arrays: np.ndarray, axis: int = 0) -> np.ndarray:
        out = np.stack(promote_all(list(arrays)), axis=axis)
        ctx.axis = axis % out.ndim
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> tuple[Any, ...]:
        before = (slice(None),) * ctx.axis
        return tuple(grad[(*before, i)] for i in range(grad.shape[ctx.axis]))

    @staticmethod
    def error_hint(*arrays: Any) -> str:
        shapes = ", ".join(str(np.shape(array)) for array in arrays)
        return f"stack needs tensors of one shape, got {shapes}"
