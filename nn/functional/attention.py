"""Attention: every query position takes a weighted average of the values, weighted by how well
its query matches each key. Composed of Tensor operations (`@`, `softmax`, `where`), so every
gradient, and every second derivative, comes from the engine."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor, where
from nn.functional.activations import dropout
from nn.functional.checks import as_tensor


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
) -> Tensor:
    """softmax(Q Kᵀ · scale + M) V, for Q (…, L, E), K (…, S, E), V (…, S, Ev) -> (…, L, Ev).

    scale defaults to 1/√E. A bool `attn_mask` marks the (query, key) pairs that take part (True)
    and blocks the others; a float mask M is added to the scores. `is_causal` lets position i
    see keys 0..i only. As `torch.nn.functional.scaled_dot_product_attention`.
    """
    query, key, value = as_tensor(query), as_tensor(key), as_tensor(value)
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise ValueError(
            f"scaled_dot_product_attention: query (…, L, E) {query.shape}, key (…, S, E) {key.shape} and value "
            f"(…, S, Ev) {value.shape} must agree on E (query and key) and S (key and value)"
        )
    if is_causal and attn_mask is not None:
        raise ValueError("scaled_dot_product_attention: give attn_mask or is_causal=True, not both (as PyTorch)")
    if is_causal:
        attn_mask = causal_mask(query.shape[-2], key.shape[-2])
    scale = 1 / math.sqrt(query.shape[-1]) if scale is None else scale
    out, _ = attention(query, key, value, scale, attn_mask, "scaled_dot_product_attention", dropout_p)
    return out


def causal_mask(queries: int, keys: int) -> np.ndarray:
    """(L, S) bool: True where key j <= query i, the keys a position may see (lower triangle)."""
    return np.tril(np.ones((queries, keys), dtype=bool))


def attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    scale: float,
    mask: Any,
    name: str,
    dropout_p: float = 0.0,
) -> tuple[Tensor, Tensor]:
    """(softmax(Q Kᵀ · scale + mask) V, the weights); a bool mask is True where a pair takes part."""
    scores = (query @ key.swapaxes(-1, -2)) * scale  # (…, L, S)
    if mask is not None:
        mask_data = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
        _check_mask(name, mask_data.shape, scores.shape)
        if mask_data.dtype == bool:
            scores = where(mask_data, scores, -np.inf)
        else:
            scores = scores + as_tensor(mask).astype(scores.dtype)
    weights = scores.softmax(axis=-1)
    if dropout_p:
        weights = dropout(weights, dropout_p)
    return weights @ value, weights


def _check_mask(name: str, mask_shape: tuple[int, ...], scores_shape: tuple[int, ...]) -> None:
    """The mask must broadcast to the scores without growing them."""
    try:
        fits = np.broadcast_shapes(mask_shape, scores_shape) == tuple(scores_shape)
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"{name}: the mask of shape {mask_shape} does not broadcast to the attention scores of shape "
            f"{scores_shape} (…, L queries, S keys); give it shape (L, S) = {scores_shape[-2:]} or one that "
            "broadcasts to the scores"
        )
