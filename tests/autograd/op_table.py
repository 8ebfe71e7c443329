"""One table of operations: it drives the forward checks (against numpy) and the gradient checks.

Each case says how to call the op on Tensors, the same math in numpy, which input shapes to try
(every broadcasting pattern the op supports) and where the inputs may be drawn from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import autograd

BROADCAST_PAIRS = [
    ((3,), (3,)),
    ((2, 3), (2, 3)),
    ((2, 3), (3,)),
    ((3,), (2, 3)),
    ((2, 3), (2, 1)),
    ((2, 1), (1, 3)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((4, 1, 3), (2, 3)),
]
UNARY_SHAPES = [(), (5,), (2, 3), (2, 3, 4)]


@dataclass(frozen=True)
class OpCase:
    name: str
    op: Callable  # on Tensors
    reference: Callable  # the same math on numpy arrays
    shapes: list  # one tuple of input shapes per case
    low: float = -2.0  # inputs are drawn uniformly from [low, high]
    high: float = 2.0
    smooth: bool = True  # twice differentiable where inputs are drawn, so second derivatives are checked

    def inputs(self, shapes: tuple, seed: int = 0) -> list[np.ndarray]:
        rng = np.random.default_rng(seed)
        return [rng.uniform(self.low, self.high, size=shape) for shape in shapes]


def _away_from_zero(values: np.ndarray) -> np.ndarray:
    return np.where(np.abs(values) < 0.2, 0.5, values)


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


OPS: list[OpCase] = [
    OpCase("add", lambda a, b: a + b, np.add, BROADCAST_PAIRS),
    OpCase("sub", lambda a, b: a - b, np.subtract, BROADCAST_PAIRS),
    OpCase("mul", lambda a, b: a * b, np.multiply, BROADCAST_PAIRS),
    OpCase("div", lambda a, b: a / b, np.divide, BROADCAST_PAIRS, low=0.5, high=2.0),
    OpCase("pow", lambda a, b: a**b, np.power, BROADCAST_PAIRS, low=0.5, high=2.0),
    OpCase("radd_number", lambda a: 2.5 + a, lambda a: 2.5 + a, [((),), ((2, 3),)]),
    OpCase("rsub_number", lambda a: 1 - a, lambda a: 1 - a, [((),), ((2, 3),)]),
    OpCase("rmul_number", lambda a: 2 * a, lambda a: 2 * a, [((),), ((2, 3),)]),
    OpCase("rdiv_number", lambda a: 1 / a, lambda a: 1 / a, [((),), ((2, 3),)], low=0.5),
    OpCase("rpow_number", lambda a: 2**a, lambda a: 2**a, [((),), ((2, 3),)]),
    OpCase("pow_number", lambda a: a**3, lambda a: a**3, [((),), ((2, 3),)]),
    OpCase("sqrt_pow", lambda a: a**0.5, np.sqrt, [((2, 3),)], low=0.5),
    OpCase("ndarray_plus_tensor", lambda a: np.ones(3) + a, lambda a: np.ones(3) + a, [((2, 3),)]),
    OpCase("neg", lambda a: -a, np.negative, [(s,) for s in UNARY_SHAPES]),
    OpCase("exp", lambda a: a.exp(), np.exp, [(s,) for s in UNARY_SHAPES]),
    OpCase("log", lambda a: a.log(), np.log, [(s,) for s in UNARY_SHAPES], low=0.3, high=3.0),
    OpCase("sqrt", lambda a: a.sqrt(), np.sqrt, [(s,) for s in UNARY_SHAPES], low=0.3, high=3.0),
    OpCase(
        "abs",
        lambda a: _away(a).abs(),
        lambda a: np.abs(_away_from_zero(a)),
        [(s,) for s in UNARY_SHAPES],
        smooth=True,
    ),
    OpCase("sign", lambda a: _away(a).sign(), lambda a: np.sign(_away_from_zero(a)), [(s,) for s in UNARY_SHAPES]),
    OpCase("tanh", lambda a: a.tanh(), np.tanh, [(s,) for s in UNARY_SHAPES]),
    OpCase("sigmoid", lambda a: a.sigmoid(), lambda a: 1 / (1 + np.exp(-a)), [(s,) for s in UNARY_SHAPES]),
    OpCase(
        "relu",
        lambda a: _away(a).relu(),
        lambda a: np.maximum(_away_from_zero(a), 0),
        [(s,) for s in UNARY_SHAPES],
        smooth=True,
    ),
    OpCase(
        "clip",
        lambda a: _away(a).clip(-1.0, 1.0),
        lambda a: np.clip(_away_from_zero(a), -1, 1),
        [((2, 3),), ((4, 5),)],
        low=-3,
        high=3,
        smooth=True,
    ),
    OpCase(
        "logsigmoid",
        lambda a: a.logsigmoid(),
        lambda a: -np.log1p(np.exp(-a)),
        [(s,) for s in UNARY_SHAPES],
        low=-5,
        high=5,
    ),
    OpCase("logsumexp_all", lambda a: a.logsumexp(), lambda a: np.log(np.exp(a).sum()), [(s,) for s in UNARY_SHAPES]),
    OpCase(
        "logsumexp_axis",
        lambda a: a.logsumexp(axis=-1),
        lambda a: np.log(np.exp(a).sum(axis=-1)),
        [((2, 3),), ((2, 3, 4),)],
    ),
    OpCase(
        "logsumexp_keepdims",
        lambda a: a.logsumexp(axis=0, keepdims=True),
        lambda a: np.log(np.exp(a).sum(axis=0, keepdims=True)),
        [((2, 3),)],
    ),
    OpCase("softmax_last", lambda a: a.softmax(), lambda a: _softmax(a, -1), [((5,),), ((2, 3),), ((2, 3, 4),)]),
    OpCase("softmax_first", lambda a: a.softmax(axis=0), lambda a: _softmax(a, 0), [((2, 3),), ((2, 3, 4),)]),
    OpCase(
        "log_softmax_last",
        lambda a: a.log_softmax(),
        lambda a: np.log(_softmax(a, -1)),
        [((5,),), ((2, 3),), ((2, 3, 4),)],
    ),
    OpCase(
        "log_softmax_first",
        lambda a: a.log_softmax(dim=0),  # PyTorch's name for the axis
        lambda a: np.log(_softmax(a, 0)),
        [((2, 3),), ((2, 3, 4),)],
    ),
    OpCase("module_exp", lambda a: autograd.exp(a), np.exp, [((2, 3),)]),
    OpCase("module_log", lambda a: autograd.log(a), np.log, [((2, 3),)], low=0.5),
    OpCase("module_tanh", lambda a: autograd.tanh(a), np.tanh, [((2, 3),)]),
    OpCase("sin", lambda a: a.sin(), np.sin, [(s,) for s in UNARY_SHAPES], low=-4.0, high=4.0),
    OpCase("cos", lambda a: a.cos(), np.cos, [(s,) for s in UNARY_SHAPES], low=-4.0, high=4.0),
    OpCase("module_sin_cos", lambda a: autograd.sin(a) * autograd.cos(a), lambda a: np.sin(a) * np.cos(a), [((3,),)]),
    OpCase("module_sigmoid", lambda a: autograd.sigmoid(a), lambda a: 1 / (1 + np.exp(-a)), [((2, 3),)]),
    OpCase("module_relu", lambda a: autograd.relu(_away(a)), lambda a: np.maximum(_away_from_zero(a), 0), [((2, 3),)]),
    OpCase("maximum", autograd.maximum, np.maximum, BROADCAST_PAIRS, smooth=False),
    OpCase("minimum", autograd.minimum, np.minimum, BROADCAST_PAIRS, smooth=False),
    OpCase(
        "where",
        lambda a, b: autograd.where(a > b, a * b, a - b),
        lambda a, b: np.where(a > b, a * b, a - b),
        BROADCAST_PAIRS,
        smooth=False,
    ),
    OpCase("sum_all", lambda a: a.sum(), np.sum, [(s,) for s in UNARY_SHAPES]),
    OpCase("sum_axis0", lambda a: a.sum(axis=0), lambda a: a.sum(axis=0), [((4,),), ((2, 3),), ((2, 3, 4),)]),
    OpCase(
        "sum_axis_neg_keepdims",
        lambda a: a.sum(axis=-1, keepdims=True),
        lambda a: a.sum(axis=-1, keepdims=True),
        [((4,),), ((2, 3),), ((2, 3, 4),)],
    ),
    OpCase("sum_axes_tuple", lambda a: a.sum(axis=(0, 2)), lambda a: a.sum(axis=(0, 2)), [((2, 3, 4),)]),
    OpCase("mean_all", lambda a: a.mean(), np.mean, [(s,) for s in UNARY_SHAPES]),
    OpCase("mean_axis1", lambda a: a.mean(axis=1), lambda a: a.mean(axis=1), [((2, 3),), ((2, 3, 4),)]),
    OpCase(
        "mean_keepdims",
        lambda a: a.mean(axis=(0, 1), keepdims=True),
        lambda a: a.mean(axis=(0, 1), keepdims=True),
        [((2, 3),), ((2, 3, 4),)],
    ),
    OpCase("var_all", lambda a: a.var(), np.var, [((5,),), ((2, 3),)]),
    OpCase(
        "var_axis_ddof1",
        lambda a: a.var(axis=0, ddof=1),
        lambda a: a.var(axis=0, ddof=1),
        [((4,),), ((3, 2),), ((3, 2, 2),)],
    ),
    OpCase(
        "var_keepdims", lambda a: a.var(axis=-1, keepdims=True), lambda a: a.var(axis=-1, keepdims=True), [((2, 3),)]
    ),
    OpCase("std", lambda a: a.std(axis=0), lambda a: a.std(axis=0), [((4, 3),), ((5,),), ((3, 2, 2),)]),
    OpCase("std_all", lambda a: a.std(), np.std, [((5,),), ((2, 3),)]),
    OpCase(
        "std_keepdims_ddof1",
        lambda a: a.std(axis=(0, 2), keepdims=True, ddof=1),
        lambda a: a.std(axis=(0, 2), keepdims=True, ddof=1),
        [((3, 2, 2),)],
    ),
    OpCase("max_all", lambda a: a.max(), np.max, [((5,),), ((2, 3),)], smooth=False),
    OpCase("max_axis", lambda a: a.max(axis=1), lambda a: a.max(axis=1), [((2, 3),), ((2, 3, 4),)], smooth=False),
    OpCase(
        "min_keepdims",
        lambda a: a.min(axis=0, keepdims=True),
        lambda a: a.min(axis=0, keepdims=True),
        [((2, 3),), ((4,),)],
        smooth=False,
    ),
    OpCase("clone", lambda a: a.clone() * a, lambda a: a * a, [((3,),), ((2, 3),)]),
    OpCase("reshape", lambda a: a.reshape(3, -1), lambda a: a.reshape(3, -1), [((6,),), ((2, 3),), ((3, 2, 2),)]),
    OpCase("reshape_tuple", lambda a: a.reshape((-1,)), lambda a: a.reshape(-1), [((2, 3),)]),
    OpCase("transpose", lambda a: a.transpose(), lambda a: a.transpose(), [((2, 3),), ((2, 3, 4),)]),
    OpCase("transpose_axes", lambda a: a.transpose(1, 2, 0), lambda a: a.transpose(1, 2, 0), [((2, 3, 4),)]),
    OpCase("T", lambda a: a.T, lambda a: a.T, [((2, 3),), ((4,),)]),
    OpCase("swapaxes", lambda a: a.swapaxes(0, -1), lambda a: a.swapaxes(0, -1), [((2, 3, 4),)]),
    OpCase("squeeze_unsqueeze", lambda a: a.unsqueeze(0).squeeze(), lambda a: a, [((2, 3),)]),
    OpCase(
        "broadcast_to",
        lambda a: a.broadcast_to((4, 2, 3)),
        lambda a: np.broadcast_to(a, (4, 2, 3)),
        [((3,),), ((2, 1),), ((2, 3),)],
    ),
    OpCase("getitem_int", lambda a: a[1], lambda a: a[1], [((3,),), ((3, 4),)]),
    OpCase("getitem_slice", lambda a: a[1:, ::2], lambda a: a[1:, ::2], [((3, 4),), ((3, 5, 2),)]),
    OpCase("getitem_newaxis_ellipsis", lambda a: a[None, ..., 0], lambda a: a[None, ..., 0], [((3, 4),)]),
    OpCase(
        "getitem_int_array_repeated",
        lambda a: a[np.array([0, 2, 0, 0])],
        lambda a: a[np.array([0, 2, 0, 0])],
        [((3,),), ((3, 2),)],
    ),
    OpCase("getitem_int_list_2d", lambda a: a[[0, 1, 1], [2, 0, 2]], lambda a: a[[0, 1, 1], [2, 0, 2]], [((2, 3),)]),
    OpCase(
        "getitem_repeated_list_pairs",
        lambda a: a[[0, 1, 0], [2, 0, 2]],
        lambda a: a[[0, 1, 0], [2, 0, 2]],
        [((2, 3),)],
    ),
    OpCase(
        "getitem_slice_and_repeated_list",
        lambda a: a[1:, [0, 2, 2]],
        lambda a: a[1:, [0, 2, 2]],
        [((3, 4),), ((2, 3, 2),)],
    ),
    OpCase(
        "getitem_tensor_index", lambda a: a[autograd.Tensor([1, 1, 0])], lambda a: a[np.array([1, 1, 0])], [((2, 3),)]
    ),
    OpCase("getitem_bool_mask", lambda a: a[a > 0], lambda a: a[a > 0], [((5,),), ((3, 4),)]),
    OpCase(
        "getitem_row_mask",
        lambda a: a[np.array([True, False, True])],
        lambda a: a[np.array([True, False, True])],
        [((3, 2),)],
    ),
    OpCase(
        "matmul",
        lambda a, b: a @ b,
        np.matmul,
        [
            ((2, 3), (3, 4)),
            ((3,), (3,)),
            ((2, 3), (3,)),
            ((3,), (3, 4)),
            ((5, 2, 3), (3, 4)),
            ((2, 3), (5, 3, 4)),
            ((5, 2, 3), (5, 3, 4)),
            ((5, 1, 2, 3), (4, 3, 2)),
            ((3,), (5, 3, 4)),
            ((5, 2, 3), (3,)),
        ],
    ),
    OpCase("module_matmul", autograd.matmul, np.matmul, [((4, 2), (2, 3))]),
    OpCase("rmatmul_ndarray", lambda a: np.ones((2, 3)) @ a, lambda a: np.ones((2, 3)) @ a, [((3, 4),)]),
    OpCase(
        "concatenate",
        lambda a, b: autograd.concatenate([a, b, a], axis=0),
        lambda a, b: np.concatenate([a, b, a], axis=0),
        [((2, 3), (1, 3)), ((3,), (2,))],
    ),
    OpCase(
        "concatenate_last_axis",
        lambda a, b: autograd.concatenate([a, b], axis=-1),
        lambda a, b: np.concatenate([a, b], axis=-1),
        [((2, 3), (2, 1)), ((2, 2, 1), (2, 2, 3))],
    ),
    OpCase(
        "stack",
        lambda a, b: autograd.stack([a, b, a], axis=1),
        lambda a, b: np.stack([a, b, a], axis=1),
        [((2, 3), (2, 3)), ((4,), (4,))],
    ),
    OpCase(
        "stack_last",
        lambda a, b: autograd.stack([a, b], axis=-1),
        lambda a, b: np.stack([a, b], axis=-1),
        [((2, 3), (2, 3))],
    ),
]


def _away(t: autograd.Tensor) -> autograd.Tensor:
    """Move values near the kink at 0 away from it, so finite differences do not straddle it."""
    return autograd.where(t.abs() < 0.2, autograd.ones_like(t.data) * 0.5, t)


def all_cases() -> list[tuple[OpCase, tuple]]:
    return [(case, shapes) for case in OPS for shapes in case.shapes]


def case_id(item: tuple[OpCase, tuple]) -> str:
    case, shapes = item
    return f"{case.name}{list(shapes)}".replace(" ", "")
