"""The sequence chapter's functions in one table (the same `Case` rows as the convolution
chapter's): forward against closed forms, gradcheck, second derivatives and the PyTorch oracle."""

from __future__ import annotations

import math

import numpy as np

import nn.functional as F
from tests.nn.conv_table import Case, _torch

TOKENS = np.array([[0, 3, 3], [1, 0, 2]])  # a repeated index: its row's gradient adds up
_erf = np.vectorize(math.erf)


def _layer_norm(x, axes, weight=1.0, bias=0.0, eps=1e-5):
    centred = x - x.mean(axis=axes, keepdims=True)
    return centred / np.sqrt((centred**2).mean(axis=axes, keepdims=True) + eps) * weight + bias


CASES: list[Case] = [
    Case("gelu", F.gelu, lambda TF, x: TF.gelu(x), ((3, 4),), lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2)))),
    Case(
        "gelu_tanh",
        lambda x: F.gelu(x, approximate="tanh"),
        lambda TF, x: TF.gelu(x, approximate="tanh"),
        ((2, 5),),
        lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))),
    ),
    Case("silu", F.silu, lambda TF, x: TF.silu(x), ((4, 3),), lambda x: x / (1 + np.exp(-x))),
    Case("softplus", F.softplus, lambda TF, x: TF.softplus(x), ((3, 3),), lambda x: np.log1p(np.exp(x))),
    Case(
        "softplus_beta_threshold",
        lambda x: F.softplus(x * 3, beta=2, threshold=3),
        lambda TF, x: TF.softplus(x * 3, beta=2, threshold=3),
        ((4, 4),),
        lambda x: np.where(6 * x > 3, 3 * x, np.log1p(np.exp(6 * x)) / 2),
        smooth=False,  # the switch at the threshold is a (tiny) kink
    ),
    Case(
        "layer_norm_last_axis",
        lambda x, w, b: F.layer_norm(x, 4, w, b),
        lambda TF, x, w, b: TF.layer_norm(x, (4,), w, b),
        ((2, 3, 4), (4,), (4,)),
        lambda x, w, b: _layer_norm(x, (-1,), w, b),
    ),
    Case(
        "layer_norm_last_two_axes_no_affine",
        lambda x: F.layer_norm(x, (3, 4), eps=0.1),
        lambda TF, x: TF.layer_norm(x, (3, 4), eps=0.1),
        ((2, 3, 4),),
        lambda x: _layer_norm(x, (-2, -1), eps=0.1),
    ),
    Case(
        "embedding",
        lambda w: F.embedding(TOKENS, w),
        lambda TF, w: TF.embedding(_torch(TF).tensor(TOKENS), w),
        ((4, 3),),
        lambda w: w[TOKENS],
    ),
]


def _attention(q, k, v, mask=None, scale=None):
    scores = q @ k.swapaxes(-1, -2) * (1 / math.sqrt(q.shape[-1]) if scale is None else scale)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf) if mask.dtype == bool else scores + mask
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True) @ v


KEEP = np.random.default_rng(5).uniform(size=(3, 4)) > 0.4
KEEP[:, 0] = True  # every query sees at least one key
CAUSAL = np.tril(np.ones((3, 3), dtype=bool))

CASES += [
    Case(
        "scaled_dot_product_attention",
        F.scaled_dot_product_attention,
        lambda TF, q, k, v: TF.scaled_dot_product_attention(q, k, v),
        ((2, 3, 5), (2, 4, 5), (2, 4, 2)),
        _attention,
    ),
    Case(
        "scaled_dot_product_attention_bool_mask",
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, attn_mask=KEEP),
        lambda TF, q, k, v: TF.scaled_dot_product_attention(q, k, v, attn_mask=_torch(TF).tensor(KEEP)),
        ((2, 2, 3, 4), (2, 2, 4, 4), (2, 2, 4, 3)),
        lambda q, k, v: _attention(q, k, v, KEEP),
    ),
    Case(
        "scaled_dot_product_attention_causal_scaled",
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=0.5),
        lambda TF, q, k, v: TF.scaled_dot_product_attention(q, k, v, is_causal=True, scale=0.5),
        ((1, 3, 4), (1, 3, 4), (1, 3, 4)),
        lambda q, k, v: _attention(q, k, v, CAUSAL, 0.5),
    ),
]
