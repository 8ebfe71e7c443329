"""Walk the graph behind a tensor (iteratively) and give every value and operation a stable id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autograd import BackwardStep, Scope, Tensor
from viz.labels import preview

# Operations whose inputs play different parts: their edges say which input is which.
ARGUMENT_NAMES = {
    "Sub": ("left", "right"),
    "Div": ("numerator", "denominator"),
    "Pow": ("base", "exponent"),
    "MatMul": ("left", "right"),
    "Where": ("condition", "if true", "if false"),
    "Convolution": ("input", "weight", "bias"),
}
ORDERED_OPS = {"Concatenate", "Stack"}


@dataclass
class GraphModel:
    """The values (tensors) and operations of a graph, in a fixed order: inputs first, output last."""

    root: Tensor
    values: list[Tensor] = field(default_factory=list)
    value_ids: dict[int, str] = field(default_factory=dict)  # id(tensor) -> "v3"
    consumers: dict[int, list[Tensor]] = field(default_factory=dict)  # id(tensor) -> tensors computed from it
    box_ids: dict[Scope, str] = field(default_factory=dict)  # filled by box_id

    def id_of(self, tensor: Tensor) -> str:
        return self.value_ids[id(tensor)]

    def box_id(self, box: Scope) -> str:
        """The id of a layer box: "box0", "box1", ... in the order the boxes were opened, so the same
        graph always gets the same ids (a scope's own number counts every scope ever opened)."""
        if not self.box_ids:
            opened = sorted({scope for tensor in self.values for scope in tensor.scope}, key=lambda s: s.number)
            self.box_ids.update((scope, f"box{index}") for index, scope in enumerate(opened))
        return self.box_ids[box]

    @staticmethod
    def op_id(value_id: str) -> str:
        return "op" + value_id[1:]


class GraphTooLargeError(ValueError):
    """The graph has more nodes than `max_nodes` allows."""


def collect(root: Tensor, max_nodes: int | None = None) -> GraphModel:
    """Every tensor `root` was computed from, parents before children, with ids v0, v1, ...

    Depth-first with an explicit stack, so a 20,000-node chain needs no recursion.
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"viz needs a Tensor to draw, got {type(root).__name__}")
    model = GraphModel(root)
    visited: set[int] = set()
    node_count = 0  # values plus operations
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        tensor, parents_done = stack.pop()
        if parents_done:
            model.value_ids[id(tensor)] = f"v{len(model.values)}"
            model.values.append(tensor)
            node_count += 1 if tensor.is_leaf else 2
            if max_nodes is not None and node_count > max_nodes:
                raise GraphTooLargeError(
                    f"the graph has more than {max_nodes} nodes (values and operations), too many to read in one "
                    "picture. Draw a smaller part (e.g. one layer's output), group it by module, or pass "
                    "max_nodes=None to draw it anyway"
                )
            continue
        if id(tensor) in visited:
            continue
        visited.add(id(tensor))
        stack.append((tensor, True))
        for parent in reversed(tensor.parents):
            model.consumers.setdefault(id(parent), []).append(tensor)
            if id(parent) not in visited:
                stack.append((parent, False))
    return model


def edge_label(op: str, position: int, count: int) -> str:
    """What the edge from input `position` into `op` is called ("" where the order does not matter)."""
    if op in ARGUMENT_NAMES and position < len(ARGUMENT_NAMES[op]):
        return ARGUMENT_NAMES[op][position]
    if op in ORDERED_OPS or (count > 1 and op not in {"Add", "Mul", "Maximum", "Minimum"}):
        return str(position)
    return ""


def run_backward_steps(root: Tensor, caller: str) -> list[BackwardStep]:
    """Every `backward_steps()` step of `root` (this runs its backward pass), or a clear error
    when there is nothing to step through."""
    if not isinstance(root, Tensor):
        raise TypeError(
            f"{caller} needs the Tensor whose backward pass to show (e.g. the loss), got {type(root).__name__}"
        )
    if root.grad_fn is None:
        raise ValueError(f"{caller}: the tensor has no operations to step through (it is a leaf)")
    if root.grad_fn.is_released:
        raise RuntimeError(
            f"{caller} runs the backward pass itself, one step at a time, and the backward pass of this graph "
            "has already run (its saved values are freed). Call it instead of loss.backward(): compute the "
            f"loss again, then {caller}(loss); it fills in .grad just as backward() does"
        )
    return list(root.backward_steps())


def grad_widths(steps: list[BackwardStep], shortest: str, width: int = 36, lines: int = 3) -> dict[int, int]:
    """id(tensor) -> characters its grad row needs over the whole pass: its widest gradient preview
    (as the sum of what has arrived so far), and at least `shortest`. Pictures of different steps
    padded to these widths share one layout."""
    widths: dict[int, int] = {}
    totals: dict[int, Any] = {}

    def widen(tensor: Tensor, grad: Any) -> None:
        text = len("grad ") + max(len(line) for line in preview(grad, width=width, lines=lines))
        widths[id(tensor)] = max(widths.get(id(tensor), len(shortest)), text)

    for step in steps:
        widen(step.node, step.grad_output)
        for parent, grad in zip(step.parents, step.grad_inputs):
            if grad is not None:
                totals[id(parent)] = totals.get(id(parent), 0) + grad
                widen(parent, totals[id(parent)])
    return widths
