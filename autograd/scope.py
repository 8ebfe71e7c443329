"""Name scopes: operations created inside `with scope("layer1"):` remember that label.

`nn.Module` opens a scope around each `forward`, so `viz` can draw every layer call as one box.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple


class Scope(NamedTuple):
    """One opened scope: its label, and a number that tells two openings with one label apart."""

    label: str
    number: int


class _ScopeState:
    def __init__(self) -> None:
        self.current: tuple[Scope, ...] = ()  # the scopes open now, outermost first
        self.numbers = itertools.count()


# Read by every recorded operation; an instance for the reason given at autograd.grad_mode._GradMode.
_Scope = _ScopeState()


class scope:
    """Label every operation recorded inside `with scope("layer1"):` (scopes nest).

    A plain class rather than a generator-based context manager: nn opens one per layer call.
    """

    def __init__(self, label: str) -> None:
        self.label = str(label)
        self.previous: tuple[Scope, ...] = ()

    def __enter__(self) -> Scope:
        self.previous = _Scope.current
        opened = Scope(self.label, next(_Scope.numbers))
        _Scope.current = (*self.previous, opened)
        return opened

    def __exit__(self, *exc_info: object) -> None:
        _Scope.current = self.previous


def current_scope() -> tuple[Scope, ...]:
    """The scopes open now, outermost first."""
    return _Scope.current
