"""`pad`: a constant border around a tensor (negative amounts crop), as `torch.nn.functional.pad`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Function, Tensor
from nn.functional.checks import as_tensor

Pairs = tuple[tuple[int, int], ...]


class Pad(Function):
    """y = x with `before` values in front of and `after` behind each axis (a negative amount cuts
    that many off);  dL/dx = pad(dL/dy, -before, -after): the border's gradient dropped, the rest
    passed through, a linear map whose adjoint is the opposite padding."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, *, pairs: Pairs, value: float) -> np.ndarray:
        ctx.pairs = pairs
        return pad_array(x, pairs, value)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        opposite = tuple((-before, -after) for before, after in ctx.pairs)
        if isinstance(grad, Tensor):  # recorded (create_graph)
            return Pad.apply(grad, pairs=opposite, value=0.0)
        return pad_array(grad, opposite, 0.0)


def pad_array(x: np.ndarray, pairs: Pairs, value: float) -> np.ndarray:
    """numpy version of `Pad`: crop the negative amounts, then add the positive ones."""
    keep = tuple(slice(max(-before, 0), size - max(-after, 0)) for size, (before, after) in zip(x.shape, pairs))
    add = tuple((max(before, 0), max(after, 0)) for before, after in pairs)
    return np.pad(x[keep], add, constant_values=value)


def pad(input: Tensor, pad: Sequence[int], value: float = 0.0) -> Tensor:
    """Pad the last axes with `value`. `pad` comes in PyTorch's order, last axis first:
    (left, right) pads the last axis, (left, right, top, bottom) the last two, and so on."""
    input = as_tensor(input)
    amounts = tuple(pad)
    if len(amounts) % 2 or len(amounts) > 2 * input.ndim or not all(isinstance(a, (int, np.integer)) for a in amounts):
        raise ValueError(
            f"pad: expects an even number of ints, at most 2 per axis ({2 * input.ndim} for shape {input.shape}), "
            f"as (left, right) of the last axis first, got {pad!r}"
        )
    pairs = [(0, 0)] * input.ndim
    for i in range(len(amounts) // 2):
        pairs[input.ndim - 1 - i] = (int(amounts[2 * i]), int(amounts[2 * i + 1]))
    for size, (before, after) in zip(input.shape, pairs):
        if size + before + after < 0:
            raise ValueError(f"pad: {pad!r} crops more than the {size} elements of an axis of shape {input.shape}")
    return Pad.apply(input, pairs=tuple(pairs), value=value)
