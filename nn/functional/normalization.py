"""Normalisation: each channel (batch_norm) or each example (layer_norm) shifted to mean 0 and
scaled to variance 1, then scaled and shifted by learned weight and bias."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from nn.functional.checks import as_tensor, check_floats


def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """y = (x - μ) / √(σ² + eps) · weight + bias per channel (axis 1 of (N, C, ...)).

    training: μ, σ² are the batch's (σ² divides by n), and the running statistics, when given, are
    updated in place: running = (1 - momentum) · running + momentum · batch statistic (the
    variance with n - 1, unbiased, as PyTorch). Otherwise μ, σ² are the running statistics.
    """
    input = as_tensor(input)
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expects (N, C) or (N, C, ...) with channels on axis 1, got shape {input.shape}")
    channels = input.shape[1]
    given = {"running_mean": running_mean, "running_var": running_var, "weight": weight, "bias": bias}
    for key, value in given.items():
        if value is not None and tuple(value.shape) != (channels,):
            raise ValueError(
                f"batch_norm: {key} has shape {tuple(value.shape)} but the input (shape {input.shape}) has "
                f"{channels} channels on axis 1; they must match (BatchNorm(num_features={channels}))"
            )
    check_floats("batch_norm", input=input, weight=weight, bias=bias)
    axes = (0, *range(2, input.ndim))  # every axis but the channels
    per_channel = (channels, *[1] * (input.ndim - 2))  # broadcasts against (N, C, ...)
    if training:
        count = input.size // channels
        if count <= 1:
            raise ValueError(
                f"batch_norm: expected more than 1 value per channel when training, got input size {input.shape}; "
                "use a bigger batch, or call .eval() to use the running statistics"
            )
        mean = input.mean(axis=axes, keepdims=True)
        centred = input - mean
        variance = (centred * centred).mean(axis=axes, keepdims=True)
        _update_running(running_mean, mean.data.reshape(-1), momentum)
        _update_running(running_var, variance.data.reshape(-1) * count / (count - 1), momentum)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: running_mean and running_var are needed when training=False")
        mean = _as_constant(running_mean, per_channel, input.dtype)
        variance = _as_constant(running_var, per_channel, input.dtype)
        centred = input - mean
    out = centred / (variance + eps).sqrt()
    if weight is not None:
        out = out * weight.reshape(per_channel)
    if bias is not None:
        out = out + bias.reshape(per_channel)
    return out


def layer_norm(
    input: Tensor,
    normalized_shape: int | tuple[int, ...],
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """y = (x - μ) / √(σ² + eps) · weight + bias, with μ, σ² (dividing by n) over the last axes,
    those of `normalized_shape`: each example (each token) normalised on its own."""
    input = as_tensor(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(input.shape[input.ndim - len(shape) :]) != shape or len(shape) > input.ndim:
        raise ValueError(
            f"layer_norm: normalized_shape {shape} must be the last axes of the input, got input shape {input.shape}"
        )
    for key, value in {"weight": weight, "bias": bias}.items():
        if value is not None and tuple(value.shape) != shape:
            raise ValueError(f"layer_norm: {key} has shape {tuple(value.shape)}, expected normalized_shape {shape}")
    check_floats("layer_norm", input=input, weight=weight, bias=bias)
    axes = tuple(range(input.ndim - len(shape), input.ndim))
    centred = input - input.mean(axis=axes, keepdims=True)
    out = centred / ((centred * centred).mean(axis=axes, keepdims=True) + eps).sqrt()
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


def _update_running(running: Tensor | None, batch_value: np.ndarray, momentum: float) -> None:
    if running is not None:  # in place, so the module's buffer is the array that changes
        running.data[...] = (1 - momentum) * running.data + momentum * batch_value


def _as_constant(statistic: Any, shape: tuple[int, ...], dtype: np.dtype) -> Tensor:
    values = statistic.data if isinstance(statistic, Tensor) else np.asarray(statistic)
    return Tensor(values.reshape(shape).astype(dtype, copy=False))
