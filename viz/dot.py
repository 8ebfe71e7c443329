"""Build the DOT text of a graph: value nodes (tables of name, shape, data, grad), operation nodes,
one edge per use, module boxes, a legend, and the highlight of one backward step."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

from autograd import BackwardStep, Scope, Tensor, topological_order
from viz.graph import GraphModel, collect, edge_label
from viz.labels import escape, has_nan_or_inf, op_text, preview, quote

# Role colours (the legend explains them) and the blog's gradient colours.
PARAMETER = "#c9e7c0"
INPUT = "#e8e8e8"
INTERMEDIATE = "#dceaf7"
OUTPUT = "#ffe699"
BAD = "#8e24aa"  # NaN or inf: purple, so that red keeps the one meaning the blog gives it
COMPUTED = "#f5a623"  # the blog's orange: gradients already computed
WANTED = "#d0021b"  # the blog's red: gradients still to come
ACTIVE = "#1f5fbf"  # the node whose chain-rule step is shown
COLLAPSED = "#f3f0ff"  # a layer box drawn as one node
PLACEHOLDER = "#fffffe"  # marks the grad row that the explorer's script fills in


@dataclass
class Options:
    """What a picture shows; every keyword of `to_dot`, `draw` and `render`."""

    show_data: bool = True
    show_grad: bool = True
    show_shapes: bool = True
    rankdir: str = "TB"
    max_nodes: int | None = 1000
    group_modules: bool = True
    collapse: bool | Collection[str | Scope] = False
    preview_lines: int = 2
    legend: bool = True
    title: str | None = None
    step: BackwardStep | None = None
    history: Sequence[BackwardStep] = ()
    pad_grads: dict[int, int] = field(default_factory=dict)  # id(tensor) -> width, keeps animation frames aligned
    grad_placeholders: bool = False  # the explorer fills every grad row in the browser
    before_backward: bool = False  # the animation's first frame: every gradient still to come

    def __post_init__(self) -> None:
        if self.rankdir not in ("LR", "RL", "TB", "BT"):
            raise ValueError(f"rankdir must be one of LR, RL, TB, BT, got {self.rankdir!r}")
        if self.preview_lines < 1:
            raise ValueError(f"preview_lines must be at least 1, got {self.preview_lines}")
        if not isinstance(self.collapse, bool) and isinstance(self.collapse, str):
            raise TypeError(f"collapse takes True or a list of layer box labels, e.g. collapse=[{self.collapse!r}]")

    def collapses(self, box: Scope) -> bool:
        """Whether the layer box `box` (a top-level scope) is drawn as one node."""
        if isinstance(self.collapse, bool):
            return self.collapse
        return box in self.collapse or box.label in self.collapse


def build_dot(root: Tensor, options: Options) -> str:
    """The DOT source for the graph behind `root`."""
    model = collect(root, options.max_nodes)
    state = _BackwardState(model, options)
    lines = [
        "digraph glassgrad {",
        f'  graph [rankdir={options.rankdir}, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.35, '
        "forcelabels=true, newrank=true];",
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9, color="#555555", arrowsize=0.7];',
    ]
    placed = cluster_of_each_value(model) if options.group_modules else {}
    boxes = collapsed_boxes(model, placed, options)
    clusters: dict[tuple[Scope, ...], list[str]] = {}
    for tensor in model.values:
        if id(tensor) in boxes:
            continue
        node_lines = [_value_node(tensor, model, options, state)]
        if not tensor.is_leaf:
            node_lines.append(_op_node(tensor, model, state))
        clusters.setdefault(placed.get(id(tensor), ()), []).extend(node_lines)
    for path in dict.fromkeys(boxes.values()):  # each collapsed box is a node inside the boxes around it
        clusters.setdefault(path[:-1], []).append(_box_node(path, model, boxes))
    lines += _nest_clusters(clusters, model)
    drawn: set[tuple[str, str]] = set()
    for tensor in model.values:
        if not tensor.is_leaf:
            lines += _edges_into(tensor, model, state, boxes, drawn)
    if options.legend:
        lines.append(_legend(options))
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- nodes


def _role(tensor: Tensor, model: GraphModel) -> tuple[str, str]:
    if tensor is model.root:
        return "output", OUTPUT
    if tensor.is_leaf:
        return ("parameter", PARAMETER) if tensor.requires_grad else ("input", INPUT)
    return "intermediate", INTERMEDIATE


def _value_node(tensor: Tensor, model: GraphModel, options: Options, state: _BackwardState) -> str:
    role, fill = _role(tensor, model)
    rows = []
    if tensor.name is not None:
        rows.append(f"<TR><TD><B>{escape(tensor.name)}</B></TD></TR>")
    if options.show_shapes:
        shape = "scalar" if tensor.ndim == 0 else str(tuple(tensor.shape))
        rows.append(f'<TR><TD><FONT POINT-SIZE="9" COLOR="#444444">{shape} {tensor.dtype}</FONT></TD></TR>')
    if options.show_data:
        rows.append(_values_row("", tensor.data, None, line_count=options.preview_lines))
    if options.show_grad and tensor.requires_grad:
        rows.append(state.grad_row(tensor))
    border, width = ("#333333", 1)
    if has_nan_or_inf(tensor.data):
        border, width = BAD, 3
    if options.step is not None and options.step.node is tensor:
        border, width = ACTIVE, 3
    table = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>"
    tooltip = quote(f"{tensor.name or role} {tuple(tensor.shape)} {tensor.dtype}")
    if not rows:  # an HTML table needs a row
        rows.append("<TR><TD> </TD></TR>")
    node_id = model.id_of(tensor)
    return (
        f'  {node_id} [id="{node_id}", shape=box, style="rounded,filled", fillcolor="{fill}", color="{border}", '
        f'penwidth={width}, tooltip="{tooltip}", label=<{table}>];'
    )


def _values_row(prefix: str, values: np.ndarray, background: str | None, width: int = 0, line_count: int = 2) -> str:
    colour = BAD if has_nan_or_inf(np.asarray(values)) else "#000000"
    lines = preview(values, lines=line_count)
    if prefix:
        lines = [f"{prefix} {lines[0]}", *[" " * (len(prefix) + 1) + line for line in lines[1:]]]
    lines = [line.ljust(width) for line in lines]
    text = '<BR ALIGN="LEFT"/>'.join(escape(line).replace(" ", "&#160;") for line in lines)
    cell = f' BGCOLOR="{background}"' if background else ""
    return f'<TR><TD ALIGN="LEFT"{cell}><FONT FACE="Courier" POINT-SIZE="9" COLOR="{colour}">{text}</FONT></TD></TR>'


def _op_node(tensor: Tensor, model: GraphModel, state: _BackwardState) -> str:
    active = state.step is not None and state.step.node is tensor
    colour = ACTIVE if active else "#333333"
    fill = "#d6e4ff" if active else "#ffffff"
    label, tooltip = op_text(tensor.op), tensor.op
    written_at = tensor.grad_fn.created_at  # kept inside autograd.record_locations() or detect_anomaly()
    if written_at is not None:
        label += f"\n{os.path.basename(written_at[0])}:{written_at[1]}"
        tooltip += f", written at {written_at[0]}:{written_at[1]}"
    op_id = model.op_id(model.id_of(tensor))
    return (
        f'  {op_id} [id="{op_id}", shape=ellipse, style=filled, fillcolor="{fill}", color="{colour}", '
        f'penwidth={3 if active else 1}, margin="0.04,0.02", label="{quote(label)}", tooltip="{quote(tooltip)}"];'
    )


def _edges_into(
    tensor: Tensor,
    model: GraphModel,
    state: _BackwardState,
    boxes: dict[int, tuple[Scope, ...]],
    drawn: set[tuple[str, str]],
) -> list[str]:
    """The op's edge to its result and one edge per input; an edge that enters or leaves a
    collapsed box is drawn once to the box's node, and an edge inside one is not drawn."""
    value_id = model.id_of(tensor)
    op_id = model.op_id(value_id)
    inside = boxes.get(id(tensor))
    lines = [] if inside is not None else [f'  {op_id} -> {value_id} [id="{op_id}_{value_id}"];']
    parents = tensor.parents
    for position, parent in enumerate(parents):
        source = model.box_id(boxes[id(parent)][-1]) if id(parent) in boxes else model.id_of(parent)
        target = model.box_id(inside[-1]) if inside is not None else op_id
        if source == target:
            continue
        if inside is not None or id(parent) in boxes:
            if (source, target) not in drawn:
                drawn.add((source, target))
                lines.append(f'  {source} -> {target} [id="{source}_{target}"];')
            continue
        attributes = [f'id="{source}_{target}_{position}"']
        label = edge_label(tensor.op, position, len(parents))
        if label:
            attributes.append(f'label="{quote(label)}"')
        flowing = state.flowing_gradient(tensor, position)
        if flowing is not None:
            attributes.append(f'color="{COMPUTED}", penwidth=2.5')
            attributes.append(f'xlabel=<<FONT FACE="Courier" POINT-SIZE="8" COLOR="#9a5b00">{flowing}</FONT>>')
        lines.append(f"  {source} -> {target} [{', '.join(attributes)}];")
    return lines


def _box_node(path: tuple[Scope, ...], model: GraphModel, boxes: dict[int, tuple[Scope, ...]]) -> str:
    """A collapsed layer box: its label and how many values it holds."""
    box = path[-1]
    count = sum(1 for tensor in model.values if boxes.get(id(tensor)) == path)
    inside = f"{count} value{'' if count == 1 else 's'} inside (folded)"
    label = (
        f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2"><TR><TD><B>{escape(box.label)}</B></TD></TR>'
        f'<TR><TD><FONT POINT-SIZE="9" COLOR="#444444">{inside}</FONT></TD></TR></TABLE>'
    )
    return (
        f'  {model.box_id(box)} [id="{model.box_id(box)}", shape=box, style="rounded,filled,bold,dashed", '
        f'fillcolor="{COLLAPSED}", '
        f'color="#7a7a7a", tooltip="{quote(box.label)}", label=<{label}>];'
    )


# ---------------------------------------------------------------------- module boxes


def collapsed_boxes(
    model: GraphModel, placed: dict[int, tuple[Scope, ...]], options: Options
) -> dict[int, tuple[Scope, ...]]:
    """id(tensor) -> the path to the outermost collapsed box it is drawn inside (the root is never hidden)."""
    boxes = {}
    for tensor in model.values:
        path = placed.get(id(tensor), ())
        if tensor is model.root:
            continue
        for depth, box in enumerate(path):
            if options.collapses(box):
                boxes[id(tensor)] = path[: depth + 1]
                break
    return boxes


def cluster_of_each_value(model: GraphModel) -> dict[int, tuple[Scope, ...]]:
    """Each op result goes in its module's box; a leaf goes in the box of its users if they share one."""
    placed = {id(t): t.scope for t in model.values if not t.is_leaf}
    for tensor in model.values:
        if tensor.is_leaf:
            scopes = {c.scope for c in model.consumers.get(id(tensor), [])}
            if len(scopes) == 1 and tensor.requires_grad:
                placed[id(tensor)] = scopes.pop()
    return placed


def _nest_clusters(clusters: dict[tuple[Scope, ...], list[str]], model: GraphModel) -> list[str]:
    """Write nodes into nested `subgraph cluster_N` blocks following their scope paths."""
    paths = sorted({path[:depth] for path in clusters for depth in range(1, len(path) + 1)}, key=_opening_order)
    numbers = {path: number for number, path in enumerate(paths)}
    lines: list[str] = list(clusters.get((), []))

    def emit(path: tuple[str, ...], indent: str) -> None:
        lines.append(f"{indent}subgraph cluster_{numbers[path]} {{")
        lines.append(
            f'{indent}  graph [id="frame_{model.box_id(path[-1])}", label=<<B>{escape(path[-1].label)}</B>>, '
            'style="rounded,dashed", color="#7a7a7a", '
            "fontsize=10, labeljust=l];"
        )
        lines.extend(indent + line for line in clusters.get(path, []))
        for child in paths:
            if len(child) == len(path) + 1 and child[: len(path)] == path:
                emit(child, indent + "  ")
        lines.append(f"{indent}}}")

    for path in paths:
        if len(path) == 1:
            emit(path, "  ")
    return lines


def _opening_order(path: tuple[Scope, ...]) -> tuple[int, ...]:
    return tuple(scope.number for scope in path)


# ---------------------------------------------------------------------- gradients and the step shown


class _BackwardState:
    """Which gradients a picture shows as computed, still to come, or flowing in the step shown."""

    def __init__(self, model: GraphModel, options: Options) -> None:
        self.model, self.options, self.step = model, options, options.step
        self.known: dict[int, np.ndarray] = {}
        self.backward_done = any(t.grad is not None for t in model.values if t.is_leaf and t.requires_grad)
        self.processed: set[int] = set()
        if self.step is not None:
            order = [t for t in reversed(topological_order([model.root])) if not t.is_leaf]
            self.processed = {id(t) for t in order[: self.step.index]}
            # Replay the steps: a node's gradient is the sum of what its users sent it so far,
            # and exactly its grad_output once its own step comes.
            for past in [*options.history, self.step]:
                self.known[id(past.node)] = past.grad_output
                for parent, grad in zip(past.parents, past.grad_inputs):
                    if grad is not None:
                        self.known[id(parent)] = self.known.get(id(parent), 0) + grad

    def flowing_gradient(self, tensor: Tensor, position: int) -> str | None:
        """The gradient the step shown sends along this edge, as short text."""
        if self.step is None or self.step.node is not tensor:
            return None
        grad = self.step.grad_inputs[position]
        return None if grad is None else escape(" ".join(preview(grad, width=24, lines=1)))

    def grad_row(self, tensor: Tensor) -> str:
        width = self.options.pad_grads.get(id(tensor), 0)
        lines = self.options.preview_lines
        if self.options.grad_placeholders:  # the explorer writes each step's gradient into this row
            return _text_row("grad ?", "#777777", width, background=PLACEHOLDER)
        if self.options.before_backward:
            return _text_row("grad ? (still to come)", WANTED if tensor.is_leaf else "#777777", width)
        if self.step is not None:
            if id(tensor) in self.known:
                return _values_row("grad", self.known[id(tensor)], COMPUTED, width, lines)
            if id(tensor) in self.processed:
                return _text_row("grad computed (see history=)", COMPUTED, width)
            colour = WANTED if tensor.is_leaf else "#777777"
            return _text_row("grad ? (still to come)", colour, width)
        kept = tensor.grad if tensor.is_leaf or tensor.retains_grad else None  # others keep none (and warn)
        if kept is not None:
            return _values_row("grad", kept.data, None, width, lines)
        if tensor.is_leaf or not self.backward_done:
            return _text_row("grad: not computed yet", WANTED if tensor.is_leaf else "#777777", width)
        if tensor is self.model.root and tensor.size == 1:
            return _values_row("grad", np.ones_like(tensor.data), None, width, lines)  # d loss / d loss
        return _text_row("grad not retained", "#777777", width)


def _text_row(text: str, colour: str, width: int = 0, background: str | None = None) -> str:
    body = escape(text.ljust(width)).replace(" ", "&#160;")
    cell = f' BGCOLOR="{background}"' if background else ""
    return f'<TR><TD ALIGN="LEFT"{cell}><FONT FACE="Courier" POINT-SIZE="9" COLOR="{colour}">{body}</FONT></TD></TR>'


# ---------------------------------------------------------------------- legend


def _legend(options: Options) -> str:
    swatches = [
        (PARAMETER, "parameter"),
        (INPUT, "input / constant"),
        (INTERMEDIATE, "intermediate"),
        (OUTPUT, "output"),
    ]
    cells = "".join(
        f'<TD BGCOLOR="{colour}" BORDER="1">&#160;&#160;&#160;</TD><TD ALIGN="LEFT">{escape(text)}&#160;&#160;</TD>'
        for colour, text in swatches
    )
    marks = [f'<TD><FONT COLOR="{WANTED}">red text</FONT></TD><TD ALIGN="LEFT">gradient still to come&#160;&#160;</TD>']
    if options.step is not None:
        marks = [
            f'<TD BGCOLOR="{COMPUTED}" BORDER="1">&#160;&#160;&#160;</TD>'
            '<TD ALIGN="LEFT">gradient computed&#160;&#160;</TD>',
            *marks,
            f'<TD BORDER="1" COLOR="{ACTIVE}">&#160;&#160;&#160;</TD><TD ALIGN="LEFT">'
            f"step {options.step.index}: {escape(op_text(options.step.op))}&#160;&#160;</TD>",
        ]
    marks.append(f'<TD><FONT COLOR="{BAD}">purple</FONT></TD><TD ALIGN="LEFT">NaN or inf</TD>')
    title = f'<TR><TD COLSPAN="20" ALIGN="LEFT"><B>{escape(options.title)}</B></TD></TR>' if options.title else ""
    table = (
        f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="2">{title}<TR>{cells}</TR>'
        f'<TR><TD COLSPAN="20" ALIGN="LEFT"><TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0"><TR>{"".join(marks)}'
        "</TR></TABLE></TD></TR></TABLE>"
    )
    return f"  graph [labelloc=b, labeljust=l, label=<{table}>];"
