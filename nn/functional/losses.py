"""Losses, taking `(prediction, target)` like PyTorch, with `reduction` "mean", "sum" or "none".

Each is composed of autograd operations except `nll_loss`: one `Function` with its own backward,
as PyTorch's is one node, and a worked example of writing one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Function, Tensor, where
from nn.functional.activations import log_softmax
from nn.functional.checks import as_tensor


def _check_same_shape(loss: str, prediction: Tensor, target: Tensor) -> None:
    if prediction.shape != target.shape:
        raise ValueError(
            f"{loss}: prediction has shape {prediction.shape} but target has shape {target.shape}; they must be "
            f"equal, or broadcasting would silently compare every prediction with every target. Reshape one of "
            f"them first, e.g. prediction.reshape({', '.join(map(str, target.shape)) or '()'}"
            f"{',' if len(target.shape) == 1 else ''})"
        )


def _reduce(loss: str, values: Tensor, reduction: str) -> Tensor:
    _check_reduction(loss, reduction)
    if reduction == "mean":
        return values.mean()
    if reduction == "sum":
        return values.sum()
    return values


def _check_reduction(loss: str, reduction: str) -> None:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f'{loss}: reduction must be "mean", "sum" or "none", got {reduction!r}')


def mse_loss(prediction: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """(prediction - target)² reduced; `0.5 * mse_loss(p, y, "sum")` is the blog's loss."""
    target = as_tensor(target)
    _check_same_shape("mse_loss", prediction, target)
    difference = prediction - target
    return _reduce("mse_loss", difference * difference, reduction)


def l1_loss(prediction: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """|prediction - target| reduced."""
    target = as_tensor(target)
    _check_same_shape("l1_loss", prediction, target)
    return _reduce("l1_loss", (prediction - target).abs(), reduction)


def cross_entropy(logits: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """-ln softmax(logits)[target] for integer class labels (or Σ -p ln softmax for class probabilities).

    `logits` is (N, C) (or (C,) for one sample) and `target` holds N class indices in [0, C):
    `nll_loss(log_softmax(logits), target)`, as in PyTorch.
    """
    target = as_tensor(target)
    log_probabilities = log_softmax(logits, axis=-1)
    if target.dtype.kind in "fc" and target.shape == logits.shape:  # class probabilities
        return _reduce("cross_entropy", -(log_probabilities * target).sum(axis=-1), reduction)
    return _negative_log_likelihood("cross_entropy", log_probabilities, target, reduction)


def nll_loss(log_probabilities: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """-log_probabilities[target]: the negative log-likelihood of integer class labels.

    `log_probabilities` is (N, C) (or (C,) for one sample), e.g. `log_softmax(logits)`, and
    `target` holds N class indices in [0, C).
    """
    return _negative_log_likelihood("nll_loss", log_probabilities, as_tensor(target), reduction)


def _negative_log_likelihood(loss: str, log_probabilities: Tensor, target: Tensor, reduction: str) -> Tensor:
    """-log_probabilities[target], reduced; `loss` names the caller in errors."""
    given = "logits" if loss == "cross_entropy" else "log_probabilities"
    if log_probabilities.ndim not in (1, 2):
        raise ValueError(
            f"{loss}: {given} must be (N, C) or (C,) (classes on the last axis), got shape "
            f"{log_probabilities.shape}; reshape to (-1, C) and the labels to (-1,)"
        )
    if target.dtype.kind not in "iu":
        other_way = ", or pass class probabilities of the logits' shape" if loss == "cross_entropy" else ""
        raise TypeError(
            f"{loss}: target must hold integer class labels (got dtype {target.dtype}); convert with "
            f"target.astype(int){other_way}"
        )
    if target.shape != log_probabilities.shape[:-1]:
        raise ValueError(
            f"{loss}: {given} of shape {log_probabilities.shape} need labels of shape "
            f"{log_probabilities.shape[:-1]}, got {target.shape}"
        )
    classes = log_probabilities.shape[-1]
    labels = target.data
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise IndexError(f"{loss}: labels must be in [0, {classes}), got values from {labels.min()} to {labels.max()}")
    _check_reduction(loss, reduction)
    return NllLoss.apply(log_probabilities, target=labels, reduction=reduction)


class NllLoss(Function):
    """loss_i = -log_probabilities[i, target_i], then reduced (the mean divides by N);

    d loss / d log_probabilities[i, c] = -1 (-1/N for the mean) where c = target_i, else 0.
    The labels are an option, not an input: they have no gradient.
    """

    @staticmethod
    def forward(ctx: Function, log_probabilities: np.ndarray, *, target: np.ndarray, reduction: str) -> np.ndarray:
        ctx.target, ctx.reduction, ctx.classes = target, reduction, log_probabilities.shape[-1]
        if log_probabilities.ndim == 1:  # one sample, one label
            losses = -log_probabilities[target]
        else:
            losses = -log_probabilities[np.arange(len(target)), target]
        if reduction == "mean":
            return losses.mean()
        return losses.sum() if reduction == "sum" else losses

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        target = ctx.target
        if ctx.reduction == "mean":
            grad = grad / target.size
        picks = target[..., np.newaxis] == np.arange(ctx.classes)  # one-hot rows: (N, C)
        # Each sample's gradient, -grad, goes to its label's column; np.where (not a product with
        # the one-hot mask) gives the other columns exactly 0 even when grad is infinite.
        per_sample = -grad.reshape(*grad.shape, 1)
        select = where if isinstance(grad, Tensor) else np.where  # Tensors: backward is being recorded
        return select(picks, per_sample, 0.0)


def binary_cross_entropy_with_logits(logits: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """-(t ln σ(x) + (1 - t) ln σ(-x)), computed from the logits x without overflow."""
    target = as_tensor(target)
    _check_same_shape("binary_cross_entropy_with_logits", logits, target)
    values = -(target * logits.logsigmoid() + (1 - target) * (-logits).logsigmoid())
    return _reduce("binary_cross_entropy_with_logits", values, reduction)
