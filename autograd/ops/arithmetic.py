"""+ - * / ** and negation, with numpy broadcasting. The engine sums each gradient back to its
input's shape, so these rules are written as if no broadcasting happened."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Op
from autograd.ops.backward_math import log, masked
from autograd.ops.promotion import promote


def broadcast_hint(*arrays: Any) -> str | None:
    """Which shapes failed to broadcast, and how to fix it (None when they do broadcast: then
    numpy's own message says what went wrong)."""
    shapes = [np.shape(array) for array in arrays]
    try:
        np.broadcast_shapes(*shapes)
        return None
    except ValueError:
        pass
    listed = " and ".join(str(shape) for shape in shapes)
    return (
        f"Shapes {listed} do not broadcast: compared from the right, each pair of sizes must be equal or "
        "one of them 1. Reshape one operand (e.g. y.reshape(-1, 1)) or transpose it (.T)"
    )


class Add(Op):
    """z = x + y;  dz/dx = 1,  dz/dy = 1."""

    error_hint = staticmethod(broadcast_hint)

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = promote(x, y)
        return x + y

    @staticmethod
    def backward(ctx: Function, grad: Any) -> tuple[Any, Any]:
        return grad, grad


class Sub(Op):
    """z = x - y;  dz/dx = 1,  dz/dy = -1."""

    error_hint = staticmethod(broadcast_hint)

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = promote(x, y)
        return x - y

    @staticmethod
    def backward(ctx: Function, grad: Any) -> tuple[Any, Any]:
        return grad, (-grad if ctx.needs_input_grad[1] else None)


class Mul(Op):
    """z = x * y;  dz/dx = y,  dz/dy = x."""

    error_hint = staticmethod(broadcast_hint)

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = promote(x, y)
        ctx.save_for_backward(x, y)
        return x * y

    @staticmethod
    def backward(ctx: Function, grad: Any) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        needs_x, needs_y = ctx.needs_input_grad
        return (grad * y if needs_x else None), (grad * x if needs_y else None)


class Div(Op):
    """z = x / y;  dz/dx = 1 / y,  dz/dy = -x / y²."""

    error_hint = staticmethod(broadcast_hint)

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = promote(x, y)
        ctx.save_for_backward(x, y)
        return x / y

    @staticmethod
    def backward(ctx: Function, grad: Any) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        needs_x, needs_y = ctx.needs_input_grad
        # (x / y) / y, as PyTorch computes it: y * y would overflow (or underflow) where this does not.
        return (grad / y if needs_x else None), (-grad * (x / y / y) if needs_y else None)


class Neg(Op):
    """z = -x;  dz/dx = -1."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        return -x

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return -grad


class Pow(Op):
    """z = x ** y;  dz/dx = y * x^(y-1),  dz/dy = x^y * ln(x)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = promote(x, y)
        out = x**y
        ctx.save_for_backward(x, y, out)
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> tuple[Any, Any]:
        x, y, out = ctx.saved_tensors
        needs_x, needs_y = ctx.needs_input_grad
        if type(y) is np.ndarray and y.ndim == 0:  # a constant exponent, as in x ** 2
            y = y.item()  # NOTE: the same values; Python numbers are cheaper than 0-d arrays (3-6% of XOR)
        # grad times the local derivative, multiplied in that order (as PyTorch does): grad * y alone
        # can overflow where the product does not.
        # NOTE: where y == 0 the derivative is exactly 0, as in PyTorch, even for a NaN or infinite
        # grad (hence `masked`); and 0 * x^-1 would be NaN at x == 0, so x is raised to 0 there instead.
        grad_x = masked(grad * (y * x ** (y - 1 + (y == 0))), y != 0) if needs_x else None
        # NOTE: where x == 0 and y >= 0, x^y * ln(x) is 0 * -inf (or 1 * -inf); PyTorch makes it 0,
        # its limit for y > 0. Taking the log of 1 instead of 0 there gives that 0 without a NaN.
        grad_y = grad * (out * log(x + ((x == 0) & (y >= 0)))) if needs_y else None
        return grad_x, grad_y

    @staticmethod
    def error_hint(x: Any, y: Any) -> str | None:
        if np.asarray(x).dtype.kind in "biu" and np.asarray(y).dtype.kind in "biu" and np.any(np.asarray(y) < 0):
            return (
                "integers cannot be raised to negative integer powers (numpy refuses, as PyTorch does); "
                "make the base a float tensor, e.g. Tensor(data, dtype=np.float64)"
            )
        return broadcast_hint(x, y)


class Cast(Op):
    """z = x converted to another dtype; the engine converts the gradient back to x's dtype."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, dtype: np.dtype) -> np.ndarray:
        return x.astype(dtype)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return grad
