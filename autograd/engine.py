"""The backward pass: the chain rule applied node by node, newest node first.

A node is a Tensor of the graph; the operation that made it (`node.grad_fn`) knows its inputs
and its local derivative. Forward creates every tensor after its inputs, so going back in
creation order reaches a node only after all its uses: that order is the topological sort.
`backward()`, `backward_steps()` and `grad()` all run the one loop in `_chain_rule`; what differs
between them is said by the `BackwardPass` they hand it.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from heapq import heappop, heappush
from typing import Any

import numpy as np

from autograd import anomaly, recorded_backward
from autograd.broadcasting import fit_to_input
from autograd.function import Function
from autograd.grad_mode import no_grad, set_grad_enabled
from autograd.hooks import run_hooks
from autograd.tensor import Tensor

# While the backward pass is recorded (create_graph=True) gradients are Tensors;
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
    #: file and line where the operation was written, when the forward pass ran inside
    #: `autograd.record_locations()` or `detect_anomaly()`; else None
    created_at: tuple[str, int] | None


def topological_order(roots: Sequence[Tensor]) -> list[Tensor]:
    """Every tensor that requires grad and leads to `roots`, each after all of its parents.

    An operation's inputs always exist before its output, so the order in which the tensors
    were created is a topological order; `backward()` visits the same tensors in reverse.
    """
    found = {root for root in roots if root.requires_grad}
    stack = list(found)
    while stack:  # an explicit stack, not recursion: a graph of a million nodes is fine
        for parent in stack.pop().parents:
            if parent.requires_grad and parent not in found:
                found.add(parent)
                stack.append(parent)
    return sorted(found, key=_creation_number)


def _creation_number(tensor: Tensor) -> int:
    return tensor._number


# ---------------------------------------------------------------------- the three ways in


def backward(tensor: Tensor, grad: Any = None, retain_graph: bool | None = None, create_graph: bool = False) -> None:
    """Accumulate d tensor / d leaf into `.grad` of every leaf that requires grad (see `Tensor.backward`)."""
    retain = create_graph if retain_graph is None else retain_graph
    root_grad = _initial_grad(tensor, grad, create_graph, "backward")
    _run_to_the_end(_chain_rule([tensor], [root_grad], BackwardPass(retain, create_graph)), create_graph)


def backward_steps(tensor: Tensor, grad: Any = None) -> Iterator[BackwardStep]:
    """`backward()` one chain-rule step at a time; exhausting it leaves the same `.grad` values.

    Each step's `created_at` says where its operation was written when the forward pass ran
    inside `autograd.record_locations()` (or `detect_anomaly()`).
    """
    root_grad = _initial_grad(tensor, grad, False, "backward_steps")
    return _one_step_at_a_time(_chain_rule([tensor], [root_grad], BackwardPass(retain_graph=False)))


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

    how = GradPass(retain, create_graph, outputs, inputs)
    _run_to_the_end(_chain_rule(outputs, root_grads, how), create_graph)

    results = []
    for position, tensor in enumerate(inputs):
        value = how.captured[tensor]
        if value is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {position} (shape {tensor.shape}) was not used to compute the outputs; "
                "pass allow_unused=True to get None for it"
            )
        results.append(value if value is None or isinstance(value, Tensor) else Tensor(value))
    return tuple(results)


# ---------------------------------------------------------------------- the loop


def _chain_rule(roots: list[Tensor], root_grads: list[Gradient], how: BackwardPass) -> Iterator[tuple[Any, ...]]:
    """Walk the graph from the outputs back to the leaves, applying the chain rule at each node.

    `grads[node]` sums d loss / d node over the uses of `node` met so far. `waiting` holds the
    nodes that have a gradient, newest first: every use of a node was created after it, so when
    a node comes out, all of its gradient has arrived. After each step this yields the node,
    d loss / d node, and what it sent to each input.
    """
    grads: dict[Tensor, Gradient] = {}
    waiting: list[tuple[int, Tensor]] = []
    for root, root_grad in zip(roots, root_grads):
        _pass_on(root, root_grad, grads, waiting)

    while waiting:
        node = heappop(waiting)[1]
        grad_output = grads.pop(node)  # d loss / d node, complete
        if node._hooks:
            grad_output = run_hooks(node, grad_output)
        if not how.receive(node, grad_output):  # a leaf: its gradient ends here
            continue

        # The chain rule at this node: d loss / d input = d loss / d node · d node / d input.
        ctx = node._ctx
        grad_inputs = how.apply_backward(ctx, node, grad_output)
        sent = []
        for position, (input, input_grad) in enumerate(zip(ctx.inputs, grad_inputs)):
            if input_grad is None or not ctx.needs_input_grad[position]:
                sent.append(None)
                continue
            input_grad = fit_to_input(input_grad, input, ctx, position)
            sent.append(input_grad)
            _pass_on(input, input_grad, grads, waiting)
        yield node, grad_output, sent


def _pass_on(node: Tensor, grad: Gradient, grads: dict[Tensor, Gradient], waiting: list) -> None:
    """Add `grad` to what `node` has received; its first gradient puts it in the waiting heap."""
    if node in grads:
        grads[node] = grads[node] + grad  # another use of node: the gradients add up
    else:
        grads[node] = grad
        heappush(waiting, (-node._number, node))


def _run_to_the_end(steps: Iterator[Any], create_graph: bool) -> None:
    """Run a whole backward pass, recording it only with create_graph, with Python's cyclic
    garbage collector paused.

    NOTE: backward allocates many short-lived objects and creates no reference cycles, so the
    collector's passes over a large graph find nothing to free and only cost time (about half of
    backward's time on a 100,000-node graph). Not done by backward_steps(), where the user's code
    runs between steps.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with set_grad_enabled(create_graph):
            for _ in steps:
                pass
    finally:
        if was_enabled:
            gc.enable()


def _one_step_at_a_time(steps: Iterator[Any]) -> Iterator[BackwardStep]:
    for index in itertools.count():
        with no_grad():  # as in backward(); the user's code between steps runs in the user's mode
            taken = next(steps, None)
        if taken is None:
            return
        node, grad_output, sent = taken
        ctx = node.grad_fn
        yield BackwardStep(
            index=index,
            node=node,
            op=node.op,
            grad_output=_as_array(grad_output),
            grad_inputs=tuple(_as_array(g) for g, arg in zip(sent, ctx.inputs) if isinstance(arg, Tensor)),
            parents=ctx.parents,
            created_at=ctx.created_at,
        )


# ---------------------------------------------------------------------- what a pass does at a node


class BackwardPass:
    """What one backward pass does at each node: the seam where its special modes hang.

    The plain pass (`loss.backward()`) hands numpy arrays to each operation's backward and ends
    at the leaves, in `.grad`. With `create_graph=True` the backward pass is itself recorded
    (gradients are Tensors), and inside `detect_anomaly()` each step is checked; both go through
    `autograd/recorded_backward.py`. `grad()` keeps the gradients of its inputs instead
    (`GradPass`).
    """

    def __init__(self, retain_graph: bool, create_graph: bool = False) -> None:
        self.retain_graph = retain_graph
        self.create_graph = create_graph
        self.checked = anomaly.is_anomaly_enabled()
        self.handed_to_a_grad: set[int] = set()  # ids of the arrays given to a `.grad` in this pass

    def receive(self, node: Tensor, grad: Gradient) -> bool:
        """Keep d loss / d node where the user reads it; True when node's own backward must run.

        NOTE: `_ctx`, `_retains_grad` and `_grad` rather than the properties `is_leaf`,
        `retains_grad` and `grad` here and in the loop: 4% of the tiny-op workload.
        """
        if node._ctx is None:
            node._grad = self._accumulate(node._grad, grad)
            return False
        if node._retains_grad:
            node._grad = self._accumulate(node._grad, grad)
        return True

    def apply_backward(self, ctx: Function, node: Tensor, grad_output: Gradient) -> tuple[Gradient, ...]:
        """The operation's backward rule: d loss / d input for each input, given d loss / d node."""
        if self.create_graph or self.checked:
            grad_inputs = recorded_backward.apply_backward(ctx, node, grad_output, self.create_graph, self.checked)
        elif ctx.outputs is None:
            grad_inputs = type(ctx).backward(ctx, grad_output)
        else:  # a forward with several outputs: backward takes one gradient for each
            grad_inputs = type(ctx).backward(ctx, *ctx.outputs.split(grad_output))
        if not isinstance(grad_inputs, tuple):  # one input: backward may return its gradient alone
            grad_inputs = tuple(grad_inputs) if isinstance(grad_inputs, list) else (grad_inputs,)
        if len(grad_inputs) != len(ctx.inputs):
            raise RuntimeError(
                f"{type(ctx).__name__}.backward returned {len(grad_inputs)} gradients, but forward had "
                f"{len(ctx.inputs)} inputs: return one gradient per input (None where there is none)"
            )
        if not self.retain_graph:
            ctx.release_saved()
        return grad_inputs

    def _accumulate(self, current: Tensor | None, grad: Gradient) -> Tensor:
        """The new `.grad`: `grad` alone the first time, else the sum (a fresh tensor either way).

        No two `.grad` tensors may share an array (`a + b` hands the same gradient to both), so a
        view, or an array already handed to a `.grad`, is copied first.
        """
        if isinstance(grad, Tensor):
            return grad if current is None else current + grad
        if current is not None:
            return Tensor(current.data + grad)
        if grad.base is not None or id(grad) in self.handed_to_a_grad:
            grad = grad.copy()
        self.handed_to_a_grad.add(id(grad))
        return Tensor(grad)


class GradPass(BackwardPass):
    """`grad()`'s pass: the gradients of `inputs` are kept in `captured`, and `.grad` is never
    touched; only the nodes that lead to one of the inputs are visited."""

    def __init__(self, retain_graph: bool, create_graph: bool, outputs: list[Tensor], inputs: list[Tensor]) -> None:
        super().__init__(retain_graph, create_graph)
        self.captured: dict[Tensor, Gradient] = {tensor: None for tensor in inputs}
        self.needed = _leading_to(topological_order(outputs), self.captured)

    def receive(self, node: Tensor, grad: Gradient) -> bool:
        if node in self.captured:
            self.captured[node] = grad
        return node in self.needed


def _leading_to(order: list[Tensor], targets: dict[Tensor, Any]) -> set[Tensor]:
    """Nodes with a target strictly upstream: only their backward is needed for `grad()`."""
    leads: set[Tensor] = set()
    for node in order:  # parents come first
        if any(parent in leads or parent in targets for parent in node.parents):
            leads.add(node)
    return leads


# ---------------------------------------------------------------------- where a pass starts


def _initial_grad(tensor: Tensor, grad: Any, create_graph: bool, caller: str) -> Gradient:
    """d tensor / d tensor: ones for a one-element output, else the `grad` the user passed (copied)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{caller}: expected a Tensor, got {type(tensor).__name__}")
    if not tensor.requires_grad:
        raise RuntimeError(
            f"{caller}: element 0 of tensors does not require grad and does not have a grad_fn "
            f"(shape {tensor.shape}). Nothing it was computed from requires grad: create the "
            "parameters with requires_grad=True, and do not compute the loss under no_grad()."
        )
    if grad is None:
        if tensor.size != 1:
            raise RuntimeError(
                f"{caller}: grad can be implicitly created only for scalar outputs, but this tensor has "
                f"shape {tensor.shape}. Reduce it to one number first (loss.sum() or loss.mean()), or pass "
                f"grad= an array of shape {tensor.shape} holding d loss / d tensor."
            )
        value = np.ones(tensor.shape, dtype=tensor.dtype)  # d t / d t = 1
    else:
        value = np.array(grad.data if isinstance(grad, Tensor) else grad, dtype=tensor.dtype)
        if value.shape != tensor.shape:
            raise RuntimeError(
                f"{caller}: grad has shape {value.shape} but the tensor has shape {tensor.shape}; they must match"
            )
    if create_graph:
        return grad if isinstance(grad, Tensor) else Tensor(value)
    return value


def _as_array(value: Gradient) -> np.ndarray | None:
    if value is None:
        return None
    return value.data if isinstance(value, Tensor) else np.asarray(value)
