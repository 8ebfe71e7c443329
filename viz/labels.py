"""Label text: short previews of arrays, and escaping so that no user string can break the DOT."""

from __future__ import annotations

import html

import numpy as np

OP_SYMBOLS = {
    "Add": "+",
    "Sub": "−",
    "Mul": "×",
    "Div": "÷",
    "MatMul": "@",
    "Pow": "**",
    "Neg": "−x",
}


def escape(text: str) -> str:
    """Make any text safe inside an HTML-like Graphviz label (quotes, <, >, &, newlines, ...)."""
    return html.escape(str(text), quote=True).replace("\n", '<BR ALIGN="LEFT"/>').replace("\\", "&#92;")


def quote(text: str) -> str:
    """Make any text safe inside a double-quoted DOT string (a tooltip, an edge label)."""
    return str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def preview(values: np.ndarray, width: int = 36, lines: int = 3) -> list[str]:
    """A few lines showing an array's values, clipped (numpy's own summary with '...')."""
    values = np.asarray(values)
    if values.ndim == 0:  # the common case in long chains, and 50x cheaper than array2string
        value = values.item()
        return [f"{value:.4g}" if isinstance(value, float) else str(value)]
    if values.dtype.kind in "fc":
        text = np.array2string(values, precision=3, suppress_small=True, threshold=8, edgeitems=2, max_line_width=width)
    else:
        text = np.array2string(values, threshold=8, edgeitems=2, max_line_width=width)
    rows = text.splitlines()
    if len(rows) > lines:  # the rows that fit, the last one marked as cut short
        rows = [*rows[: lines - 1], rows[lines - 1] + " …"]
    return [row[:width] + ("…" if len(row) > width else "") for row in rows]


def has_nan_or_inf(values: np.ndarray) -> bool:
    return values.dtype.kind in "fc" and not np.isfinite(values).all()


def op_text(op: str) -> str:
    """The operation as a learner writes it: `×` for Mul, `relu` for Relu, ..."""
    return OP_SYMBOLS.get(op, op[:1].lower() + op[1:])
