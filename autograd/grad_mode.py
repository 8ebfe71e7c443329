"""Whether operations record a graph: `no_grad`, `enable_grad`, `set_grad_enabled`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any


class _GradModeState:
    def __init__(self) -> None:
        self.enabled = True


# One flag for the whole process, read on every operation. An instance rather than a class
# attribute: Python 3.11 reads an instance's attribute several times faster than a class's.
_GradMode = _GradModeState()


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


class _FixedMode(set_grad_enabled):
    """A switch to one mode, usable as `with m():`, `@m()` or bare `@m`, like PyTorch's."""

    mode: bool  # each subclass's own

    def __new__(cls, func: Callable | None = None) -> Any:
        if func is not None:  # used bare: @no_grad
            return cls()(func)
        return object.__new__(cls)

    def __init__(self, func: Callable | None = None) -> None:
        self.previous = []


class no_grad(_FixedMode):
    """Record no graph: results have `requires_grad=False`. A context manager and a decorator."""

    mode = False


class enable_grad(_FixedMode):
    """Record the graph again inside a `no_grad` block. A context manager and a decorator."""

    mode = True
