"""Whether operations record a graph: `no_grad`, `enable_grad`, `set_grad_enabled`."""

from __future__ import annotations

import contextlib
import copy
import functools
import threading
from collections.abc import Callable
from typing import Any


class _GradModeState(threading.local):
    def __init__(self) -> None:  # runs in each thread that reads the flag: grad mode starts on
        self.enabled = True


_GradMode = _GradModeState()  # one flag per thread, as in PyTorch: no_grad() in one thread leaves the others alone


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad record a graph."""
    return _GradMode.enabled


class FlagSwitch(contextlib.ContextDecorator):
    """`state.enabled` set to `mode` inside a `with` block or a decorated function, then put back.
    (Also the base of `record_locations`.)"""

    state: Any
    mode: bool

    def __init__(self) -> None:
        self.previous: list[bool] = []

    def __enter__(self) -> None:
        self.previous.append(self.state.enabled)
        self.state.enabled = self.mode

    def __exit__(self, *exc_info: object) -> None:
        self.state.enabled = self.previous.pop()

    def _recreate_cm(self) -> FlagSwitch:
        """A fresh switch for each call of a decorated function (ContextDecorator's hook), so that
        calls from several threads never share one stack of previous modes."""
        switch = copy.copy(self)
        switch.previous = []
        return switch


class _Switch(FlagSwitch):
    """Graph recording set to `mode` inside a `with` block or a decorated function, then back."""

    state = _GradMode


class _FixedSwitch(_Switch):
    """A switch to one mode, usable as `with m():`, `@m()` or bare `@m`, like PyTorch's."""

    def __new__(cls, func: Callable | None = None) -> Any:
        if func is not None:  # used bare: @no_grad
            return cls()(func)
        return object.__new__(cls)

    def __init__(self, func: Callable | None = None) -> None:
        super().__init__()


class no_grad(_FixedSwitch):
    """Record no graph: results have `requires_grad=False`. A context manager and a decorator."""

    mode = False


class inference_mode(no_grad):
    """PyTorch's faster `no_grad` for inference; here it is `no_grad` (nothing is faster to skip).

    `inference_mode(False)` changes nothing, as in PyTorch.
    """

    def __new__(cls, mode: Callable | bool = True) -> Any:
        if mode is False:
            return set_grad_enabled(is_grad_enabled())
        return super().__new__(cls, None if mode is True else mode)

    def __init__(self, mode: Callable | bool = True) -> None:
        super().__init__()


class enable_grad(_FixedSwitch):
    """Record the graph again inside a `no_grad` block. A context manager and a decorator."""

    mode = True


class set_grad_enabled(_Switch):
    """Turn graph recording on or off, as PyTorch's does.

    Called alone, `set_grad_enabled(False)` sets the mode at once and keeps it; used as
    `with set_grad_enabled(mode):` (or as a decorator) the previous mode comes back afterwards.
    """

    def __init__(self, mode: bool) -> None:
        super().__init__()
        self.mode = bool(mode)
        self.before_call = _GradMode.enabled
        _GradMode.enabled = self.mode  # the plain call's meaning

    def __enter__(self) -> None:
        self.previous.append(self.before_call)  # the call has set the mode already; this comes back
        _GradMode.enabled = self.mode

    def __call__(self, func: Callable) -> Callable:
        _GradMode.enabled = self.before_call  # used as a decorator: the mode applies inside `func` only

        @functools.wraps(func)
        def with_mode(*args: Any, **kwargs: Any) -> Any:
            with self._fresh():
                return func(*args, **kwargs)

        return with_mode

    def _fresh(self) -> _Switch:
        switch = _Switch()
        switch.mode = self.mode
        return switch
