"""Reductions: sum, mean, max, min, var, std. Each backward spreads the gradient back over the
elements that were reduced."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.broadcasting import broadcast_to
from autograd.function import Function, Op
from autograd.ops.backward_math import exp, masked

Axis = int | tuple[int, ...] | None


def kept_shape(shape: tuple[int, ...], axis: Axis) -> tuple[int, ...]:
    """The shape of the result with keepdims=True: reduced axes become 1."""
    if axis is None:
        return (1,) * len(shape)
    axes = {a % len(shape) for a in (axis if isinstance(axis, tuple) else (axis,))}
    return tuple(1 if i in axes else size for i, size in enumerate(shape))


class Sum(Op):
    """y = Σ x over axis; dy/dx_i = 1, so every element gets the gradient of its sum."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, axis: Axis = None, keepdims: bool = False) -> np.ndarray:
        out = x.sum(axis=axis, keepdims=keepdims)
        ctx.input_shape = x.shape
        ctx.kept_shape = kept_shape(x.shape, axis)
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return broadcast_to(grad.reshape(ctx.kept_shape), ctx.input_shape)


class Mean(Op):
    """y = Σ x / n over axis; dy/dx_i = 1/n."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, axis: Axis = None, keepdims: bool = False) -> np.ndarray:
        out = x.mean(axis=axis, keepdims=keepdims)
        ctx.input_shape = x.shape
        ctx.kept_shape = kept_shape(x.shape, axis)
        ctx.count = x.size // max(out.size, 1) if x.size else 0
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return broadcast_to(grad.reshape(ctx.kept_shape) / ctx.count, ctx.input_shape)


class Var(Op):
    """y = Σ (x - mean)² / (n - ddof) over axis; dy/dx_i = 2 (x_i - mean) / (n - ddof)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, axis: Axis = None, keepdims: bool = False, ddof: int = 0) -> np.ndarray:
        # Shifted by the minimum, which changes no variance: equal values then give exactly 0 (the
        # mean of [0.1, 0.1, 0.1] is not exactly 0.1), as PyTorch's does, and std's slope is 0 there.
        shift = x.min(axis=axis, keepdims=True) if x.size else 0
        out = (x - shift).var(axis=axis, keepdims=keepdims, ddof=ddof)
        ctx.save_for_backward(x)
        ctx.axis, ctx.ddof = axis, ddof
        ctx.kept_shape = kept_shape(x.shape, axis)
        ctx.count = x.size // max(out.size, 1) if x.size else 0
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        centred = x - x.mean(axis=ctx.axis, keepdims=True)
        # Scaled before it meets the centred values, as PyTorch does: 2 * grad * centred can overflow.
        return grad.reshape(ctx.kept_shape) * (2 / np.float64(ctx.count - ctx.ddof)) * centred


class Std(Op):
    """y = √var(x) over axis;  dy/dx_i = (x_i - mean) / ((n - ddof) y).

    NOTE: where all the values are equal, y = 0 and the derivative is 0 / 0; PyTorch makes it 0
    (the gradient of √var would be infinite times zero there).
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, axis: Axis = None, keepdims: bool = False, ddof: int = 0) -> np.ndarray:
        out = np.sqrt(Var.forward(ctx, x, axis, keepdims, ddof))  # Var keeps the axes and counts backward needs
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        x, out = ctx.saved_tensors
        centred = x - x.mean(axis=ctx.axis, keepdims=True)
        out = out.reshape(ctx.kept_shape)
        flat = out == 0  # all values equal: the gradient (and its own derivative) is 0 there, as in PyTorch
        # d loss / d y divided by (n - ddof) y first, as PyTorch does: grad * centred can overflow.
        scaled = grad.reshape(ctx.kept_shape) / ((ctx.count - ctx.ddof) * (out + flat))
        return masked(scaled * centred, ~flat)


class LogSumExp(Op):
    """y = ln Σ e^x over axis;  dy/dx_i = e^(x_i - y), the softmax of x.

    Computed as m + ln Σ e^(x - m) with m the maximum, so that e^x never overflows.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, axis: Axis = None, keepdims: bool = False) -> np.ndarray:
        shift = x.max(axis=axis, keepdims=True) if x.size else np.zeros(kept_shape(x.shape, axis), x.dtype)
        # No shift where the maximum is infinite, so the result is -inf (all -inf) or inf, as in PyTorch.
        shift = np.where(np.isinf(shift), 0, shift)
        total = np.log(np.exp(x - shift).sum(axis=axis, keepdims=True)) + shift
        ctx.kept_shape = total.shape
        if not keepdims:
            total = total.reshape(()) if axis is None else np.squeeze(total, axis=axis)
        ctx.save_for_backward(x, total)  # the output itself, so that create_graph differentiates through it
        return total

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        x, out = ctx.saved_tensors
        # Element by element, as PyTorch does: an infinite x_i spoils only its own slope.
        return grad.reshape(ctx.kept_shape) * exp(x - out.reshape(ctx.kept_shape))


class Max(Op):
    """y = max x over axis; dy/dx_i = 1 at the maximum, 0 elsewhere.

    NOTE: when several elements tie for the maximum they share the gradient evenly
    (each gets 1/k), as `torch.amax` does; the total passed back stays exactly the gradient.
    Over all elements (axis=None) it is `torch.max(x)`: the other elements get exactly 0 even from
    a NaN or infinite gradient, and a NaN maximum passes its gradient to the NaN elements.
    """

    pick = staticmethod(np.max)

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, axis: Axis = None, keepdims: bool = False) -> np.ndarray:
        extreme = ctx.pick(x, axis=axis, keepdims=True)
        whole = axis is None
        is_extreme = np.isnan(x) if whole and np.isnan(extreme).any() else x == extreme
        ctx.save_for_backward(is_extreme, is_extreme / is_extreme.sum(axis=axis, keepdims=True))
        ctx.kept_shape = extreme.shape
        ctx.whole = whole
        if keepdims:
            return extreme
        return extreme.reshape(()) if whole else np.squeeze(extreme, axis=axis)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        is_extreme, share = ctx.saved_tensors
        grad_x = grad.reshape(ctx.kept_shape) * share
        return masked(grad_x, is_extreme) if ctx.whole else grad_x


class Min(Max):
    """y = min x over axis; dy/dx_i = 1 at the minimum (shared evenly between ties, like `torch.amin`;
    over all elements, like `torch.min(x)`)."""

    pick = staticmethod(np.min)
