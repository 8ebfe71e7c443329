"""Matrix product `x @ y` with numpy's rules: 1-D vectors, matrices and batches of matrices."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Op
from autograd.ops.promotion import promote


class MatMul(Op):
    """Z = X @ Y;  dL/dX = dL/dZ @ Yᵀ,  dL/dY = Xᵀ @ dL/dZ  (the blog's LinearLayer.backward).

    A 1-D operand is treated as a row (left) or column (right) matrix and squeezed back;
    batch axes broadcast, and the engine sums their gradients back to each input's shape.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x, y = promote(x, y)
        ctx.save_for_backward(x, y)
        return x @ y

    @staticmethod
    def backward(ctx: Function, grad: Any) -> tuple[Any, Any]:
        x, y = ctx.saved_tensors
        needs_x, needs_y = ctx.needs_input_grad
        x_is_vector, y_is_vector = x.ndim == 1, y.ndim == 1
        # Make both operands matrices (and the gradient to match) so that one rule covers every case.
        if x_is_vector:
            x = x.reshape(1, -1)
            grad = grad.reshape(*grad.shape[:-1], 1, grad.shape[-1]) if grad.ndim else grad.reshape(1, 1)
        if y_is_vector:
            y = y.reshape(-1, 1)
            grad = grad.reshape(*grad.shape, 1)
        grad_x = grad @ y.swapaxes(-1, -2) if needs_x else None
        grad_y = x.swapaxes(-1, -2) @ grad if needs_y else None
        if x_is_vector and grad_x is not None:
            grad_x = grad_x.reshape(*grad_x.shape[:-2], grad_x.shape[-1])
        if y_is_vector and grad_y is not None:
            grad_y = grad_y.reshape(grad_y.shape[:-1])
        return grad_x, grad_y

    @staticmethod
    def error_hint(x: Any, y: Any) -> str:
        x_shape, y_shape = np.shape(x), np.shape(y)
        if not x_shape or not y_shape:
            return "matmul needs at least 1-D operands; use * to multiply by a scalar"
        inner_x = x_shape[-1]
        inner_y = y_shape[-2] if len(y_shape) > 1 else y_shape[0]
        return (
            f"Cannot multiply {x_shape} @ {y_shape}: the last size of the left operand ({inner_x}) must equal "
            f"the {'second-to-last' if len(y_shape) > 1 else 'only'} size of the right one ({inner_y}). "
            "Did you mean to transpose one of them (.T)?"
        )
