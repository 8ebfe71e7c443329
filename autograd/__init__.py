"""glassgrad's engine: `Tensor`, the operations on it, and the backward pass."""

# Tensor first: its operators import the ops, which import Function, which needs Tensor.
from autograd.tensor import Tensor  # noqa: I001

from autograd.anomaly import detect_anomaly, is_anomaly_enabled
from autograd.engine import BackwardStep, grad, topological_order
from autograd.function import Function
from autograd import functional
from autograd.factories import arange, linspace, ones, ones_like, randn, zeros, zeros_like
from autograd.locations import is_recording_locations, record_locations
from autograd.operations import (
    abs,
    cat,
    clip,
    concatenate,
    cos,
    exp,
    log,
    matmul,
    maximum,
    minimum,
    relu,
    sigmoid,
    sin,
    sqrt,
    stack,
    tanh,
    where,
)
from autograd.hooks import RemovableHandle
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
    "arange",
    "cat",
    "clip",
    "concatenate",
    "cos",
    "current_scope",
    "detect_anomaly",
    "enable_grad",
    "exp",
    "functional",
    "grad",
    "gradcheck",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "is_recording_locations",
    "linspace",
    "log",
    "matmul",
    "maximum",
    "minimum",
    "no_grad",
    "ones",
    "ones_like",
    "randn",
    "record_locations",
    "relu",
    "scope",
    "set_grad_enabled",
    "sigmoid",
    "sin",
    "sqrt",
    "stack",
    "tanh",
    "topological_order",
    "where",
    "zeros",
    "zeros_like",
]
