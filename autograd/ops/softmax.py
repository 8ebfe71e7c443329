"""softmax and log-softmax along one axis, each one node with its own backward, as in PyTorch.

Written with exp, sum and log, log-softmax would be five nodes (softmax six) whose backward
passes add up to the formulas below; as one node, the engine has one step to take and the
picture of the graph one box to draw.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Op
from autograd.ops.backward_math import exp


def _shifted(x: np.ndarray, axis: int) -> np.ndarray:
    """x - max(x) along axis: the same softmax, and e^(x - max) never overflows."""
    return x - x.max(axis=axis, keepdims=True)


class Softmax(Op):
    """y_i = e^(x_i) / Σ_j e^(x_j) along axis;  dy_i/dx_k = y_i (δ_ik - y_k),

    so d loss / d x = y * (g - Σ_k g_k y_k), with g = d loss / d y.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, axis: int = -1) -> np.ndarray:
        e = np.exp(_shifted(x, axis))
        y = e / e.sum(axis=axis, keepdims=True)
        ctx.axis = axis
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (y,) = ctx.saved_tensors
        return y * (grad - (grad * y).sum(axis=ctx.axis, keepdims=True))


class LogSoftmax(Op):
    """y_i = x_i - ln Σ_j e^(x_j) along axis;  dy_i/dx_k = δ_ik - softmax(x)_k = δ_ik - e^(y_k),

    so d loss / d x = g - e^y Σ_k g_k, with g = d loss / d y.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, axis: int = -1) -> np.ndarray:
        # (x - m) - ln Σ e^(x - m): huge logits keep their precision, as PyTorch computes it.
        shifted = _shifted(x, axis)
        y = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        ctx.axis = axis
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (y,) = ctx.saved_tensors
        return grad - exp(y) * grad.sum(axis=ctx.axis, keepdims=True)
