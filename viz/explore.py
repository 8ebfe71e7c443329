"""`explore`: the graph as one self-contained HTML page that steps through the forward pass and
then every chain-rule step of the backward pass, under the learner's hand.

The page holds the graph as SVG (laid out here, by the Graphviz inside pygraphviz), the numbers
as JSON, and a small script (viz/explorer/explorer.js). It loads nothing from anywhere.
"""

from __future__ import annotations

import html
import inspect
import json
import math
import re
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from autograd import BackwardStep, Scope, Tensor, topological_order
from viz.dot import Options, build_dot, cluster_of_each_value
from viz.graph import collect, grad_widths, run_backward_steps
from viz.labels import op_text, preview
from viz.render import render_source

COLLAPSE_ABOVE = 150  # values; a bigger graph opens with its layer boxes collapsed
ARRAY_LIMIT = 1000  # numbers of one array written into the page; a bigger array is summarised
PREVIEW_WIDTH = 30  # characters of the one-line gradient preview inside a node
EACH_BOX_UP_TO = 12  # boxes; with more, a click on a folded box unfolds them all (each layout is laid out here)


@dataclass(frozen=True)
class Explorer:
    """One explorer page. Jupyter shows it inline; `save` writes it as a file that opens anywhere."""

    html: str

    def save(self, path: str | Path) -> Path:
        """Write the page to `path` (an .html file that works from file://, offline)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        # In its own frame, so that several explorers in one notebook keep their ids and styles apart.
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" title="glassgrad explorer" '
            'style="width: 100%; height: 760px; border: 1px solid #ddd;"></iframe>'
        )


def explore(root: Tensor, path: str | Path | None = None, **options: Any) -> Explorer:
    """The graph of `root` as an interactive page: the forward pass, then each backward step.

    Like `animate_backward`, this runs the backward pass itself (call it instead of
    `root.backward()`; it fills in `.grad` of the leaves). `path` given: the page is written there.
    Options: those of `viz.render`, plus `collapse_above` (values; bigger graphs open with their
    layer boxes collapsed) and `title`.
    """
    collapse_above = options.pop("collapse_above", COLLAPSE_ABOVE)
    options.setdefault("max_nodes", None)
    if "step" in options or "history" in options or "collapse" in options:
        raise TypeError("explore: step=, history= and collapse= are chosen in the page itself; leave them out")
    settings = Options(**options)  # checks every option now, before the backward pass runs
    model = collect(root, settings.max_nodes)
    forward = _forward_order(root, model.values)
    steps = run_backward_steps(root, "explore")
    ids = model.value_ids
    data = {
        "title": settings.title or "glassgrad: backprop, step by step",
        "nodes": {ids[id(t)]: _node_data(t, root, ids) for t in model.values},
        "forward": [ids[id(t)] for t in forward],
        "steps": _steps_data(steps, ids),
    }
    boxes = _collapsible_boxes(model)
    data["views"], data["first_view"] = _views(root, options, steps, ids, boxes, len(model.values) > collapse_above)
    data["boxes"] = {model.box_id(box): box.label for box in boxes}
    page = Explorer(_page(data))
    if path is not None:
        page.save(path)
    return page


# ---------------------------------------------------------------------- the numbers


def _forward_order(root: Tensor, values: list[Tensor]) -> list[Tensor]:
    """The results of operations in the order the forward pass created them, each input (a
    parameter, an input, a constant) just before its first use."""
    order: list[Tensor] = []
    placed: set[int] = set()
    for tensor in topological_order([root]):
        if tensor.is_leaf:
            continue
        for parent in tensor.parents:
            if parent.is_leaf and id(parent) not in placed:
                placed.add(id(parent))
                order.append(parent)
        placed.add(id(tensor))
        order.append(tensor)
    return order + [t for t in values if id(t) not in placed]  # a leaf root: nothing to step through


def array_data(values: Any) -> dict[str, Any]:
    """An array for the page: shape, dtype, up to ARRAY_LIMIT numbers (row-major), a summary."""
    values = np.asarray(values)
    flat = values.reshape(-1)
    shown = flat[:ARRAY_LIMIT]
    data: dict[str, Any] = {
        "shape": list(values.shape),
        "size": int(values.size),
        "numbers": [_json_number(v) for v in shown.tolist()],
        "preview": " ".join(preview(values, width=PREVIEW_WIDTH, lines=1)),
    }
    if values.size and values.dtype.kind in "fiub":
        finite = flat[np.isfinite(flat)] if values.dtype.kind == "f" else flat
        if finite.size:
            data["min"], data["max"] = _json_number(finite.min().item()), _json_number(finite.max().item())
            data["mean"] = _json_number(float(finite.mean()))
        data["nonfinite"] = int(values.size - finite.size)
    return data


def _json_number(value: Any) -> Any:
    """JSON has no NaN or infinity: those travel as the strings JavaScript's Number() reads."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def _node_data(tensor: Tensor, root: Tensor, ids: dict[int, str]) -> dict[str, Any]:
    if tensor is root:
        role = "output"
    elif tensor.is_leaf:
        role = "parameter" if tensor.requires_grad else "input"
    else:
        role = "intermediate"
    node = {
        "name": tensor.name,
        "role": role,
        "shape": list(tensor.shape),
        "dtype": str(tensor.dtype),
        "value": array_data(tensor.data),
        "requires_grad": tensor.requires_grad,
        "scope": [scope.label for scope in tensor.scope],
    }
    if not tensor.is_leaf:
        function = tensor.grad_fn
        node["op"] = tensor.op
        node["parents"] = [ids[id(parent)] for parent in tensor.parents]
        node["symbol"] = op_text(tensor.op)
        node["rule"] = inspect.getdoc(type(function)) or ""  # "z = x * y;  dz/dx = y,  dz/dy = x."
        if function.created_at is not None:
            node["where"] = f"{function.created_at[0]}:{function.created_at[1]}"
    return node


def _steps_data(steps: list[BackwardStep], ids: dict[int, str]) -> list[dict[str, Any]]:
    """Each step: the node, the gradient that arrived, and per input what was sent and the sum so far."""
    totals: dict[int, np.ndarray] = {}
    result = []
    for step in steps:
        sent = []
        for parent, grad in zip(step.parents, step.grad_inputs):
            if grad is None:
                sent.append(None)
                continue
            totals[id(parent)] = totals[id(parent)] + grad if id(parent) in totals else grad
            sent.append({"to": ids[id(parent)], "grad": array_data(grad), "total": array_data(totals[id(parent)])})
        result.append(
            {"node": ids[id(step.node)], "op": step.op, "grad_output": array_data(step.grad_output), "sent": sent}
        )
    return result


# ---------------------------------------------------------------------- the pictures


def _collapsible_boxes(model: Any) -> list[Scope]:
    """The layer boxes that fold: the outermost level that has more than one box (so that one
    `Sequential` around everything does not fold the whole graph into one node)."""
    paths = [path for path in cluster_of_each_value(model).values() if path]
    depth = 0
    while True:
        level = list(dict.fromkeys(path[depth] for path in paths if len(path) > depth))
        deeper = [path for path in paths if len(path) > depth + 1]
        if len(level) != 1 or not deeper:
            return level
        depth += 1


def _views(
    root: Tensor,
    options: dict[str, Any],
    steps: list[BackwardStep],
    ids: dict[int, str],
    boxes: list[Scope],
    big: bool,
) -> tuple[list[dict[str, Any]], int]:
    """The layouts the page can show, each with its SVG and which value sits in which folded box.

    A layout is laid out here, so the page holds one per set of expanded boxes it offers: all,
    none, and up to EACH_BOX_UP_TO boxes: each box alone and (for a small graph) all but one.
    """
    expanded_sets: list[frozenset[Scope]] = [frozenset(boxes)]
    if boxes:
        expanded_sets.append(frozenset())
    if len(boxes) <= EACH_BOX_UP_TO:
        expanded_sets += [frozenset([box]) for box in boxes]
        if not big:
            expanded_sets += [frozenset(boxes) - {box} for box in boxes]
    widths = grad_widths(steps, shortest="grad ? (still to come)", width=PREVIEW_WIDTH, lines=1)
    views = []
    for expanded in dict.fromkeys(expanded_sets):
        folded = frozenset(boxes) - expanded
        settings = Options(
            **{**options, "collapse": folded, "grad_placeholders": True, "pad_grads": widths, "legend": False}
        )
        model = collect(root, settings.max_nodes)
        placed = cluster_of_each_value(model)
        members = {}
        for tensor in model.values:
            for scope in placed.get(id(tensor), ()):
                if scope in folded and tensor is not root:
                    members[ids[id(tensor)]] = model.box_id(scope)
                    break
        views.append(
            {
                "expanded": sorted(model.box_id(box) for box in expanded),
                "svg": _svg(build_dot(root, settings)),
                "members": members,
            }
        )
    first = 1 if boxes and big else 0
    return views, first


def _svg(source: str) -> str:
    """The DOT source laid out as SVG, without the XML prologue (it goes inside the page)."""
    with tempfile.TemporaryDirectory(prefix="glassgrad-explore-") as folder:
        text = render_source(source, Path(folder) / "graph.svg", "svg").read_text(encoding="utf-8")
    return text[text.index("<svg") :]


# ---------------------------------------------------------------------- the page


def _page(data: dict[str, Any]) -> str:
    assets = resources.files("viz") / "explorer"
    # The JSON goes inside <script>: "<", ">" and "&" as \u escapes, so no text in it can end the
    # script or start a tag, whatever a tensor's name says.
    payload = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for character in "<>&\u2028\u2029":
        payload = payload.replace(character, f"\\u{ord(character):04x}")
    parts = {
        "title": html.escape(data["title"]),
        "style": (assets / "explorer.css").read_text(encoding="utf-8"),
        "script": (assets / "explorer.js").read_text(encoding="utf-8"),
        "data": payload,
    }
    template = (assets / "page.html").read_text(encoding="utf-8")
    # One pass, so that nothing inserted (a title, the data) is itself searched for {{...}}.
    return re.sub(r"\{\{(\w+)\}\}", lambda match: parts[match.group(1)], template)
