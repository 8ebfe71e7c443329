"""glassgrad's engine: `Tensor`, the operations on it, and the backward pass."""

# Tensor first: its operators import the ops, which import Function, which needs Tensor.
from autograd.tensor import Tensor  # noqa: I001

import sys

import numpy as np

from autograd.anomaly import detect_anomaly, is_anomaly_enabled
from autograd.engine import BackwardStep, grad, topological_order
from autograd.function import Function
from autograd import functional
from autograd.factories import (
    arange,
    default_generator,
    full,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    randn,
    tensor,
    zeros,
    zeros_like,
)
from autograd import accelerator, cuda
from autograd.device import device, get_default_device, set_default_device
from autograd.dtypes import double, float16, float32, float64, half, int8, int16, int32, int64, long, short, uint8
from autograd.locations import is_recording_locations, record_locations
from autograd.operations import (
    abs,
    cat,
    clamp,
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
from autograd.grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from autograd.gradcheck import gradcheck, gradgradcheck
from autograd.scope import Scope, current_scope, scope

__all__ = [
    "BackwardStep",
    "Function",
    "RemovableHandle",
    "Scope",
    "Tensor",
    "abs",
    "accelerator",
    "arange",
    "autograd",
    "bool",
    "cat",
    "clamp",
    "clip",
    "concatenate",
    "cos",
    "cuda",
    "current_scope",
    "default_generator",
    "detect_anomaly",
    "device",
    "double",
    "enable_grad",
    "exp",
    "float",
    "float16",
    "float32",
    "float64",
    "full",
    "functional",
    "get_default_device",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "half",
    "inference_mode",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "is_recording_locations",
    "linspace",
    "log",
    "long",
    "manual_seed",
    "matmul",
    "maximum",
    "minimum",
    "no_grad",
    "ones",
    "ones_like",
    "rand",
    "randn",
    "record_locations",
    "relu",
    "scope",
    "set_default_device",
    "set_grad_enabled",
    "short",
    "sigmoid",
    "sin",
    "sqrt",
    "stack",
    "tanh",
    "tensor",
    "topological_order",
    "uint8",
    "where",
    "zeros",
    "zeros_like",
]

# For code written for PyTorch: `torch.autograd.grad`, `torch.autograd.Function` resolve here too,
# and PyTorch's dtype names that are Python builtins. Last, so that nothing above sees them.
autograd = sys.modules[__name__]
float = float32  # torch.float is float32
int = int32
bool = np.dtype(np.bool_)
