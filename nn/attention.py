"""`MultiheadAttention`: PyTorch's parameters (`in_proj_weight`, `in_proj_bias`, `out_proj`) and
call, written out with Tensor operations so that every head's weights can be looked at."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor
from nn import functional as F
from nn import init
from nn.functional.attention import attention, causal_mask
from nn.layers import Linear
from nn.module import Module
from nn.parameter import Parameter


class MultiheadAttention(Module):
    """Attention with `num_heads` heads of size embed_dim / num_heads:

        Q, K, V = query Wqᵀ + bq, key Wkᵀ + bk, value Wvᵀ + bv    (the rows of in_proj_weight)
        head_h = softmax(Q_h K_hᵀ / √d + mask) V_h,   output = out_proj(concat of the heads)

    Inputs are (L, N, E) (batch_first: (N, L, E)) or (L, E) unbatched. A bool `attn_mask` is
    True where a query may NOT look at a key (PyTorch's meaning here), a float one is added to the
    scores; `key_padding_mask` (N, S) is True at padding keys. Returns (output, weights averaged
    over heads (N, L, S), or None when need_weights=False). `out_proj` is a `Linear`, in the
    blog's layout (weight (in, out)).
    """

    def __init__(self, embed_dim: int, num_heads: int, bias: bool = True, batch_first: bool = False) -> None:
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(f"MultiheadAttention: embed_dim={embed_dim} must be divisible by num_heads={num_heads}")
        self.embed_dim, self.num_heads, self.batch_first = embed_dim, num_heads, batch_first
        self.head_dim = embed_dim // num_heads
        self.in_proj_weight = init.xavier_uniform_(Parameter(np.zeros((3 * embed_dim, embed_dim))))
        self.in_proj_bias = Parameter(np.zeros(3 * embed_dim)) if bias else None
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias)
        if bias:
            init.zeros_(self.out_proj.bias)

    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        attn_mask: Any = None,
        need_weights: bool = True,
        is_causal: bool = False,
        *,
        key_padding_mask: Any = None,
        average_attn_weights: bool = True,
    ) -> tuple[Tensor, Tensor | None]:
        query, key, value = (F.checks.as_tensor(t) for t in (query, key, value))
        unbatched = query.ndim == 2
        if unbatched:
            query, key, value = (t.unsqueeze(1) for t in (query, key, value))
        elif query.ndim != 3:
            layout = "(N, L, E)" if self.batch_first else "(L, N, E)"
            raise ValueError(f"{self!r}: expects query {layout} or (L, E), got shape {query.shape}")
        if not self.batch_first or unbatched:  # work in (N, L, E)
            query, key, value = (t.swapaxes(0, 1) for t in (query, key, value))
        for name, t in (("query", query), ("key", key), ("value", value)):
            if t.shape[-1] != self.embed_dim:
                raise ValueError(f"{self!r}: {name} has {t.shape[-1]} features, expected embed_dim={self.embed_dim}")
        batch, queries, keys = query.shape[0], query.shape[1], key.shape[1]
        q, k, v = (self._project(t, i) for i, t in enumerate((query, key, value)))  # (N, heads, L or S, d)
        mask = self._mask(attn_mask, key_padding_mask, is_causal, batch, queries, keys)
        out, weights = attention(q, k, v, 1 / math.sqrt(self.head_dim), mask, type(self).__name__)
        out = self.out_proj(out.swapaxes(1, 2).reshape(batch, queries, self.embed_dim))
        if not self.batch_first or unbatched:
            out = out.swapaxes(0, 1)
        if unbatched:
            out, weights = out.reshape(queries, self.embed_dim), weights.reshape(self.num_heads, queries, keys)
        if not need_weights:
            return out, None
        return out, (weights.mean(axis=-3) if average_attn_weights else weights)

    def _project(self, x: Tensor, which: int) -> Tensor:
        """x Wᵀ + b with rows [which·E, (which+1)·E) of in_proj, split into heads: (N, heads, L, d)."""
        rows = slice(which * self.embed_dim, (which + 1) * self.embed_dim)
        projected = x @ self.in_proj_weight[rows].T
        if self.in_proj_bias is not None:
            projected = projected + self.in_proj_bias[rows]
        batch, length = x.shape[:2]
        return projected.reshape(batch, length, self.num_heads, self.head_dim).swapaxes(1, 2)

    def _mask(self, attn_mask: Any, key_padding_mask: Any, is_causal: bool, batch: int, queries: int, keys: int) -> Any:
        """One mask for the (N, heads, L, S) scores: bool True = takes part, or float = added."""
        if attn_mask is None and is_causal:
            attn_mask = ~causal_mask(queries, keys)
        mask = None
        if attn_mask is not None:
            mask = attn_mask.data if isinstance(attn_mask, Tensor) else np.asarray(attn_mask)
            if mask.ndim == 3:  # (N·heads, L, S)
                mask = mask.reshape(batch, self.num_heads, queries, keys)
            mask = ~mask if mask.dtype == bool else mask
        if key_padding_mask is not None:
            padding = key_padding_mask.data if isinstance(key_padding_mask, Tensor) else np.asarray(key_padding_mask)
            keep = ~padding.astype(bool).reshape(batch, 1, 1, keys)
            if mask is None:
                mask = keep
            elif mask.dtype == bool:
                mask = mask & keep
            else:
                mask = np.where(keep, mask, -np.inf)
        return mask

    def extra_repr(self) -> str:
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, batch_first={self.batch_first}"
