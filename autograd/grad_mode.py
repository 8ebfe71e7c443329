"""Whether operations record a graph: `no_grad`, `enable_grad`, `set_grad_enabled`."""

from __future__ import annotations

import contextlib


class _GradMode:
    # One flag for the whole process; read on every operation, so kept as a plain attribute.
    enabled = True


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad record a graph."""
    return _GradMode.enabled


class set_grad_enabled(contextlib.ContextDecorator):
    """Turn graph recording on or off inside a `with` block (or a decorated function)."""

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self.previous: list[bool] = []

    def __enter__(self) -> None:
        self.previous.append(_GradMode.enabled)
        _GradMode.enabled = self.mode

    def __exit__(self, *exc_info: object) -> None:
        _GradMode.enabled = self.previous.pop()


class no_grad(set_grad_enabled):
    """Record no graph: results have `requires_grad=False`. A context manager and a decorator."""

    def __init__(self) -> None:
        super().__init__(False)


class enable_grad(set_grad_enabled):
    """Record the graph again inside a `no_grad` block."""

    def __init__(self) -> None:
        super().__init__(True)
