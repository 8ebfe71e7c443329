"""Operations that choose between inputs element by element: maximum, minimum, where."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Op
from autograd.ops.arithmetic import broadcast_hint
from autograd.ops.backward_math import masked, zeros_like
from autograd.ops.promotion import promote


class Maximum(Op):
    """z = max(x, y) elementwise;  dz/dx = 1 where x > y,  dz/dy = 1 where y > x.

    NOTE: as `torch.maximum` does, where x == y the gradient is split evenly, 1/2 to each, and
    an input gets the whole gradient unless it lost the comparison: where one of them is NaN
    (which compares false with everything) both get it.
    """

    error_hint = staticmethod(broadcast_hint)
    pick = staticmethod(np.maximum)
    loses = staticmethod(np.less)  # x loses to y where x < y

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = promote(x, y)
        out = ctx.pick(x, y)
        tie = x == y
        x_share = np.where(tie, 0.5, ~ctx.loses(x, y)).astype(out.dtype)
        y_share = np.where(tie, 0.5, ~ctx.loses(y, x)).astype(out.dtype)
        ctx.save_for_backward(x_share, y_share)
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> tuple[Any, Any]:
        x_share, y_share = ctx.saved_tensors
        # Each input's share of the gradient, and none at all where it lost (even a NaN gradient).
        return masked(grad * x_share, x_share), masked(grad * y_share, y_share)


class Minimum(Maximum):
    """z = min(x, y) elementwise; ties split the gradient evenly, as `torch.minimum` does."""

    pick = staticmethod(np.minimum)
    loses = staticmethod(np.greater)  # x loses to y where x > y


class Where(Op):
    """z = x where condition else y;  dz/dx = condition,  dz/dy = not condition."""

    error_hint = staticmethod(broadcast_hint)

    @staticmethod
    def forward(ctx: Function, condition: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        if condition.dtype != np.bool_:
            raise TypeError(f"where needs a bool condition, got dtype {condition.dtype}; compare first, e.g. x > 0")
        x, y = promote(x, y)
        ctx.save_for_backward(condition)
        return np.where(condition, x, y)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> tuple[Any, Any, Any]:
        (condition,) = ctx.saved_tensors
        return None, masked(grad, condition), masked(grad, ~condition)


class Masked(Op):
    """z = g where keep, else 0 (see `masked`);  dz/dg = 1 where keep, else 0;  dz/dkeep = 0.

    Records a masked gradient when the backward pass is itself recorded (create_graph=True).
    `keep` has no slope: it is a mask (relu's H(x)), so its gradient is 0, present rather than absent.
    """

    @staticmethod
    def forward(ctx: Function, grad: np.ndarray, keep: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(keep)
        return masked(grad, keep)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> tuple[Any, Any]:
        (keep,) = ctx.saved_tensors
        needs_grad, needs_keep = ctx.needs_input_grad
        return (masked(grad, keep) if needs_grad else None), (zeros_like(keep) if needs_keep else None)
