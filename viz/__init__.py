"""Pictures of the computation graph and of backprop, built on autograd's public API.

`to_dot` (DOT text, pure Python), `draw` (a `graphviz.Digraph`, inline in Jupyter), `render`
(a PNG/SVG/... file, rendered in-process: no system Graphviz needed), `animate_backward` (a GIF),
`explore` (an interactive page that steps through forward and backward).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import graphviz

from autograd import Tensor
from viz.animate import animate_backward
from viz.dot import Options, build_dot
from viz.explore import Explorer, explore
from viz.graph import GraphTooLargeError
from viz.render import RenderError, output_format, render_source

__all__ = ["Explorer", "GraphTooLargeError", "RenderError", "animate_backward", "draw", "explore", "render", "to_dot"]


OPTIONS_HELP = """
    Options (keywords; the same for to_dot, draw, render, animate_backward and explore):
      show_data=True       each value's numbers (a preview of preview_lines rows)
      show_grad=True       each gradient (after backward, or at the step shown)
      show_shapes=True     each value's shape and dtype
      preview_lines=2      rows of numbers shown per array
      rankdir="TB"         "TB" top to bottom (fits a page), "LR" left to right, "BT", "RL"
      max_nodes=1000       refuse bigger graphs (None: no limit)
      group_modules=True   draw each nn layer call as a dashed box
      collapse=False       True, or a list of layer labels (e.g. ["Linear"]): those boxes as one node
      legend=True          the colour key under the graph
      title=None           a line of text above the key
      step=None            a `backward_steps()` item to highlight, history=() the steps before it
"""


def to_dot(root: Tensor, **options: Any) -> str:
    """DOT source of the graph that produced `root`."""
    return build_dot(root, Options(**options))


def draw(root: Tensor, **options: Any) -> graphviz.Digraph:
    """The graph as a `graphviz.Digraph`; Jupyter shows it inline (rendered in-process, no `dot` needed)."""
    picture = _InlineDigraph(name="glassgrad")
    picture.body.extend(to_dot(root, **options).splitlines()[1:-1])
    return picture


class _InlineDigraph(graphviz.Digraph):
    """A Digraph that renders in-process with pygraphviz, so Jupyter display, `pipe()` and
    `render()` work where no Graphviz `dot` program is installed."""

    def pipe(self, format: str | None = None, *args: Any, encoding: str | None = None, **kwargs: Any) -> Any:
        """The picture as bytes (or text with `encoding`), like graphviz's own pipe()."""
        with tempfile.TemporaryDirectory() as folder:
            chosen = format or self.format
            data = render_source(self.source, Path(folder) / f"graph.{chosen}", chosen).read_bytes()
        return data.decode(encoding) if encoding else data

    def render(
        self,
        filename: str | None = None,
        directory: str | None = None,
        *args: Any,
        format: str | None = None,
        outfile: str | Path | None = None,
        **kwargs: Any,
    ) -> str:
        """Write the picture to a file (`outfile`, or filename + format), like graphviz's render()."""
        if outfile is not None:
            target = Path(outfile)
            chosen = format or target.suffix.lstrip(".") or self.format
        else:
            chosen = format or self.format
            target = Path(directory or ".") / f"{filename or self.name}.{chosen}"
        return str(render_source(self.source, target, chosen))

    def _repr_image_svg_xml(self) -> str:
        return self.pipe(format="svg", encoding="utf-8")

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


for _function in (to_dot, draw, render, animate_backward, explore):
    _function.__doc__ = (_function.__doc__ or "") + OPTIONS_HELP
