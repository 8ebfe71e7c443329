"""Name scopes: operations created inside `with scope("layer1"):` remember that label.

`nn.Module` opens a scope around each `forward`, so `viz` can draw every layer call as one box.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import NamedTuple


class Scope(NamedTuple):
    """One opened scope: its label, and a number that tells two openings with one label apart."""

    label: str
    number: int


class _Scope:
    # The scopes open now, outermost first; read by every recorded operation.
    current: tuple[Scope, ...] = ()
    numbers = itertools.count()


@contextlib.contextmanager
def scope(label: str) -> Iterator[Scope]:
    """Label every operation recorded inside the block (scopes nest)."""
    previous = _Scope.current
    opened = Scope(str(label), next(_Scope.numbers))
    _Scope.current = (*previous, opened)
    try:
        yield opened
    finally:
        _Scope.current = previous


def current_scope() -> tuple[Scope, ...]:
    """The scopes open now, outermost first."""
    return _Scope.current
