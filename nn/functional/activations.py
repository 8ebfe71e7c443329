"""Layers and activations: linear, relu, leaky_relu, sigmoid, tanh, softmax, log_softmax, dropout."""

from __future__ import annotations

from autograd import Tensor
from nn import init


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
