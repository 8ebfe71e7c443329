"""Turn DOT into PNG, SVG, PDF, ... in-process with pygraphviz (Graphviz ships inside its wheels),
falling back to a system `dot` program; `RenderError` when neither can run."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

FORMATS = {"png", "svg", "pdf", "jpg", "jpeg", "gif", "dot", "gv", "ps", "eps"}


class RenderError(RuntimeError):
    """No renderer could turn the DOT source into a picture; the message says why and what to do."""


def output_format(path: Path, format: str | None) -> str:
    """The picture format: `format` if given, else the file's suffix."""
    chosen = (format or path.suffix.lstrip(".")).lower()
    if not chosen:
        raise ValueError(f"render: cannot tell the format of {path}: give it a suffix (.png, .svg) or format=")
    if chosen not in FORMATS:
        raise ValueError(f"render: unknown format {chosen!r}; use one of {', '.join(sorted(FORMATS))}")
    return chosen


def render_source(source: str, path: Path, format: str) -> Path:
    """Write `source` (DOT) to `path` as `format`. Tries pygraphviz, then a system `dot`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if format in ("dot", "gv"):
        path.write_text(source, encoding="utf-8")
        return path
    failures = []
    try:
        import pygraphviz
    except ImportError as error:
        failures.append(f"pygraphviz could not be imported ({error})")
    else:
        try:
            with _without_fontconfig_warnings():
                pygraphviz.AGraph(string=source).draw(str(path), format=format, prog="dot")
            return path
        except Exception as error:  # pygraphviz raises several kinds; each is reported below
            failures.append(f"pygraphviz failed: {type(error).__name__}: {error}")
    dot = shutil.which("dot")
    if dot is None:
        failures.append("no Graphviz 'dot' program on PATH")
    else:
        done = subprocess.run(
            [dot, f"-T{format}", "-o", str(path)], input=source.encode(), capture_output=True, check=False
        )
        if done.returncode == 0:
            return path
        failures.append(f"'{dot}' failed: {done.stderr.decode(errors='replace').strip()}")
    saved = path.with_suffix(".dot")
    saved.write_text(source, encoding="utf-8")
    raise RenderError(
        f"could not render {path.name}: " + "; ".join(failures) + f". The DOT source was written to {saved}. "
        "To get a renderer: pip install 'pygraphviz>=2' (its wheels include Graphviz), or install Graphviz "
        "(e.g. apt-get install graphviz) so that 'dot' is on PATH"
        + ("" if os.environ.get("PATH") else " (PATH is empty)")
    )


@contextlib.contextmanager
def _without_fontconfig_warnings() -> Iterator[None]:
    """Hold back the "Fontconfig warning: ... unknown element" lines that the fontconfig inside
    pygraphviz's wheels prints about newer system config files (Jupyter shows them as red
    boxes); anything else Graphviz writes to stderr is passed on.

    The C library writes to file descriptor 2 itself, so that descriptor points at a temporary
    file while Graphviz runs.
    """
    with tempfile.TemporaryFile() as caught:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            lines = caught.read().decode(errors="replace").splitlines(keepends=True)
    kept = "".join(line for line in lines if not line.startswith("Fontconfig "))
    if kept:
        sys.stderr.write(kept)
