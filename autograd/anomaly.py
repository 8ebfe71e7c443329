"""`detect_anomaly()`: stop at the first NaN or inf, and at arrays changed after being saved."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.locations import is_recording_locations, record_locations

if TYPE_CHECKING:
    from autograd.function import Function


class _AnomalyModeState:
    def __init__(self) -> None:
        self.enabled = False


_AnomalyMode = _AnomalyModeState()


class AnomalyError(RuntimeError):
    """What `detect_anomaly()` raises (a RuntimeError, as in PyTorch)."""


class detect_anomaly(contextlib.ContextDecorator):
    """Inside this context the first NaN or inf produced in forward or backward raises
    RuntimeError naming the operation and the file:line where it was created, and so does
    an array saved for backward that was changed in place before backward ran.

    Slow (it checks every value and copies what is saved): for debugging only. It also
    records where each operation was written, as `record_locations()` does.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        self.previous: list[tuple[bool, record_locations]] = []

    def __enter__(self) -> None:
        locations = record_locations(self.check_nan or is_recording_locations())
        locations.__enter__()
        self.previous.append((_AnomalyMode.enabled, locations))
        _AnomalyMode.enabled = self.check_nan

    def __exit__(self, *exc_info: object) -> None:
        _AnomalyMode.enabled, locations = self.previous.pop()
        locations.__exit__(*exc_info)


def is_anomaly_enabled() -> bool:
    """True inside `detect_anomaly()`."""
    return _AnomalyMode.enabled


def _has_nan_or_inf(value: Any) -> bool:
    return isinstance(value, np.ndarray) and value.dtype.kind in "fc" and not np.isfinite(value).all()


def _describe(values: np.ndarray) -> str:
    return "nan" if np.isnan(values).any() else "inf"


def check_forward(op: str, output: np.ndarray, location: tuple[str, int]) -> None:
    """Raise if a forward result holds NaN or inf."""
    if _has_nan_or_inf(output):
        file, line = location
        raise AnomalyError(
            f"detect_anomaly: {op} produced {_describe(output)} values in its output; "
            f"the operation was created at {file}:{line}"
        )


def remember_saved(ctx: Function) -> None:
    """Copy the arrays saved for backward, to tell later whether they were changed in place."""
    ctx._saved_copies = tuple(np.array(v, copy=True) if isinstance(v, np.ndarray) else None for v in ctx._saved or ())


def check_saved_unchanged(ctx: Function) -> None:
    """Raise if an array saved for backward was modified in place since forward."""
    if ctx._saved_copies is None or ctx._saved is None:
        return
    for position, (now, then) in enumerate(zip(ctx._saved, ctx._saved_copies)):
        if then is not None and not np.array_equal(now, then, equal_nan=True):
            raise AnomalyError(
                f"detect_anomaly: array {position} saved for backward by {type(ctx).__name__} "
                f"(created at {_where(ctx)}) was modified in place before backward, so its gradient "
                "would be wrong. Do not change .data (e.g. an optimiser step) between forward and backward."
            )


def check_backward(ctx: Function, grad_inputs: tuple[Any, ...]) -> None:
    """Raise if a backward step returned NaN or inf."""
    for position, grad in enumerate(grad_inputs):
        values = grad.data if hasattr(grad, "_ctx") else grad
        if _has_nan_or_inf(values):
            raise AnomalyError(
                f"detect_anomaly: Function '{type(ctx).__name__}.backward' returned {_describe(values)} "
                f"values in its gradient for input {position}; the operation was created at {_where(ctx)}"
            )


def in_backward_of(ctx: Function, error: AnomalyError) -> AnomalyError:
    """An anomaly met while `ctx.backward` ran as recorded operations (create_graph=True),
    said in terms of that backward and of where its operation was created."""
    message = str(error).removeprefix("detect_anomaly: ")
    return AnomalyError(
        f"detect_anomaly: in Function '{type(ctx).__name__}.backward' (the operation was created at "
        f"{_where(ctx)}): {message}"
    )


def _where(ctx: Function) -> str:
    if ctx.created_at is None:  # the forward pass ran outside detect_anomaly() and record_locations()
        return "an unknown place (run the forward pass inside detect_anomaly() too, to know where)"
    file, line = ctx.created_at
    return f"{file}:{line}"
