"""One table of the convolution chapter's functions: it drives the forward checks (against direct
loops that follow the definitions), gradcheck, second derivatives and the PyTorch oracle.

Each case calls one function of `nn.functional` with fixed options on float64 inputs, and names
its PyTorch twin (`torch.nn.functional`, same arguments), so one row is checked every way.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import nn.functional as F


@dataclass(frozen=True)
class Case:
    name: str
    ours: Callable  # Tensors in, a Tensor out
    theirs: Callable  # (torch.nn.functional, torch Tensors) -> a torch Tensor
    shapes: tuple  # the input shapes
    reference: Callable | None = None  # the same math as direct loops over numpy arrays
    smooth: bool = True  # second derivatives checked

    def inputs(self, seed: int = 0) -> list[np.ndarray]:
        rng = np.random.default_rng(seed)
        return [rng.normal(size=shape) for shape in self.shapes]


def direct_conv(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """Y[n, o, i..] = Σ_{c, p..} W[o, c, p..] x_padded[n, g·C/G + c, i·s + p·d ..] + b[o], by loops."""
    dims = x.ndim - 2
    stride, dilation = _per_axis(stride, dims), _per_axis(dilation, dims)
    if padding == "same":
        totals = [d * (k - 1) for k, d in zip(w.shape[2:], dilation)]
        pairs = [(t // 2, t - t // 2) for t in totals]
    else:
        pairs = [(p, p) for p in _per_axis(padding, dims)]
    x = np.pad(x, [(0, 0), (0, 0), *pairs])
    n = x.shape[0]
    out_channels, per_group = w.shape[:2]
    kernel = w.shape[2:]
    out_shape = [(size - d * (k - 1) - 1) // s + 1 for size, k, s, d in zip(x.shape[2:], kernel, stride, dilation)]
    y = np.zeros((n, out_channels, *out_shape))
    for o in range(out_channels):
        group = o // (out_channels // groups)
        for position in itertools.product(*map(range, out_shape)):
            for c in range(per_group):
                for offset in itertools.product(*map(range, kernel)):
                    at = tuple(i * s + p * d for i, p, s, d in zip(position, offset, stride, dilation))
                    y[(slice(None), o, *position)] += w[(o, c, *offset)] * x[(slice(None), group * per_group + c, *at)]
    if b is not None:
        y += b.reshape(-1, *[1] * dims)
    return y


def direct_pool(x, kernel, stride=None, padding=0, reduce=np.max):
    """Each window's max (or mean, padded zeros included), by loops."""
    dims = x.ndim - 2
    kernel = _per_axis(kernel, dims)
    stride = kernel if stride is None else _per_axis(stride, dims)
    padding = _per_axis(padding, dims)
    fill = -np.inf if reduce is np.max else 0.0
    x = np.pad(x, [(0, 0), (0, 0), *[(p, p) for p in padding]], constant_values=fill)
    out_shape = [(size - k) // s + 1 for size, k, s in zip(x.shape[2:], kernel, stride)]
    y = np.zeros((*x.shape[:2], *out_shape))
    for position in itertools.product(*map(range, out_shape)):
        window = tuple(slice(i * s, i * s + k) for i, s, k in zip(position, stride, kernel))
        values = x[(slice(None), slice(None), *window)].reshape(*x.shape[:2], -1)
        y[(slice(None), slice(None), *position)] = reduce(values, axis=-1)
    return y


def _per_axis(value, dims):
    return (value,) * dims if isinstance(value, int) else tuple(value)


CASES: list[Case] = [
    Case(
        "conv2d",
        lambda x, w, b: F.conv2d(x, w, b),
        lambda TF, x, w, b: TF.conv2d(x, w, b),
        ((2, 3, 5, 4), (4, 3, 2, 2), (4,)),
        direct_conv,
    ),
    Case(
        "conv2d_no_bias_batch_1", F.conv2d, lambda TF, x, w: TF.conv2d(x, w), ((1, 2, 4, 5), (3, 2, 3, 3)), direct_conv
    ),
    Case(
        "conv2d_stride_2_padding_1",
        lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1),
        lambda TF, x, w, b: TF.conv2d(x, w, b, stride=2, padding=1),
        ((2, 2, 5, 6), (3, 2, 3, 3), (3,)),
        lambda x, w, b: direct_conv(x, w, b, stride=2, padding=1),
    ),
    Case(
        "conv2d_tuples",
        lambda x, w: F.conv2d(x, w, stride=(2, 1), padding=(0, 2), dilation=(1, 2)),
        lambda TF, x, w: TF.conv2d(x, w, stride=(2, 1), padding=(0, 2), dilation=(1, 2)),
        ((2, 2, 7, 5), (2, 2, 3, 2)),
        lambda x, w: direct_conv(x, w, stride=(2, 1), padding=(0, 2), dilation=(1, 2)),
    ),
    Case(
        "conv2d_dilation_2",
        lambda x, w: F.conv2d(x, w, dilation=2),
        lambda TF, x, w: TF.conv2d(x, w, dilation=2),
        ((1, 1, 7, 6), (2, 1, 3, 2)),
        lambda x, w: direct_conv(x, w, dilation=2),
    ),
    Case(
        "conv2d_groups_2",
        lambda x, w, b: F.conv2d(x, w, b, groups=2, padding=1),
        lambda TF, x, w, b: TF.conv2d(x, w, b, groups=2, padding=1),
        ((2, 4, 4, 3), (6, 2, 2, 2), (6,)),
        lambda x, w, b: direct_conv(x, w, b, groups=2, padding=1),
    ),
    Case(
        "conv2d_depthwise",
        lambda x, w: F.conv2d(x, w, groups=3),
        lambda TF, x, w: TF.conv2d(x, w, groups=3),
        ((2, 3, 4, 4), (3, 1, 3, 3)),
        lambda x, w: direct_conv(x, w, groups=3),
    ),
    Case(
        "conv2d_same_odd_kernel",
        lambda x, w: F.conv2d(x, w, padding="same"),
        lambda TF, x, w: TF.conv2d(x, w, padding="same"),
        ((1, 2, 5, 4), (2, 2, 3, 3)),
        lambda x, w: direct_conv(x, w, padding="same"),
    ),
    Case(
        "conv2d_same_even_kernel_dilated",
        lambda x, w: F.conv2d(x, w, padding="same", dilation=(1, 3)),
        lambda TF, x, w: TF.conv2d(x, w, padding="same", dilation=(1, 3)),
        ((2, 1, 4, 7), (2, 1, 2, 2)),
        lambda x, w: direct_conv(x, w, padding="same", dilation=(1, 3)),
    ),
    Case(
        "conv2d_valid",
        lambda x, w: F.conv2d(x, w, padding="valid"),
        lambda TF, x, w: TF.conv2d(x, w, padding="valid"),
        ((1, 1, 3, 3), (1, 1, 3, 3)),
        direct_conv,
    ),
    Case(
        "conv1d",
        lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1),
        lambda TF, x, w, b: TF.conv1d(x, w, b, stride=2, padding=1),
        ((2, 3, 7), (4, 3, 3), (4,)),
        lambda x, w, b: direct_conv(x, w, b, stride=2, padding=1),
    ),
    Case(
        "conv1d_groups_dilation_same",
        lambda x, w: F.conv1d(x, w, groups=2, dilation=2, padding="same"),
        lambda TF, x, w: TF.conv1d(x, w, groups=2, dilation=2, padding="same"),
        ((1, 4, 6), (2, 2, 2)),
        lambda x, w: direct_conv(x, w, groups=2, dilation=2, padding="same"),
    ),
    Case(
        "max_pool2d",
        lambda x: F.max_pool2d(x, 2),
        lambda TF, x: TF.max_pool2d(x, 2),
        ((2, 3, 4, 6),),
        lambda x: direct_pool(x, 2),
        smooth=False,
    ),
    Case(
        "max_pool2d_overlapping_padded_odd",
        lambda x: F.max_pool2d(x, (3, 2), stride=(2, 1), padding=1),
        lambda TF, x: TF.max_pool2d(x, (3, 2), stride=(2, 1), padding=1),
        ((1, 2, 5, 5),),
        lambda x: direct_pool(x, (3, 2), (2, 1), 1),
        smooth=False,
    ),
    Case(
        "max_pool1d",
        lambda x: F.max_pool1d(x, 3, stride=2),
        lambda TF, x: TF.max_pool1d(x, 3, stride=2),
        ((2, 2, 7),),
        lambda x: direct_pool(x, 3, 2),
        smooth=False,
    ),
    Case(
        "avg_pool2d",
        lambda x: F.avg_pool2d(x, 2),
        lambda TF, x: TF.avg_pool2d(x, 2),
        ((2, 3, 4, 5),),
        lambda x: direct_pool(x, 2, reduce=np.mean),
    ),
    Case(
        "avg_pool2d_padded_overlapping",
        lambda x: F.avg_pool2d(x, 3, stride=1, padding=1),
        lambda TF, x: TF.avg_pool2d(x, 3, stride=1, padding=1),
        ((1, 2, 4, 3),),
        lambda x: direct_pool(x, 3, 1, 1, reduce=np.mean),
    ),
    Case(
        "avg_pool1d",
        lambda x: F.avg_pool1d(x, 2, stride=1, padding=1),
        lambda TF, x: TF.avg_pool1d(x, 2, stride=1, padding=1),
        ((2, 3, 5),),
        lambda x: direct_pool(x, 2, 1, 1, reduce=np.mean),
    ),
    Case(
        "adaptive_avg_pool2d_uneven_bins",
        lambda x: F.adaptive_avg_pool2d(x, (3, 2)),
        lambda TF, x: TF.adaptive_avg_pool2d(x, (3, 2)),
        ((2, 2, 5, 7),),
    ),
    Case(
        "adaptive_avg_pool2d_global",
        lambda x: F.adaptive_avg_pool2d(x, 1),
        lambda TF, x: TF.adaptive_avg_pool2d(x, 1),
        ((2, 3, 4, 5),),
        lambda x: x.mean(axis=(2, 3), keepdims=True),
    ),
    Case(
        "adaptive_avg_pool2d_none_keeps_size",
        lambda x: F.adaptive_avg_pool2d(x, (None, 2)),
        lambda TF, x: TF.adaptive_avg_pool2d(x, (None, 2)),
        ((1, 2, 3, 4),),
    ),
    Case(
        "pad_last_two_axes",
        lambda x: F.pad(x, (1, 2, 0, 3), value=0.5),
        lambda TF, x: TF.pad(x, (1, 2, 0, 3), value=0.5),
        ((2, 3, 4),),
        lambda x: np.pad(x, [(0, 0), (0, 3), (1, 2)], constant_values=0.5),
    ),
    Case(
        "pad_negative_crops",
        lambda x: F.pad(x, (-1, 2, 1, -2)),
        lambda TF, x: TF.pad(x, (-1, 2, 1, -2)),
        ((2, 5, 4),),
        lambda x: np.pad(x[:, :-2, 1:], [(0, 0), (1, 0), (0, 2)]),
    ),
    Case(
        "unfold",
        lambda x: F.unfold(x, (2, 3), padding=1, stride=(1, 2)),
        lambda TF, x: TF.unfold(x, (2, 3), padding=1, stride=(1, 2)),
        ((2, 2, 4, 5),),
    ),
    Case(
        "fold",
        lambda c: F.fold(c, (4, 5), (2, 2), dilation=(1, 2)),
        lambda TF, c: TF.fold(c, (4, 5), (2, 2), dilation=(1, 2)),
        ((2, 8, 9),),
    ),
    Case(
        "batch_norm_training",
        lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
        lambda TF, x, w, b: TF.batch_norm(x, None, None, w, b, training=True),
        ((4, 3, 2, 2), (3,), (3,)),
        lambda x, w, b: (
            (x - x.mean(axis=(0, 2, 3), keepdims=True))
            / np.sqrt(x.var(axis=(0, 2, 3), keepdims=True) + 1e-5)
            * w.reshape(3, 1, 1)
            + b.reshape(3, 1, 1)
        ),
    ),
    Case(
        "batch_norm_training_2d_input",
        lambda x: F.batch_norm(x, None, None, training=True, eps=0.1),
        lambda TF, x: TF.batch_norm(x, None, None, training=True, eps=0.1),
        ((5, 3),),
        lambda x: (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 0.1),
    ),
]

RUNNING_MEAN, RUNNING_VAR = np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.25, 4.0])
CASES.append(
    Case(
        "batch_norm_eval",
        lambda x, w, b: F.batch_norm(x, RUNNING_MEAN.copy(), RUNNING_VAR.copy(), w, b),
        lambda TF, x, w, b: TF.batch_norm(
            x, _torch(TF).tensor(RUNNING_MEAN, dtype=x.dtype), _torch(TF).tensor(RUNNING_VAR, dtype=x.dtype), w, b
        ),
        ((2, 3, 4), (3,), (3,)),
        lambda x, w, b: (x - RUNNING_MEAN[:, None]) / np.sqrt(RUNNING_VAR[:, None] + 1e-5) * w[:, None] + b[:, None],
    )
)


def _torch(TF):
    import torch

    return torch
