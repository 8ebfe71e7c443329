"""Whole derivatives of a function, as in `torch.autograd.functional`: `jacobian` and `hessian`.

Both are built on `autograd.grad`, one backward pass per output element: clear, not fast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.engine import grad
from autograd.operations import stack
from autograd.tensor import Tensor

Inputs = Tensor | Sequence[Tensor]


def jacobian(func: Callable[..., Any], inputs: Inputs, create_graph: bool = False) -> Any:
    """J[i..., j...] = d func(inputs)[i...] / d inputs[j...], of shape `output.shape + input.shape`.

    As in PyTorch: one Tensor for one input and one output; a tuple over the inputs when
    `inputs` is a tuple, over the outputs when `func` returns a tuple (a tuple of tuples for
    both). With `create_graph=True` the result can be differentiated again.
    """
    several_inputs, inputs = _as_tuple(inputs, "jacobian")
    inputs = tuple(_fresh_leaf(x, create_graph) for x in inputs)
    outputs = func(*inputs)
    several_outputs, outputs = _as_tuple(outputs, "jacobian (the outputs of func)")
    rows = tuple(tuple(_jacobian_block(output, inputs, create_graph)) for output in outputs)
    rows = tuple(row if several_inputs else row[0] for row in rows)
    return rows if several_outputs else rows[0]


def hessian(func: Callable[..., Tensor], inputs: Inputs, create_graph: bool = False) -> Any:
    """H[i..., j...] = d² func(inputs) / d inputs[i...] d inputs[j...] for a func of one element.

    The Jacobian of the gradient; a tuple of tuples over the inputs when `inputs` is a tuple.
    """
    several_inputs, inputs = _as_tuple(inputs, "hessian")

    def gradient(*xs: Tensor) -> tuple[Tensor, ...]:
        output = func(*xs)
        if not isinstance(output, Tensor) or output.size != 1:
            shape = output.shape if isinstance(output, Tensor) else type(output).__name__
            raise RuntimeError(f"hessian: func must return a Tensor with one element, got {shape}")
        return _grads_or_zeros(output, xs, None, create_graph=True)

    result = jacobian(gradient, tuple(inputs), create_graph=create_graph)
    return result if several_inputs else result[0][0]


def _jacobian_block(output: Tensor, inputs: tuple[Tensor, ...], create_graph: bool) -> list[Tensor]:
    """The Jacobian of one output with respect to each input: one backward pass per output element."""
    rows: list[tuple[Tensor, ...]] = []
    for index in range(output.size):
        seed = np.zeros(output.size, dtype=output.dtype)
        seed[index] = 1  # picks d output[index] / d inputs
        rows.append(_grads_or_zeros(output, inputs, seed.reshape(output.shape), create_graph))
    blocks = []
    for position, x in enumerate(inputs):
        if not rows:
            blocks.append(Tensor(np.zeros(output.shape + x.shape, dtype=x.dtype)))
            continue
        block = stack([row[position] for row in rows])
        blocks.append(block.reshape(output.shape + x.shape))
    return blocks


def _grads_or_zeros(output: Tensor, inputs: tuple[Tensor, ...], seed: Any, create_graph: bool) -> tuple[Tensor, ...]:
    """d output / d each input (weighted by seed), zeros where the output does not depend on it."""
    if not output.requires_grad:  # the output does not depend on any input
        return tuple(Tensor(np.zeros(x.shape, dtype=x.dtype)) for x in inputs)
    found = grad(output, inputs, seed, retain_graph=True, create_graph=create_graph, allow_unused=True)
    return tuple(Tensor(np.zeros(x.shape, dtype=x.dtype)) if g is None else g for g, x in zip(found, inputs))


def _fresh_leaf(x: Any, create_graph: bool) -> Tensor:
    """The input as a tensor that requires grad; with create_graph the caller's own tensor is kept,
    so that the result stays connected to it."""
    if not isinstance(x, Tensor):
        raise TypeError(f"jacobian: inputs must be Tensors, got {type(x).__name__}")
    if create_graph and x.requires_grad:
        return x
    return Tensor(x.data, requires_grad=True)


def _as_tuple(value: Any, caller: str) -> tuple[bool, tuple[Any, ...]]:
    if isinstance(value, Tensor):
        return False, (value,)
    if isinstance(value, (tuple, list)) and all(isinstance(v, Tensor) for v in value):
        return True, tuple(value)
    raise TypeError(f"{caller}: expected a Tensor or a tuple of Tensors, got {type(value).__name__}")
