"""Layers and activations: linear, relu, leaky_relu, sigmoid, tanh, softmax, log_softmax, dropout,
gelu, silu, softplus."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Function, Tensor, where
from nn import init
from nn.functional.checks import as_tensor


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x @ weight + bias, with weight of shape (in_features, out_features)."""
    out = x @ weight
    return out if bias is None else out + bias


def relu(x: Tensor) -> Tensor:
    """max(x, 0)."""
    return x.relu()


def leaky_relu(x: Tensor, negative_slope: float = 0.01) -> Tensor:
    """x where x > 0, else negative_slope * x; the slope at 0 is negative_slope, as in PyTorch.

    Written as negative_slope * x + (1 - negative_slope) * relu(x), the same function, so that
    its second derivative is 0 rather than absent (as in PyTorch) when gradients are differentiated.
    (At a NaN input its slope is 1, where PyTorch's is negative_slope.)
    """
    return negative_slope * x + (1 - negative_slope) * x.relu()


def sigmoid(x: Tensor) -> Tensor:
    """1 / (1 + e^-x)."""
    return x.sigmoid()


def tanh(x: Tensor) -> Tensor:
    """tanh x."""
    return x.tanh()


def softmax(x: Tensor, axis: int = -1, dim: int | None = None) -> Tensor:
    """e^x / Σ e^x along axis (`dim` is PyTorch's name for it); the maximum is subtracted first."""
    return x.softmax(axis, dim=dim)


def log_softmax(x: Tensor, axis: int = -1, dim: int | None = None) -> Tensor:
    """x - ln Σ e^x along axis, computed as (x - m) - ln Σ e^(x - m) with m the maximum, so that
    e^x never overflows and huge logits keep their precision (as PyTorch computes it)."""
    return x.log_softmax(axis, dim=dim)


def dropout(x: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p); identity when not training."""
    if not training or p == 0:
        return x
    keep = init.generator().random(x.shape) >= p
    return x * (keep / (1 - p)).astype(x.dtype)


class Erf(Function):
    """y = erf(x) = (2/√π) ∫₀ˣ e^(-t²) dt;  dy/dx = (2/√π) e^(-x²). (scipy's erf, to double precision.)"""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        from scipy.special import erf

        ctx.save_for_backward(x)
        return erf(x)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        bell = (-(x * x)).exp() if isinstance(x, Tensor) else np.exp(-(x * x))  # Tensors: backward is recorded
        return grad * (2 / math.sqrt(math.pi)) * bell


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x · Φ(x) = ½ x (1 + erf(x / √2)), Φ the standard normal's CDF; approximate="tanh" is
    ½ x (1 + tanh(√(2/π) (x + 0.044715 x³))), as in PyTorch."""
    input = as_tensor(input)
    if approximate == "none":
        return 0.5 * input * (1 + Erf.apply(input * (1 / math.sqrt(2))))
    if approximate == "tanh":
        return 0.5 * input * (1 + (math.sqrt(2 / math.pi) * (input + 0.044715 * input * input * input)).tanh())
    raise ValueError(f'gelu: approximate must be "none" or "tanh", got {approximate!r}')


def silu(input: Tensor) -> Tensor:
    """x · σ(x) (also called swish)."""
    input = as_tensor(input)
    return input * input.sigmoid()


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """(1/β) ln(1 + e^(βx)), a smooth relu; x itself where βx > threshold, as in PyTorch.

    Computed as -ln σ(-βx)/β, the same function without overflow for large βx.
    """
    input = as_tensor(input)
    scaled = input * beta
    return where(scaled.data > threshold, input, -(-scaled).logsigmoid() / beta)
