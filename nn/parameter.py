"""`Parameter`: a Tensor that a Module learns (it always requires grad)."""

from __future__ import annotations

from typing import Any

from autograd import Tensor


class Parameter(Tensor):
    """A Tensor with `requires_grad=True` that registers itself when assigned to a Module attribute.

    Inside a Module it is named after its place in `named_parameters()` (e.g. `0.weight`), unless
    you give it a name yourself.
    """

    __slots__ = ("auto_named",)

    def __init__(self, data: Any, requires_grad: bool = True, dtype: Any = None, name: str | None = None) -> None:
        super().__init__(data, requires_grad=requires_grad, dtype=dtype, name=name)
        self.auto_named = False

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
