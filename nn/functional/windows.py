"""Where a kernel lands on an image: the sliding windows that convolution and pooling share.

`Windows` holds a kernel's size, step (stride), the border added around the input (padding)
and the gaps inside the kernel (dilation), for 1 or 2 spatial axes. `im2col` cuts an
input into one column per window and `col2im` adds columns back; they are each other's
adjoint, so each is the other's backward (`Unfold` and `Fold`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from autograd import Function, Tensor


@dataclass(frozen=True)
class Windows:
    """A kernel sliding over the spatial axes of an (N, C, *spatial) input.

    Window (i, j) reads the padded input at rows i·stride + p·dilation for p < kernel (and so
    for columns); there are (size + before + after - dilation·(kernel - 1) - 1) // stride + 1 of them.
    """

    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[tuple[int, int], ...]  # (before, after) for each spatial axis
    dilation: tuple[int, ...]

    def output_shape(self, spatial: tuple[int, ...]) -> tuple[int, ...]:
        """How many windows fit along each spatial axis (0 or less: the input is too small)."""
        return tuple(
            (size + before + after - d * (k - 1) - 1) // s + 1
            for size, (before, after), k, s, d in zip(spatial, self.padding, self.kernel, self.stride, self.dilation)
        )

    def pad(self, x: np.ndarray, fill: float = 0.0) -> np.ndarray:
        """x with the border added around its spatial axes."""
        if not any(before or after for before, after in self.padding):
            return x
        return np.pad(x, ((0, 0), (0, 0), *self.padding), constant_values=fill)

    def positions(self, output_shape: tuple[int, ...]) -> Iterator[tuple[slice, ...]]:
        """For each kernel position p (row-major), the slices of the padded input that position p
        of every window reads: rows p·dilation, p·dilation + stride, ... (one strided view each)."""
        for position in itertools.product(*(range(k) for k in self.kernel)):
            steps = zip(position, self.dilation, self.stride, output_shape)
            yield (slice(None), slice(None), *(slice(p * d, p * d + s * (o - 1) + 1, s) for p, d, s, o in steps))

    def padded_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """The shape of an (N, C, *spatial) input with the border added."""
        n, c, *spatial = shape
        return (n, c, *(size + before + after for size, (before, after) in zip(spatial, self.padding)))

    def crop(self, padded: np.ndarray) -> np.ndarray:
        """The inside of a padded array: the border taken off again."""
        inside = tuple(slice(before, size - after) for size, (before, after) in zip(padded.shape[2:], self.padding))
        return padded[(slice(None), slice(None), *inside)]

    def view(self, x: np.ndarray, fill: float = 0.0) -> np.ndarray:
        """A read-only view of shape (N, C, *output_shape, *kernel): every window of the padded x."""
        spans = tuple(d * (k - 1) + 1 for k, d in zip(self.kernel, self.dilation))
        spatial_axes = tuple(range(2, x.ndim))
        every_window = sliding_window_view(self.pad(x, fill), spans, axis=spatial_axes)
        steps = tuple(slice(None, None, s) for s in self.stride) + tuple(slice(None, None, d) for d in self.dilation)
        return every_window[(slice(None), slice(None), *steps)]


def im2col_array(x: np.ndarray, windows: Windows) -> np.ndarray:
    """(N, C, *spatial) -> (N, C·K, L): one column per window, rows ordered (channel, kernel position)."""
    n, c = x.shape[:2]
    view = windows.view(x)  # (N, C, *out, *kernel)
    dims = len(windows.kernel)
    out_axes, kernel_axes = range(2, 2 + dims), range(2 + dims, 2 + 2 * dims)
    columns = view.transpose(0, 1, *kernel_axes, *out_axes)  # (N, C, *kernel, *out)
    return columns.reshape(n, c * math.prod(windows.kernel), -1)


def col2im_array(columns: np.ndarray, windows: Windows, input_shape: tuple[int, ...]) -> np.ndarray:
    """The adjoint of `im2col_array`: add every column entry back at the input element it was read from."""
    n, c, *spatial = input_shape
    out = windows.output_shape(tuple(spatial))
    columns = columns.reshape(n, c, math.prod(windows.kernel), *out)
    padded = np.zeros(windows.padded_shape(input_shape), dtype=columns.dtype)
    # One strided add per kernel position (K adds of a whole image each, rather than N·C·K·L scattered ones).
    for k, rows in enumerate(windows.positions(out)):
        padded[rows] += columns[:, :, k]
    return windows.crop(padded)


class Unfold(Function):
    """columns[n, (c, p), l] = x_padded[n, c, l·stride + p·dilation] (im2col);  a linear map, so
    dL/dx = fold(dL/dcolumns): each column's gradient goes back to the elements it was read from."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, *, windows: Windows) -> np.ndarray:
        ctx.windows, ctx.input_shape = windows, x.shape
        return im2col_array(x, windows)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return col2im(grad, ctx.windows, ctx.input_shape)


class Fold(Function):
    """x[n, c, i] = Σ of the column entries read from element i (col2im);  dL/dcolumns = unfold(dL/dx)."""

    @staticmethod
    def forward(ctx: Function, columns: np.ndarray, *, windows: Windows, input_shape: tuple[int, ...]) -> np.ndarray:
        ctx.windows = windows
        return col2im_array(columns, windows, input_shape)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return im2col(grad, ctx.windows)


def im2col(x: Any, windows: Windows) -> Any:
    """`im2col_array` of an array, or the recorded `Unfold` of a Tensor (inside a recorded backward)."""
    return Unfold.apply(x, windows=windows) if isinstance(x, Tensor) else im2col_array(x, windows)


def col2im(columns: Any, windows: Windows, input_shape: tuple[int, ...]) -> Any:
    """`col2im_array` of an array, or the recorded `Fold` of a Tensor (inside a recorded backward)."""
    if isinstance(columns, Tensor):
        return Fold.apply(columns, windows=windows, input_shape=tuple(input_shape))
    return col2im_array(columns, windows, input_shape)
