"""Pictures of the computation graph and of backprop, built on autograd's public API.

`to_dot` (DOT text, pure Python), `draw` (a `graphviz.Digraph`, inline in Jupyter), `render`
(a PNG/SVG/... file, rendered in-process: no system Graphviz needed), `animate_backward` (a GIF).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import graphviz

from autograd import Tensor
from viz.animate import animate_backward
from viz.dot import Options, build_dot
from viz.graph import GraphTooLargeError
from viz.render import RenderError, output_format, render_source

__all__ = ["GraphTooLargeError", "RenderError", "animate_backward", "draw", "render", "to_dot"]


def to_dot(root: Tensor, **options: Any) -> str:
    """DOT source of the graph that produced `root`.

    Options: show_data, show_grad, show_shapes (bool), rankdir ("LR", "TB", ...), max_nodes
    (refuse bigger graphs; None for no limit), group_modules (box each nn layer), legend, title,
    step (a `backward_steps()` item to highlight) and history (the steps before it).
    """
    return build_dot(root, Options(**options))


def draw(root: Tensor, **options: Any) -> graphviz.Digraph:
    """The graph as a `graphviz.Digraph`; Jupyter shows it inline (rendered in-process, no `dot` needed)."""
    picture = _InlineDigraph(name="glassgrad")
    picture.body.extend(to_dot(root, **options).splitlines()[1:-1])
    return picture


class _InlineDigraph(graphviz.Digraph):
    """A Digraph that renders itself for Jupyter with pygraphviz when no `dot` program exists."""

    def _repr_image_svg_xml(self) -> str:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            path = render_source(self.source, Path(folder) / "graph.svg", "svg")
            return path.read_text(encoding="utf-8")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict[str, str]:
        return {"image/svg+xml": self._repr_image_svg_xml()}


def render(root: Tensor, path: str | Path, format: str | None = None, save_dot: bool = False, **options: Any) -> Path:
    """Write the graph of `root` to exactly `path` (PNG, SVG, PDF, ... from the suffix or `format`).

    Works after `pip install` alone: Graphviz comes inside pygraphviz's wheels. With `save_dot`,
    the DOT source is also written next to it. Raises `RenderError` when no renderer can run.
    """
    path = Path(path)
    chosen = output_format(path, format)
    source = to_dot(root, **options)
    if save_dot:
        path.with_suffix(".dot").parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".dot").write_text(source, encoding="utf-8")
    return render_source(source, path, chosen)
