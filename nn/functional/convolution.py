"""Convolution as one matrix product: `im2col` cuts the input into one column per output position,
and the kernel, flattened to a matrix, multiplies every column at once. Also PyTorch's `unfold`
and `fold`, the im2col and col2im steps on their own."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Function, Tensor
from nn.functional.checks import as_tensor, check_fits, check_floats, check_input, padding_pairs, spatial
from nn.functional.windows import Fold, Unfold, Windows, col2im, im2col, im2col_array


class Convolution(Function):
    """Y[n, o, i] = Σ_{c, p} W[o, c, p] · x_padded[n, c, i·stride + p·dilation] + b[o], computed as
    Y = W · cols(x) + b, with W flattened to (out_channels, in_channels·K) and cols = im2col(x).

        dL/dW = Σ_n dL/dY · cols(x)ᵀ     (a product with the same columns)
        dL/dx = col2im(Wᵀ · dL/dY)        (each column's gradient added back where it was read:
                                          a transposed convolution, itself differentiable)
        dL/db = Σ_{n, i} dL/dY

    With groups, channels split into `groups` independent convolutions (one product per group).
    """

    @staticmethod
    def forward(
        ctx: Function, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, *, windows: Windows, groups: int
    ) -> np.ndarray:
        n, out_channels = x.shape[0], weight.shape[0]
        columns = im2col_array(x, windows)  # (N, C·K, L)
        out = _grouped(weight, groups) @ columns.reshape(n, groups, -1, columns.shape[-1])  # (N, G, O/G, L)
        out = out.reshape(n, out_channels, *windows.output_shape(x.shape[2:]))
        if bias is not None:
            out += bias.reshape(-1, *[1] * len(windows.kernel))
        ctx.windows, ctx.groups = windows, groups
        ctx.save_for_backward(x, weight, columns)
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> tuple[Any, Any, Any]:
        x, weight, columns = ctx.saved_tensors
        needs_x, needs_weight, needs_bias = ctx.needs_input_grad
        if isinstance(grad, Tensor):  # recorded (create_graph): the columns must be seen to depend on x
            columns = im2col(x, ctx.windows)
        n, groups = grad.shape[0], ctx.groups
        grad_y = grad.reshape(n, groups, -1, columns.shape[-1])  # (N, G, O/G, L)
        grad_x = grad_weight = grad_bias = None
        if needs_x:
            grad_columns = _grouped(weight, groups).swapaxes(-1, -2) @ grad_y  # (N, G, C/G·K, L)
            grad_x = col2im(grad_columns.reshape(columns.shape), ctx.windows, x.shape)
        if needs_weight:
            per_sample = grad_y @ columns.reshape(n, groups, -1, columns.shape[-1]).swapaxes(-1, -2)
            grad_weight = per_sample.sum(axis=0).reshape(weight.shape)
        if needs_bias:
            grad_bias = grad.sum(axis=(0, *range(2, grad.ndim)))
        return grad_x, grad_weight, grad_bias


def _grouped(weight: Any, groups: int) -> Any:
    """(O, C/G, *kernel) -> (G, O/G, C/G·K): one matrix per group."""
    return weight.reshape(groups, weight.shape[0] // groups, -1)


# ---------------------------------------------------------------------- the functions users call


def conv1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | tuple[int] = 1,
    padding: int | tuple[int] | str = 0,
    dilation: int | tuple[int] = 1,
    groups: int = 1,
) -> Tensor:
    """1-D convolution (cross-correlation, as in PyTorch) of input (N, C, L) with weight (O, C/groups, K)."""
    return convolution("conv1d", input, weight, bias, stride, padding, dilation, groups, dims=1)


def conv2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] | str = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
) -> Tensor:
    """2-D convolution (cross-correlation, as in PyTorch) of input (N, C, H, W) with weight
    (O, C/groups, kH, kW): Y[n, o, i, j] = Σ_{c,p,q} W[o, c, p, q] x[n, c, i·s + p·d, j·s + q·d] + b[o]."""
    return convolution("conv2d", input, weight, bias, stride, padding, dilation, groups, dims=2)


def convolution(
    name: str,
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: int,
    dims: int,
) -> Tensor:
    """conv1d/conv2d after checking every argument; `name` (the function, or a layer) names errors."""
    input, weight = as_tensor(input), as_tensor(weight)
    bias = None if bias is None else as_tensor(bias)
    check_input(name, input, dims)
    if weight.ndim != dims + 2:
        raise ValueError(
            f"{name}: weight must be (out_channels, in_channels/groups, *kernel) with {dims + 2} axes, "
            f"got shape {weight.shape}"
        )
    check_floats(name, input=input, weight=weight, bias=bias)
    out_channels, channels_per_group = weight.shape[:2]
    if groups < 1 or input.shape[1] % groups or out_channels % groups:
        raise ValueError(
            f"{name}: groups={groups} must divide both the input's {input.shape[1]} channels and the "
            f"{out_channels} output channels"
        )
    if input.shape[1] != channels_per_group * groups:
        raise ValueError(
            f"{name}: the input has {input.shape[1]} channels (shape {input.shape}), but the weight of shape "
            f"{weight.shape} expects {channels_per_group * groups} (in_channels = weight.shape[1] * groups = "
            f"{channels_per_group} * {groups}). Pass an input with {channels_per_group * groups} channels, or "
            f"build the layer with in_channels={input.shape[1]}"
        )
    if bias is not None and bias.shape != (out_channels,):
        raise ValueError(
            f"{name}: bias must have shape ({out_channels},), one value per output channel, got {bias.shape}"
        )
    kernel = tuple(weight.shape[2:])
    stride, dilation = spatial(name, "stride", stride, dims), spatial(name, "dilation", dilation, dims)
    windows = Windows(kernel, stride, padding_pairs(name, padding, kernel, stride, dilation), dilation)
    check_fits(name, input, windows)
    return Convolution.apply(input, weight, bias, windows=windows, groups=groups)


# ---------------------------------------------------------------------- im2col itself, as in PyTorch


def unfold(
    input: Tensor,
    kernel_size: int | tuple[int, int],
    dilation: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    stride: int | tuple[int, int] = 1,
) -> Tensor:
    """(N, C, H, W) -> (N, C·kH·kW, L): every kH×kW window as a column (im2col), as `torch.nn.functional.unfold`."""
    input = as_tensor(input)
    check_input("unfold", input, 2)
    windows = _windows("unfold", kernel_size, dilation, padding, stride)
    check_fits("unfold", input, windows)
    return Unfold.apply(input, windows=windows)


def fold(
    input: Tensor,
    output_size: int | tuple[int, int],
    kernel_size: int | tuple[int, int],
    dilation: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    stride: int | tuple[int, int] = 1,
) -> Tensor:
    """(N, C·kH·kW, L) -> (N, C, H, W): columns added back into an image (col2im), as `torch.nn.functional.fold`."""
    input = as_tensor(input)
    windows = _windows("fold", kernel_size, dilation, padding, stride)
    size = spatial("fold", "output_size", output_size, 2)
    per_channel, positions = math.prod(windows.kernel), math.prod(windows.output_shape(size))
    if input.ndim != 3 or input.shape[1] % per_channel or input.shape[2] != positions:
        raise ValueError(
            f"fold: expects input (N, C·{per_channel}, {positions}) for kernel {windows.kernel} on output size "
            f"{size}, got shape {input.shape}"
        )
    return Fold.apply(input, windows=windows, input_shape=(input.shape[0], input.shape[1] // per_channel, *size))


def _windows(name: str, kernel_size: Any, dilation: Any, padding: Any, stride: Any) -> Windows:
    kernel = spatial(name, "kernel_size", kernel_size, 2)
    padding = tuple((p, p) for p in spatial(name, "padding", padding, 2, smallest=0))
    return Windows(kernel, spatial(name, "stride", stride, 2), padding, spatial(name, "dilation", dilation, 2))
