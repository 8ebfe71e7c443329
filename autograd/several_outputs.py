"""A `Function` whose forward returns several outputs, as PyTorch allows (`return y, indices`).

Every node of glassgrad's graph is one tensor, so such an operation becomes one node holding all of
its differentiable outputs, flattened end to end (the packed result), and one `Unpack` node per
output. Gradients reaching the outputs meet in the packed node, where `Outputs.split` hands the
Function's backward one gradient per output (zeros for an output nothing used, as in PyTorch).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Op
from autograd.ops.backward_math import scatter_add
from autograd.tensor import Tensor


class Outputs:
    """Where each output of a Function with several outputs lies in its packed result."""

    def __init__(self, arrays: list[np.ndarray], differentiable: list[bool]) -> None:
        self.arrays = arrays  # forward's outputs, kept to recognise them among the saved values
        self.bounds: list[tuple[int, int] | None] = []  # None for an output without gradient
        start = 0
        for array, is_differentiable in zip(arrays, differentiable):
            self.bounds.append((start, start + array.size) if is_differentiable else None)
            start += array.size if is_differentiable else 0
        self.dtype = np.result_type(*[a for a, d in zip(arrays, differentiable) if d])

    def pack(self) -> np.ndarray:
        """The differentiable outputs, flattened and concatenated (the one array of the node)."""
        flat = [array.reshape(-1) for array, bounds in zip(self.arrays, self.bounds) if bounds is not None]
        return np.concatenate(flat).astype(self.dtype, copy=False)

    def unpack(self, packed: Tensor, position: int) -> Tensor:
        """Output `position` as a node of the graph, read from the packed node."""
        start, stop = self.bounds[position]
        array = self.arrays[position]
        return Unpack.apply(packed, start=start, stop=stop, shape=array.shape, dtype=array.dtype)

    def split(self, grad: Any) -> tuple[Any, ...]:
        """d loss / d packed, cut into d loss / d output for each output (arrays or Tensors alike)."""
        grads = []
        for array, bounds in zip(self.arrays, self.bounds):
            if bounds is None:  # not differentiable: its gradient is zero, as PyTorch materialises it
                grads.append(np.zeros(array.shape, dtype=self.dtype))
            else:
                grads.append(grad[bounds[0] : bounds[1]].reshape(array.shape))
        return tuple(grads)

    def position_of(self, value: Any) -> int | None:
        """Which differentiable output `value` is (by identity), if any."""
        for position, (array, bounds) in enumerate(zip(self.arrays, self.bounds)):
            if array is value and bounds is not None:
                return position
        return None


class Unpack(Op):
    """y = one output of a Function with several outputs: packed[start:stop] in that output's shape;
    dy/dpacked = 1 on that slice and 0 elsewhere."""

    @staticmethod
    def forward(
        ctx: Function, packed: np.ndarray, *, start: int, stop: int, shape: tuple[int, ...], dtype: np.dtype
    ) -> np.ndarray:
        ctx.where, ctx.packed_shape, ctx.packed_dtype = slice(start, stop), packed.shape, packed.dtype
        return packed[start:stop].reshape(shape).astype(dtype)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        flat = grad.reshape(-1)
        if flat.dtype != ctx.packed_dtype:
            flat = flat.astype(ctx.packed_dtype)
        return scatter_add(flat, ctx.where, ctx.packed_shape)
