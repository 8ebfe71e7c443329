"""The backward pass: apply the chain rule node by node, newest node first.

Forward creates every tensor after its inputs, so going back in creation order reaches a node
only after all its uses: that order is the topological sort. `backward()`, `backward_steps()`
and `grad()` all run the one loop in `_chain_rule`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from heapq import heappop, heappush
from typing import Any

import numpy as np

from autograd import anomaly
from autograd.function import Function
from autograd.grad_mode import _GradMode
from autograd.ops.shape import sum_to
from autograd.tensor import Tensor

# While building the graph of the backward pass (create_graph=True) gradients are Tensors;
# otherwise they are plain numpy arrays, which is much faster.
Gradient = Any


@dataclass(frozen=True)
class BackwardStep:
    """One application of the chain rule at one node, as `backward_steps()` yields it."""

    index: int  #: 0 for the first step (the output), then 1, 2, ...
    node: Tensor  #: the tensor whose gradient is passed back
    op: str  #: the operation that produced `node`, e.g. "MatMul"
    grad_output: np.ndarray  #: d loss / d node
    grad_inputs: tuple[np.ndarray | None, ...]  #: d loss / d parent, one per parent (None: no gradient needed)
    parents: tuple[Tensor, ...]  #: the inputs of the operation, in argument order
    created_at: tuple[str, int] | None  #: file and line where the operation was written (under detect_anomaly)


def topological_order(roots: Sequence[Tensor]) -> list[Tensor]:
    """Every tensor that requires grad and leads to `roots`, each after all of its parents.

    An operation's inputs always exist before its output, so the order in which the tensors
    were created is a topological order; `backward()` visits the same tensors in reverse.
    """
    found = {root for root in roots if root._requires_grad}
    stack = list(found)
    while stack:  # an explicit stack, not recursion: a graph of a million nodes is fine
        ctx = stack.pop()._ctx
        if ctx is not None:
            for parent in ctx.parents:
                if parent._requires_grad and parent not in found:
                    found.add(parent)
                    stack.append(parent)
    return sorted(found, key=_creation_number)


def _creation_number(tensor: Tensor) -> int:
    return tensor._number


def backward(tensor: Tensor, grad: Any = None, retain_graph: bool | None = None, create_graph: bool = False) -> None:
    """Accumulate d tensor / d leaf into `.grad` of every leaf that requires grad (see `Tensor.backward`)."""
    retain = create_graph if retain_graph is None else retain_graph
    root_grad = _initial_grad(tensor, grad, create_graph, "backward")
    _run_with_collector_paused(_chain_rule([tensor], [root_grad], retain, create_graph))


def backward_steps(tensor: Tensor, grad: Any = None) -> Iterator[BackwardStep]:
    """`backward()` one chain-rule step at a time; exhausting it leaves the same `.grad` values."""
    root_grad = _initial_grad(tensor, grad, False, "backward_steps")
    return _chain_rule([tensor], [root_grad], retain_graph=False, create_graph=False, record_steps=True)


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """d outputs / d inputs as a tuple of Tensors, one per input, leaving every `.grad` untouched.

    With `create_graph=True` the gradients are part of a graph themselves, so they can be
    differentiated again (second derivatives).
    """
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is None or isinstance(grad_outputs, (Tensor, np.ndarray)):
        grad_outputs = [grad_outputs] * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"grad: got {len(grad_outputs)} grad_outputs for {len(outputs)} outputs")
    for position, tensor in enumerate(inputs):
        if not tensor.requires_grad:
            raise RuntimeError(f"grad: input {position} (shape {tensor.shape}) does not require grad")
    retain = create_graph if retain_graph is None else retain_graph
    root_grads = [_initial_grad(o, g, create_graph, "grad") for o, g in zip(outputs, grad_outputs)]

    captured: dict[Tensor, Gradient] = {tensor: None for tensor in inputs}
    _run_with_collector_paused(_chain_rule(outputs, root_grads, retain, create_graph, captured=captured))

    results = []
    for position, tensor in enumerate(inputs):
        value = captured[tensor]
        if value is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {position} (shape {tensor.shape}) was not used to compute the outputs; "
                "pass allow_unused=True to get None for it"
            )
        results.append(value if value is None or isinstance(value, Tensor) else Tensor._from_op(value))
    return tuple(results)


# ---------------------------------------------------------------------- the loop


def _chain_rule(
    roots: list[Tensor],
    root_grads: list[Gradient],
    retain_graph: bool,
    create_graph: bool,
    record_steps: bool = False,
    captured: dict[Tensor, Gradient] | None = None,
) -> Iterator[BackwardStep]:
    """Walk the graph from the outputs back to the leaves, applying the chain rule at each node.

    `grads[node]` collects d loss / d node from every use of `node`. Nodes are taken newest first
    (the reverse of the order forward created them), so by the time a node comes up all its uses
    have been processed and its gradient is complete.
    With `captured`, the gradients of those tensors are stored there instead of in `.grad`.
    """
    needed = _leading_to(topological_order(roots), captured) if captured is not None else None
    grads: dict[Tensor, Gradient] = {}
    # The nodes that have received a gradient, in a heap that gives the most recently created
    # first. Every use of a node was created after it, so when a node comes out of the heap all
    # the gradients it will receive have arrived: this is a reverse topological order.
    waiting: list[tuple[int, Tensor]] = []
    for root, root_grad in zip(roots, root_grads):
        if root in grads:
            grads[root] = grads[root] + root_grad
        else:
            grads[root] = root_grad
            heappush(waiting, (-root._number, root))
    owned = {id(g) for g in root_grads}  # arrays some .grad already holds (see _accumulate)
    # Recorded (create_graph) or checked (detect_anomaly) backward passes take a slower path.
    special = create_graph or anomaly._AnomalyMode.enabled
    step_index = 0

    # Record the backward pass itself only with create_graph. The user's mode comes back
    # whenever control returns to the user: at the end, and at each step of backward_steps().
    users_grad_mode = _GradMode.enabled
    _GradMode.enabled = create_graph
    try:
        while waiting:
            node = heappop(waiting)[1]
            grad_output = grads.pop(node)
            if node._hooks:
                grad_output = _run_hooks(node, grad_output)

            ctx = node._ctx
            if captured is not None:
                if node in captured:
                    captured[node] = grad_output
                if node not in needed:
                    continue
            elif ctx is None:  # a leaf: its gradient ends here
                node.grad = _accumulate(node.grad, grad_output, owned)
                continue
            elif node._retains_grad:
                node.grad = _accumulate(node.grad, grad_output, owned)

            # The chain rule at this node: d loss / d input = d loss / d node * d node / d input.
            if special:
                grad_inputs = _apply_backward_in_special_mode(ctx, node, grad_output, create_graph)
            else:
                grad_inputs = type(ctx).backward(ctx, grad_output)
            inputs = ctx.inputs
            if type(grad_inputs) is not tuple:  # one input: backward may return its gradient alone
                grad_inputs = tuple(grad_inputs) if type(grad_inputs) is list else (grad_inputs,)
            if len(grad_inputs) != len(inputs):
                raise _wrong_number_of_gradients(ctx, grad_inputs)
            if not retain_graph:
                ctx._saved = ctx._saved_copies = None  # ctx.release_saved(), without a call per node
            sent = []  # d loss / d input for each input, in the input's shape and dtype
            for parent, parent_grad, wanted in zip(inputs, grad_inputs, ctx.needs_input_grad):
                if parent_grad is None or not wanted:
                    sent.append(None)
                    continue
                data = parent.data
                if not (
                    type(parent_grad) is np.ndarray
                    and parent_grad.shape == data.shape
                    and parent_grad.dtype == data.dtype
                ):  # the input was broadcast (sum the gradient back), or it is a numpy scalar or another dtype
                    parent_grad = _fit_to_input(parent_grad, parent, type(ctx), position=len(sent))
                sent.append(parent_grad)
                if parent in grads:
                    grads[parent] = grads[parent] + parent_grad  # a second use of parent: add up
                else:
                    grads[parent] = parent_grad
                    heappush(waiting, (-parent._number, parent))
            if record_steps:
                _GradMode.enabled = users_grad_mode
                yield BackwardStep(
                    index=step_index,
                    node=node,
                    op=node.op,
                    grad_output=_as_array(grad_output),
                    grad_inputs=tuple(_as_array(g) for g, arg in zip(sent, inputs) if isinstance(arg, Tensor)),
                    parents=ctx.parents,
                    created_at=ctx.created_at,
                )
                _GradMode.enabled = create_graph
                step_index += 1
    finally:
        _GradMode.enabled = users_grad_mode


def _run_with_collector_paused(steps: Iterator[BackwardStep]) -> None:
    """Run a whole backward pass with Python's cyclic garbage collector paused.

    NOTE: backward allocates many short-lived objects and creates no reference cycles, so the
    collector's passes over a large graph find nothing to free and only cost time (about half of
    backward's time on a 100,000-node graph). Not used by backward_steps(), where the user's code
    runs between steps.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in steps:
            pass
    finally:
        if was_enabled:
            gc.enable()


def _wrong_number_of_gradients(ctx: Function, grad_inputs: tuple[Any, ...]) -> RuntimeError:
    return RuntimeError(
        f"{type(ctx).__name__}.backward returned {len(grad_inputs)} gradients, but forward had "
        f"{len(ctx.inputs)} inputs: return one gradient per input (None where there is none)"
    )


def _apply_backward_in_special_mode(ctx: Function, node: Tensor, grad_output: Gradient, create_graph: bool) -> Any:
    """`ctx.backward` while the backward pass is recorded (create_graph) or checked (detect_anomaly)."""
    op = type(ctx)
    checking = anomaly._AnomalyMode.enabled
    if checking:
        anomaly.check_saved_unchanged(ctx)
    if create_graph and op.supports_double_backward:  # Tensor operations: recorded, and checked as they run
        ctx._output = node
        try:
            return op.backward(ctx, grad_output)
        except anomaly.AnomalyError as error:
            raise anomaly.in_backward_of(ctx, error) from error
        finally:
            ctx._output = None
    grad_inputs = op.backward(ctx, grad_output.data if create_graph else grad_output)
    if checking:
        anomaly.check_backward(ctx, grad_inputs if isinstance(grad_inputs, (tuple, list)) else (grad_inputs,))
    if create_graph:  # numpy results of a user Function, carried into the recorded graph
        return _NotDifferentiableTwice.wrap(op, grad_inputs, grad_output, ctx)
    return grad_inputs


def _fit_to_input(grad: Gradient, tensor: Tensor, op: type[Function], position: int) -> Gradient:
    """Undo broadcasting (sum back to the input's shape) and match the input's dtype."""
    if not isinstance(grad, (np.ndarray, Tensor)):  # a numpy scalar, from an operation on 0-d arrays
        grad = np.asarray(grad)
    data, grad_shape = tensor.data, grad.shape
    wanted = data.shape
    if grad_shape != wanted:
        grad = sum_to(grad, wanted)
        # Summing back gives the input's shape exactly when the input broadcasts to the gradient.
        if grad.shape != wanted:
            raise RuntimeError(
                f"{op.__name__}.backward returned a gradient of shape {grad_shape} for input {position}, "
                f"which has shape {wanted}: a gradient must have its input's shape (or a shape "
                "that input broadcasts to, which is summed back)"
            )
    if grad.dtype != data.dtype:
        grad = grad.astype(data.dtype)
    return grad


def _initial_grad(tensor: Tensor, grad: Any, create_graph: bool, caller: str) -> Gradient:
    """d tensor / d tensor: ones for a one-element output, else the `grad` the user passed."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{caller}: expected a Tensor, got {type(tensor).__name__}")
    if not tensor._requires_grad:
        raise RuntimeError(
            f"{caller}: element 0 of tensors does not require grad and does not have a grad_fn "
            f"(shape {tensor.shape}). Nothing it was computed from requires grad: create the "
            "parameters with requires_grad=True, and do not compute the loss under no_grad()."
        )
    if grad is None:
        if tensor.data.size != 1:
            raise RuntimeError(
                f"{caller}: grad can be implicitly created only for scalar outputs, but this tensor has "
                f"shape {tensor.shape}. Reduce it to one number first (loss.sum() or loss.mean()), or pass "
                f"grad= an array of shape {tensor.shape} holding d loss / d tensor."
            )
        value = np.array(1, dtype=tensor.data.dtype)  # d t / d t = 1 (np.ones is 4x slower)
        if tensor.data.ndim:  # a one-element output of shape (1,) or (1, 1)
            value = value.reshape(tensor.data.shape)
    else:
        value = np.asarray(grad.data if isinstance(grad, Tensor) else grad, dtype=tensor.data.dtype)
        if value.shape != tensor.data.shape:
            raise RuntimeError(
                f"{caller}: grad has shape {value.shape} but the tensor has shape {tensor.shape}; they must match"
            )
    if create_graph:
        return grad if isinstance(grad, Tensor) else Tensor._from_op(value)
    return value


def _leading_to(order: list[Tensor], targets: dict[Tensor, Any]) -> set[Tensor]:
    """Nodes with a target strictly upstream: only their backward is needed for `grad()`."""
    leads: set[Tensor] = set()
    for node in order:  # parents come first
        if any(parent in leads or parent in targets for parent in node.parents):
            leads.add(node)
    return leads


def _run_hooks(node: Tensor, grad_output: Gradient) -> Gradient:
    is_array = not isinstance(grad_output, Tensor)
    for hook in list(node._hooks.values()):
        result = hook(Tensor._from_op(grad_output) if is_array else grad_output)
        if result is not None:
            grad_output = _as_array(result) if is_array else result
    return grad_output


def _accumulate(current: Tensor | None, grad: Gradient, owned: set[int]) -> Tensor:
    """The new `.grad`: `grad` alone the first time, else the sum (a fresh tensor either way).

    No two `.grad` tensors may share an array (`a + b` passes the same gradient to both), so a
    view, or an array another `.grad` already holds (ids in `owned`), is copied first.
    """
    if isinstance(grad, Tensor):
        return grad if current is None else current + grad
    if current is None:
        if grad.base is not None or id(grad) in owned:
            grad = grad.copy()
        owned.add(id(grad))
        return Tensor._from_op(grad)
    return Tensor._from_op(current.data + grad)


def _as_array(value: Gradient) -> np.ndarray | None:
    if value is None:
        return None
    return value.data if isinstance(value, Tensor) else np.asarray(value)


class _NotDifferentiableTwice(Function):
    """Carries a gradient computed by a user Function's numpy backward into a recorded graph.

    Its own backward refuses: that numpy code cannot be differentiated again.
    """

    @staticmethod
    def forward(ctx: Function, *inputs: np.ndarray, value: np.ndarray, op_name: str) -> np.ndarray:
        ctx.op_name = op_name
        return value

    @staticmethod
    def backward(ctx: Function, grad_output: Any) -> Any:
        raise RuntimeError(
            f"{ctx.op_name}.backward is written with numpy, so it cannot be differentiated again "
            "(create_graph=True). Write it with Tensor operations and set supports_double_backward = True."
        )

    @classmethod
    def wrap(cls, op: type[Function], grads: Any, grad_output: Tensor, ctx: Function) -> tuple[Any, ...]:
        if not isinstance(grads, (tuple, list)):
            grads = (grads,)
        return tuple(
            None if g is None else cls.apply(grad_output, *ctx.parents, value=np.asarray(g), op_name=op.__name__)
            for g in grads
        )
