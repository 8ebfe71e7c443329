"""Stochastic gradient descent, with PyTorch's momentum, Nesterov and weight-decay formulation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import no_grad
from nn.optim.optimizer import Optimizer


class SGD(Optimizer):
    """p ← p - lr * g, where g = grad + weight_decay * p, and with momentum μ:

    b ← μ b + (1 - dampening) g   (b = g on the first step);   g ← g + μ b if nesterov else b.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        if lr < 0 or momentum < 0 or weight_decay < 0:
            raise ValueError(f"SGD: lr, momentum and weight_decay must be >= 0 (got {lr}, {momentum}, {weight_decay})")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum needs momentum > 0 and dampening = 0")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "weight_decay": weight_decay,
            "dampening": dampening,
            "nesterov": nesterov,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self) -> None:
        for group, p, grad in self._parameters_with_grad():
            if group["weight_decay"]:
                grad = grad + group["weight_decay"] * p.data
            momentum = group["momentum"]
            if momentum:
                state = self.state.setdefault(p, {})
                if "momentum_buffer" not in state:
                    # np.array, not grad.copy(): for a 0-d parameter `grad` may be a numpy scalar,
                    # and the in-place updates below must change the stored buffer.
                    state["momentum_buffer"] = np.array(grad, dtype=p.dtype)
                else:
                    buffer = state["momentum_buffer"]
                    buffer *= momentum
                    buffer += (1 - group["dampening"]) * grad
                buffer = state["momentum_buffer"]
                grad = grad + momentum * buffer if group["nesterov"] else buffer
            p.data -= group["lr"] * grad
