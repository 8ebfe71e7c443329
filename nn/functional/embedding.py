"""Looking rows up by index: `embedding` (a learned vector per token) and `one_hot`."""

from __future__ import annotations

import numpy as np

from autograd import Tensor
from nn.functional.checks import as_tensor


def _indices(name: str, input: Tensor | np.ndarray, count: int | None, what: str) -> np.ndarray:
    """The integer array of `input`, checked to lie in [0, count)."""
    indices = input.data if isinstance(input, Tensor) else np.asarray(input)
    if indices.dtype.kind not in "iu":
        raise TypeError(f"{name}: expects integer indices, got dtype {indices.dtype}; convert with .astype(int)")
    if count is not None and indices.size and (indices.min() < 0 or indices.max() >= count):
        bad = indices[(indices < 0) | (indices >= count)].flat[0]
        raise IndexError(f"{name}: index {bad} is out of range for {what} = {count} (indices must be in [0, {count}))")
    return indices


def embedding(input: Tensor, weight: Tensor) -> Tensor:
    """weight[input]: row i of `weight` (num_embeddings, embedding_dim) for each index i, so the
    output has shape input.shape + (embedding_dim,). The gradient of a row is the sum of the
    gradients of every place that looked it up."""
    weight = as_tensor(weight)
    if weight.ndim != 2:
        raise ValueError(f"embedding: weight must be (num_embeddings, embedding_dim), got shape {weight.shape}")
    return weight[_indices("embedding", input, weight.shape[0], "num_embeddings")]


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """(…) integer classes -> (…, num_classes) int64 rows of 0s with a 1 at the class;
    num_classes=-1 uses the largest class + 1, as in PyTorch."""
    classes = _indices("one_hot", tensor, None, "num_classes")
    if classes.size and classes.min() < 0:
        raise IndexError(f"one_hot: classes must be >= 0, got {classes.min()}")
    if num_classes == -1:
        num_classes = int(classes.max()) + 1 if classes.size else 0
    _indices("one_hot", classes, num_classes, "num_classes")
    return Tensor((classes[..., np.newaxis] == np.arange(num_classes)).astype(np.int64))
