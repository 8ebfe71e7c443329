"""Convolution layers: `Conv1d` and `Conv2d`, PyTorch's arguments and parameter layouts."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor
from nn import functional as F
from nn import init
from nn.functional.checks import LAYOUTS
from nn.module import Module
from nn.parameter import Parameter


class _ConvNd(Module):
    """What Conv1d and Conv2d share: `weight` (out_channels, in_channels // groups, *kernel_size)
    and `bias` (out_channels,), both from U(-1/√fan_in, 1/√fan_in) with fan_in = in_channels //
    groups · Π kernel_size, as PyTorch initialises them."""

    dims: int

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] = 1,
        padding: int | tuple[int, ...] | str = 0,
        dilation: int | tuple[int, ...] = 1,
        groups: int = 1,
        bias: bool = True,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{name}: groups={groups} must divide in_channels={in_channels} and out_channels={out_channels}"
            )
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = F.checks.spatial(name, "kernel_size", kernel_size, self.dims)
        self.stride = F.checks.spatial(name, "stride", stride, self.dims)
        self.dilation = F.checks.spatial(name, "dilation", dilation, self.dims)
        if isinstance(padding, str):
            F.checks.padding_pairs(name, padding, self.kernel_size, self.stride, self.dilation)  # checks it
            self.padding: tuple[int, ...] | str = padding
        else:
            self.padding = F.checks.spatial(name, "padding", padding, self.dims, smallest=0)
        fan_in = in_channels // groups * math.prod(self.kernel_size)
        bound = 1 / math.sqrt(fan_in)
        shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = init.uniform_(Parameter(np.zeros(shape)), -bound, bound)
        self.bias = init.uniform_(Parameter(np.zeros(out_channels)), -bound, bound) if bias else None

    def forward(self, input: Tensor) -> Tensor:
        input = F.checks.as_tensor(input)
        if input.ndim == self.dims + 2 and input.shape[1] != self.in_channels:
            raise ValueError(
                f"{self!r}: the input has {input.shape[1]} channels (shape {input.shape}, laid out "
                f"{LAYOUTS[self.dims]}), but this layer was built for in_channels={self.in_channels}"
            )
        return F.convolution.convolution(
            repr(self), input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups, self.dims
        )

    def extra_repr(self) -> str:
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        defaults: dict[str, Any] = {"padding": (0,) * self.dims, "dilation": (1,) * self.dims, "groups": 1}
        for key, default in defaults.items():
            if getattr(self, key) != default:
                text += f", {key}={getattr(self, key)!r}"
        return text + ("" if self.bias is not None else ", bias=False")


class Conv1d(_ConvNd):
    """1-D convolution of (N, C_in, L) to (N, C_out, L_out); see `nn.functional.conv1d`."""

    dims = 1


class Conv2d(_ConvNd):
    """2-D convolution of (N, C_in, H, W) to (N, C_out, H_out, W_out); see `nn.functional.conv2d`.

    H_out = (H + 2·padding - dilation·(kernel_size - 1) - 1) // stride + 1, and so for W.
    """

    dims = 2
