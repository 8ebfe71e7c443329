"""An operation's backward while the backward pass is recorded (`create_graph=True`) or checked
(`detect_anomaly()`): the special modes of `engine.BackwardPass.apply_backward`."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import anomaly
from autograd.function import Function, Op
from autograd.tensor import Tensor


def apply_backward(ctx: Function, node: Tensor, grad_output: Any, create_graph: bool, checked: bool) -> Any:
    """`ctx.backward` while the backward pass is recorded (create_graph) or checked (detect_anomaly)."""
    op = type(ctx)
    if checked:
        anomaly.check_saved_unchanged(ctx)
    if create_graph and op.supports_double_backward:  # Tensor operations: recorded, and checked as they run
        ctx._output = node
        try:
            return op.backward(ctx, *_per_output(ctx, grad_output))
        except anomaly.AnomalyError as error:
            raise anomaly.in_backward_of(ctx, error) from error
        except (AttributeError, TypeError) as error:
            if issubclass(op, Op):
                raise
            raise type(error)(_handed_tensors_message(op, error)) from error
        finally:
            ctx._output = None
    grad_inputs = op.backward(ctx, *_per_output(ctx, grad_output.data if create_graph else grad_output))
    if checked:
        anomaly.check_backward(ctx, grad_inputs if isinstance(grad_inputs, (tuple, list)) else (grad_inputs,))
    if create_graph:  # numpy results of a user Function, carried into the recorded graph
        return _NotDifferentiableTwice.wrap(op, grad_inputs, grad_output, ctx)
    return grad_inputs


def _per_output(ctx: Function, grad_output: Any) -> tuple[Any, ...]:
    """backward's gradient arguments: d loss / d output, one for each output of forward."""
    return (grad_output,) if ctx.outputs is None else ctx.outputs.split(grad_output)


def _handed_tensors_message(op: type[Function], error: Exception) -> str:
    name = op.__name__
    return (
        f"{name}.backward failed on Tensors ({error}). With create_graph=True a Function's backward is "
        "handed Tensors, so that the gradient it computes can be differentiated again: write its math "
        f"with Tensor operations (x.exp() or autograd.exp(x) rather than np.exp(x)), or set "
        f"supports_double_backward = False on {name} to hand it numpy arrays (like PyTorch's "
        "@once_differentiable: its gradient then cannot be differentiated again)."
    )


class _NotDifferentiableTwice(Function):
    """Carries a gradient computed by a user Function's numpy backward into a recorded graph.

    Its own backward refuses: that numpy code cannot be differentiated again.
    """

    supports_double_backward = False

    @staticmethod
    def forward(ctx: Function, *inputs: np.ndarray, value: np.ndarray, op_name: str) -> np.ndarray:
        ctx.op_name = op_name
        return value

    @staticmethod
    def backward(ctx: Function, grad_output: Any) -> Any:
        raise RuntimeError(
            f"{ctx.op_name}.backward is written with numpy, so it cannot be differentiated again "
            "(create_graph=True). Write it with Tensor operations and remove supports_double_backward = False."
        )

    @classmethod
    def wrap(cls, op: type[Function], grads: Any, grad_output: Tensor, ctx: Function) -> tuple[Any, ...]:
        if not isinstance(grads, (tuple, list)):
            grads = (grads,)
        return tuple(
            None if g is None else cls.apply(grad_output, *ctx.parents, value=np.asarray(g), op_name=op.__name__)
            for g in grads
        )
