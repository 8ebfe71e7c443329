"""Loss modules: each one calls its `nn.functional` function with the `reduction` it was built with."""

from __future__ import annotations

from autograd import Tensor
from nn import functional as F
from nn.module import Module


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f'{type(self).__name__}: reduction must be "mean", "sum" or "none", got {reduction!r}')
        self.reduction = reduction

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class MSELoss(_Loss):
    """(prediction - target)², averaged (or summed, or per element)."""

    def forward(self, prediction: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(prediction, target, self.reduction)


class L1Loss(_Loss):
    """|prediction - target|, averaged (or summed, or per element)."""

    def forward(self, prediction: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(prediction, target, self.reduction)


class CrossEntropyLoss(_Loss):
    """Softmax cross-entropy from logits (N, C) and integer labels (N,)."""

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(logits, target, self.reduction)


class NLLLoss(_Loss):
    """Negative log-likelihood from log-probabilities (N, C) and integer labels (N,); after
    `LogSoftmax`, the same as `CrossEntropyLoss` on the logits."""

    def forward(self, log_probabilities: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(log_probabilities, target, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy from logits and 0/1 targets, without overflow."""

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(logits, target, self.reduction)
