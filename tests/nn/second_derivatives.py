"""The second-derivative check the nn tables share: gradcheck on the first gradient."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import autograd
from autograd import Tensor, gradcheck


def second_derivatives_match(op: Callable[..., Tensor], inputs: list[Tensor], seed: int = 3) -> bool:
    """gradcheck of d/dx Σ w·op(x)² (computed with create_graph=True), so that even a linear op
    has a second derivative to check."""
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, size=op(*inputs).shape)

    def first_gradient(*xs: Tensor) -> Tensor:
        out = op(*xs)
        grads = autograd.grad((out * weights * out).sum(), list(xs), create_graph=True)
        return autograd.concatenate([g.reshape(-1) for g in grads])

    return gradcheck(first_gradient, inputs)
