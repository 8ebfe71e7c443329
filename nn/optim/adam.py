"""Adam (Kingma & Ba, 2015) and AdamW (Loshchilov & Hutter, 2019), with bias correction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import no_grad
from nn.optim.optimizer import Optimizer


class Adam(Optimizer):
    """m ← β1 m + (1 - β1) g,  v ← β2 v + (1 - β2) g²,
    p ← p - lr * m̂ / (√v̂ + eps)  with  m̂ = m / (1 - β1^t),  v̂ = v / (1 - β2^t).

    `weight_decay` adds weight_decay * p to g (L2, as in PyTorch's Adam); AdamW decays p directly.
    """

    decoupled_weight_decay = False

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        if lr < 0 or eps < 0 or weight_decay < 0 or not all(0 <= b < 1 for b in betas):
            raise ValueError(f"{type(self).__name__}: need lr, eps, weight_decay >= 0 and betas in [0, 1)")
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay})

    @no_grad()
    def step(self) -> None:
        for group, p, grad in self._parameters_with_grad():
            lr, (beta1, beta2), eps, decay = group["lr"], group["betas"], group["eps"], group["weight_decay"]
            if decay and self.decoupled_weight_decay:
                p.data -= lr * decay * p.data
            elif decay:
                grad = grad + decay * p.data
            state = self.state.setdefault(p, {})
            if not state:
                state.update(step=0, exp_avg=np.zeros_like(p.data), exp_avg_sq=np.zeros_like(p.data))
            state["step"] += 1
            m, v, t = state["exp_avg"], state["exp_avg_sq"], state["step"]
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            p.data -= lr * m_hat / (np.sqrt(v_hat) + eps)


class AdamW(Adam):
    """Adam with decoupled weight decay: p ← p - lr * weight_decay * p before the Adam step."""

    decoupled_weight_decay = True

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay)
