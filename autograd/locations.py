"""`record_locations()`: remember the file and line where each operation was written.

Finding the caller's line costs about as much as the rest of an operation, so it is off unless
asked for, as in PyTorch; `detect_anomaly()` turns it on too. `backward_steps()`, the pictures
and the explorer show `created_at` when it is there.
"""

from __future__ import annotations

import os
import sys

from autograd.grad_mode import FlagSwitch


class _RecordLocationsState:
    def __init__(self) -> None:
        self.enabled = False


_RecordLocations = _RecordLocationsState()

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class record_locations(FlagSwitch):
    """Inside this context every recorded operation keeps `created_at`: the (file, line) of your
    code that wrote it. A context manager and a decorator."""

    state = _RecordLocations

    def __init__(self, enabled: bool = True) -> None:
        super().__init__()
        self.mode = bool(enabled)


def is_recording_locations() -> bool:
    """True inside `record_locations()` (or `detect_anomaly()`)."""
    return _RecordLocations.enabled


def user_code_location() -> tuple[str, int]:
    """File and line of the first caller outside the autograd package: where the op was written."""
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    return frame.f_code.co_filename, frame.f_lineno
