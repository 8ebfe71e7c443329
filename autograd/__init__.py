"""glassgrad's engine: `Tensor`, the operations on it, and the backward pass."""

# Tensor first: its operators import the ops, which import Function, which needs Tensor.
from autograd.tensor import RemovableHandle, Tensor  # noqa: I001

from autograd.anomaly import detect_anomaly, is_anomaly_enabled
from autograd.engine import BackwardStep, grad, topological_order
from autograd.function import Function
from autograd.functional import (
    abs,
    cat,
    clip,
    concatenate,
    exp,
    log,
    matmul,
    maximum,
    minimum,
    ones,
    ones_like,
    randn,
    relu,
    sigmoid,
    sqrt,
    stack,
    tanh,
    where,
    zeros,
    zeros_like,
)
from autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from autograd.gradcheck import gradcheck
from autograd.scope import Scope, current_scope, scope

__all__ = [
    "BackwardStep",
    "Function",
    "RemovableHandle",
    "Scope",
    "Tensor",
    "abs",
    "cat",
    "clip",
    "concatenate",
    "current_scope",
    "detect_anomaly",
    "enable_grad",
    "exp",
    "grad",
    "gradcheck",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "log",
    "matmul",
    "maximum",
    "minimum",
    "no_grad",
    "ones",
    "ones_like",
    "randn",
    "relu",
    "scope",
    "set_grad_enabled",
    "sigmoid",
    "sqrt",
    "stack",
    "tanh",
    "topological_order",
    "where",
    "zeros",
    "zeros_like",
]
