"""Name scopes: operations created inside `with scope("layer1"):` remember that label.

`nn.Module` opens a scope around each `forward`, so `viz` can draw every layer as one box.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


class _Scope:
    # The labels of the open scopes, outermost first; read by every recorded operation.
    current: tuple[str, ...] = ()


@contextlib.contextmanager
def scope(label: str) -> Iterator[None]:
    """Label every operation recorded inside the block (scopes nest)."""
    previous = _Scope.current
    _Scope.current = (*previous, label)
    try:
        yield
    finally:
        _Scope.current = previous


def current_scope() -> tuple[str, ...]:
    """The labels of the scopes open now, outermost first."""
    return _Scope.current
