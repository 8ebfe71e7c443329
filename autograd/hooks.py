"""Tensor hooks: `register_hook`'s handle, and running the hooks of a node during backward."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd.tensor import Tensor


class RemovableHandle:
    """What `register_hook` returns: `handle.remove()` unregisters the hook."""

    _ids = itertools.count()

    def __init__(self, hooks: dict[int, Callable]) -> None:
        self.hooks = hooks
        self.id = next(RemovableHandle._ids)

    def remove(self) -> None:
        self.hooks.pop(self.id, None)


def run_hooks(node: Tensor, grad_output: Any) -> Any:
    """Each hook of `node` sees d loss / d node as a Tensor; one that returns a Tensor replaces it."""
    is_array = not isinstance(grad_output, Tensor)
    for hook in list(node._hooks.values()):
        result = hook(Tensor(grad_output) if is_array else grad_output)
        if result is not None:
            grad_output = np.asarray(result.data if isinstance(result, Tensor) else result) if is_array else result
    return grad_output
