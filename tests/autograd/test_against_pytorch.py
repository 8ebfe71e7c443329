"""Values and gradients at the edge cases where engines differ, with PyTorch (float64) as the oracle.

PyTorch is not a dependency of glassgrad; these run wherever it is installed
(`pip install torch==2.13.0`), and the closed-form tests elsewhere pin the same behaviour without it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Tensor
from tests.autograd.op_table import OPS
from tests.autograd.test_random_expressions import evaluate, expressions
from tests.pytorch_oracle import assert_matches_pytorch

torch = pytest.importorskip("torch", reason="PyTorch is the oracle here and is not a dependency")

X_TIES = np.array([[1.0, 3.0, 3.0], [0.0, -2.0, 0.0]])
X_KINKS = np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
X_SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -1.5, 2.0])
X_EQUAL_ROW = np.array([[1.0, 1.0, 1.0], [0.0, 2.0, 1.0]])
X_INFINITE = np.array([[-np.inf, -np.inf, -np.inf], [np.inf, 1.0, 2.0], [-np.inf, 0.0, 3.0]])

CASES = {
    "max_ties_all": ([X_TIES], lambda a: a.max(), lambda a: a.amax()),
    "max_ties_axis": ([X_TIES], lambda a: a.max(axis=1), lambda a: a.amax(dim=1)),
    "min_ties_axis0": ([X_TIES], lambda a: a.min(axis=0), lambda a: a.amin(dim=0)),
    "maximum_ties": ([X_KINKS, np.zeros(5)], autograd.maximum, torch.maximum),
    "minimum_ties": ([X_KINKS, np.ones(5)], autograd.minimum, torch.minimum),
    "relu_at_zero": ([X_KINKS], lambda a: a.relu(), torch.relu),
    "abs_at_zero": ([X_KINKS], lambda a: a.abs(), torch.abs),
    "sign_at_zero": ([X_KINKS], lambda a: a.sign() * a, lambda a: a.sign() * a),
    "clip_at_bounds": ([X_KINKS], lambda a: a.clip(0.0, 1.0), lambda a: a.clamp(0.0, 1.0)),
    "clamp_min_keyword": ([X_KINKS], lambda a: autograd.clamp(a, min=0.0), lambda a: torch.clamp(a, min=0.0)),
    "clamp_max_keyword": ([X_KINKS], lambda a: a.clamp(max=0.5), lambda a: a.clamp(max=0.5)),
    "sqrt_at_zero": ([np.array([0.0, 1.0, 4.0])], lambda a: a.sqrt(), torch.sqrt),
    "pow_exponent_grad_at_zero_base": (
        [np.array([0.0, 2.0, 0.0]), np.array([2.0, 3.0, 0.0])],
        lambda a, b: a**b,
        torch.pow,
    ),
    "sigmoid_extremes": ([np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])], lambda a: a.sigmoid(), torch.sigmoid),
    "tanh_extremes": ([np.array([-1000.0, 0.0, 1000.0])], lambda a: a.tanh(), torch.tanh),
    "var_ddof0": ([X_TIES], lambda a: a.var(axis=1), lambda a: a.var(dim=1, unbiased=False)),
    "var_ddof1": ([X_TIES], lambda a: a.var(ddof=1), lambda a: a.var(unbiased=True)),
    "getitem_repeated": ([X_KINKS], lambda a: a[np.array([1, 1, 4, 1])], lambda a: a[torch.tensor([1, 1, 4, 1])]),
    "getitem_mask": ([X_TIES], lambda a: a[a > 0.5], lambda a: a[a > 0.5]),
    "matmul_vec_vec": ([np.arange(3.0), np.ones(3)], lambda a, b: a @ b, torch.matmul),
    "matmul_batched_vec": ([np.arange(24.0).reshape(2, 3, 4), np.arange(4.0)], lambda a, b: a @ b, torch.matmul),
    "matmul_vec_batched": ([np.arange(3.0), np.arange(24.0).reshape(2, 3, 4)], lambda a, b: a @ b, torch.matmul),
    "where": (
        [X_KINKS, -X_KINKS],
        lambda a, b: autograd.where(a > 0, a * b, b),
        lambda a, b: torch.where(a > 0, a * b, b),
    ),
    "mean_keepdims": ([X_TIES], lambda a: a.mean(axis=0, keepdims=True), lambda a: a.mean(dim=0, keepdim=True)),
    "log_sum_exp": ([X_TIES], lambda a: a.exp().sum(axis=1).log(), lambda a: a.logsumexp(dim=1)),
    "logsigmoid_extremes": (
        [np.array([-1000.0, -5.0, 0.0, 5.0, 1000.0])],
        lambda a: a.logsigmoid(),
        torch.nn.functional.logsigmoid,
    ),
    "logsumexp_large": ([X_TIES * 400], lambda a: a.logsumexp(axis=1), lambda a: a.logsumexp(dim=1)),
    "div_broadcast": ([X_TIES + 5, np.array([1.0, 2.0, 4.0])], lambda a, b: a / b, torch.div),
    # Special values: NaN, infinities, overflow, all-equal inputs.
    "relu_at_nan": ([X_SPECIAL], lambda a: a.relu(), torch.relu),
    "abs_at_nan": ([X_SPECIAL], lambda a: a.abs(), torch.abs),
    "sign_of_nan": ([X_SPECIAL], lambda a: a.sign(), torch.sign),
    "maximum_with_nan": ([X_SPECIAL, X_SPECIAL[::-1].copy()], autograd.maximum, torch.maximum),
    "minimum_with_nan": ([X_SPECIAL, X_SPECIAL[::-1].copy()], autograd.minimum, torch.minimum),
    "std_of_equal_values": ([X_EQUAL_ROW], lambda a: a.std(axis=1), lambda a: a.std(dim=1, unbiased=False)),
    "std_ddof1": ([X_TIES], lambda a: a.std(axis=0, ddof=1), lambda a: a.std(dim=0, unbiased=True)),
    "logsumexp_infinite": ([X_INFINITE], lambda a: a.logsumexp(axis=1), lambda a: a.logsumexp(dim=1)),
    "div_huge_denominator": (
        [np.array([np.inf, 1e308, 0.0]), np.array([1e308, 1e308, -1e-320])],
        lambda a, b: a / b,
        torch.div,
    ),
    "max_all_with_nan": ([X_SPECIAL], lambda a: a.max(), torch.max),
    "min_all_with_nan": ([X_SPECIAL], lambda a: a.min(), torch.min),
    "max_axis_with_nan": ([X_SPECIAL.reshape(2, 3)], lambda a: a.max(axis=1), lambda a: a.amax(dim=1)),
    "pow_zero_base_negative_exponent": (
        [np.array([0.0, -0.0, 0.0, 2.0]), np.array([-1.0, -1.0, -np.inf, -1.0])],
        lambda a, b: a**b,
        torch.pow,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_value_and_gradient_match_pytorch(name):
    arrays, ours, theirs = CASES[name]
    assert_matches_pytorch(torch, ours, theirs, arrays)


# Gradients flowing back that are NaN or infinite: PyTorch's masks (relu, clamp, maximum, where,
# x ** 0) give the elements they dropped exactly 0; so must we.
G_SPECIAL = np.array([np.nan, np.inf, 3.0, -np.inf, np.nan, 2.0])
X_SIGNS = np.array([-1.5, 0.0, 2.0, 3.0, -0.5, 1.0])
Y_SIGNS = np.array([0.5, 0.0, 2.0, -1.0, -0.5, 4.0])
MASKED_CASES = {
    "relu": ([X_SIGNS], lambda a: a.relu(), torch.relu),
    "clip": ([X_SIGNS], lambda a: a.clip(-1.0, 1.5), lambda a: a.clamp(-1.0, 1.5)),
    "maximum": ([X_SIGNS, Y_SIGNS], autograd.maximum, torch.maximum),
    "minimum": ([X_SIGNS, Y_SIGNS], autograd.minimum, torch.minimum),
    "where": ([X_SIGNS, Y_SIGNS], lambda a, b: autograd.where(a > 0, a, b), lambda a, b: torch.where(a > 0, a, b)),
    "power_zero": ([X_SIGNS, Y_SIGNS], lambda a, b: a**0 + b, lambda a, b: a**0 + b),
    "power_zero_exponents": ([X_SIGNS, Y_SIGNS], lambda a, b: a ** (b * (a > 0)), lambda a, b: a ** (b * (a > 0))),
    "sqrt_of_relu": ([X_SIGNS], lambda a: a.relu().sqrt(), lambda a: a.relu().sqrt()),
    "log_of_clip": ([X_SIGNS], lambda a: a.clip(0.0, 1.0).log(), lambda a: a.clamp(0.0, 1.0).log()),
}


@pytest.mark.parametrize("name", sorted(MASKED_CASES))
def test_nan_and_infinite_gradients_stop_where_pytorch_masks_them(name):
    arrays, ours, theirs = MASKED_CASES[name]
    with np.errstate(all="ignore"):
        assert_matches_pytorch(torch, ours, theirs, arrays, weights=G_SPECIAL)


@pytest.mark.parametrize("upstream", [np.inf, np.nan], ids=["inf", "nan"])
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_and_min_of_all_elements_mask_nan_and_infinite_gradients_like_pytorch(name, upstream):
    ours, theirs = getattr(Tensor, name), getattr(torch, name)
    assert_matches_pytorch(torch, ours, theirs, [X_TIES], weights=np.array(upstream))


def spread(a):
    """Factors 1, 1.001, 1.002 along the last axis (as many as it holds).

    NOTE: a row of equal values, such as a reduced value broadcast back, has std exactly 0 here;
    PyTorch's mean of it can round, leaving a std of about 1e-16 and a slope of rounding noise
    (tests/autograd/test_special_values.py pins glassgrad's 0). Spread out, the row is unequal.
    """
    return np.array([1.0, 1.001, 1.002])[-a.shape[-1] :]


# Random expression trees (tests/autograd/test_random_expressions.py) over inputs that hold NaN,
# infinities, zeros and huge or tiny numbers, differentiated with gradients that hold them too:
# every value and every gradient must be PyTorch's, NaN where PyTorch's is NaN.
TREE_UNARY = {
    "relu": (lambda a: a.relu(), torch.relu),
    "abs": (lambda a: a.abs(), torch.abs),
    "sqrt": (lambda a: a.sqrt(), torch.sqrt),
    "log": (lambda a: a.log(), torch.log),
    "exp": (lambda a: a.exp(), torch.exp),
    "tanh": (lambda a: a.tanh(), torch.tanh),
    "sigmoid": (lambda a: a.sigmoid(), torch.sigmoid),
    "clip": (lambda a: a.clip(-0.5, 0.5), lambda a: a.clamp(-0.5, 0.5)),
    "cube": (lambda a: a**3, lambda a: a**3),
    "power_zero": (lambda a: a**0, lambda a: a**0),
    "max_keep": (lambda a: a.max(axis=-1, keepdims=True), lambda a: a.amax(-1, keepdim=True)),
    "minus_min": (lambda a: a - a.min(), lambda a: a - torch.min(a)),
    "mean_keep": (lambda a: a.mean(axis=0, keepdims=True), lambda a: a.mean(0, keepdim=True)),
    "std_keep": (
        lambda a: (a * spread(a)).std(axis=-1, keepdims=True),
        lambda a: (a * torch.tensor(spread(a))).std(-1, keepdim=True, unbiased=False),
    ),
    "logsumexp_keep": (lambda a: a.logsumexp(axis=-1, keepdims=True), lambda a: a.logsumexp(-1, keepdim=True)),
    "logsigmoid": (lambda a: a.logsigmoid(), torch.nn.functional.logsigmoid),
    "softmax": (lambda a: a.softmax(axis=-1), lambda a: a.softmax(-1)),
    "log_softmax": (lambda a: a.log_softmax(axis=0), lambda a: a.log_softmax(0)),
}
TREE_BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / (b * b + 1), lambda a, b: a / (b * b + 1)),
    "maximum": (autograd.maximum, torch.maximum),
    "minimum": (autograd.minimum, torch.minimum),
    "where": (lambda a, b: autograd.where(a > b, a, b * 2), lambda a, b: torch.where(a > b, a, b * 2)),
}
OURS = ({name: f for name, (f, _) in TREE_UNARY.items()}, {name: f for name, (f, _) in TREE_BINARY.items()})
THEIRS = ({name: g for name, (_, g) in TREE_UNARY.items()}, {name: g for name, (_, g) in TREE_BINARY.items()})
# Not -0.0, and no division by what may be a zero: numpy's maximum makes relu(-0.0) +0.0 where
# PyTorch keeps -0.0, and PyTorch's own maximum picks a different zero in its vectorised loop than
# in its scalar one, which only 1 / zero shows. No subnormal numbers: PyTorch's sigmoid rounds a
# subnormal result to 0 where numpy keeps it. No huge numbers: near the largest float the two
# overflow in different places, and where gradients cancel (a sum of centred values) the rounding
# noise they leave scales with them; tests/autograd/test_special_values.py pins those cases.
SPECIAL_VALUES = [np.nan, np.inf, -np.inf, 0.0, 1.0, -1.0, 1e-300]


def sprinkled(rng, shape):
    """Normal numbers with about a third of them replaced by special values."""
    return np.where(rng.random(shape) < 0.35, rng.choice(SPECIAL_VALUES, size=shape), rng.normal(size=shape))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tree=expressions(unary=tuple(TREE_UNARY), binary=tuple(TREE_BINARY)),
    shapes=st.lists(st.sampled_from([(3,), (2, 3), (1, 3), (2, 1)]), min_size=3, max_size=3),
    seed=st.integers(0, 2**16),
)
def test_random_expressions_with_special_values_match_pytorch(tree, shapes, seed):
    rng = np.random.default_rng(seed)
    arrays = [sprinkled(rng, shape) for shape in shapes]
    ours = [Tensor(array, requires_grad=True) for array in arrays]
    theirs = [torch.tensor(array, requires_grad=True) for array in arrays]
    with np.errstate(all="ignore"):
        out, reference = evaluate(tree, ours, *OURS), evaluate(tree, theirs, *THEIRS)
        np.testing.assert_allclose(out.data, reference.detach().numpy(), rtol=1e-12, atol=1e-12)
        upstream = sprinkled(rng, out.shape)
        out.backward(upstream)
    reference.backward(torch.tensor(upstream))
    for mine, expected in zip(ours, theirs):
        if expected.grad is None:
            assert mine.grad is None
        else:
            # Looser than the values: where tanh(x) is near 1, 1 - tanh(x)² magnifies a one-ulp
            # difference between numpy's tanh and PyTorch's.
            np.testing.assert_allclose(mine.grad.data, expected.grad.numpy(), rtol=1e-8, atol=1e-12)


# The op table again, with PyTorch's version of each op: every shape in the table is compared.
TORCH_EQUIVALENTS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
    "neg": lambda a: -a,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "sign": lambda a: torch.where(a.abs() < 0.2, torch.full_like(a, 0.5), a).sign(),
    "tanh": torch.tanh,
    "sin": torch.sin,
    "cos": torch.cos,
    "module_sin_cos": lambda a: torch.sin(a) * torch.cos(a),
    "sigmoid": torch.sigmoid,
    "maximum": torch.maximum,
    "minimum": torch.minimum,
    "where": lambda a, b: torch.where(a > b, a * b, a - b),
    "sum_all": lambda a: a.sum(),
    "sum_axis0": lambda a: a.sum(0),
    "sum_axis_neg_keepdims": lambda a: a.sum(-1, keepdim=True),
    "sum_axes_tuple": lambda a: a.sum((0, 2)),
    "mean_all": lambda a: a.mean(),
    "mean_axis1": lambda a: a.mean(1),
    "mean_keepdims": lambda a: a.mean((0, 1), keepdim=True),
    "var_all": lambda a: a.var(unbiased=False),
    "var_axis_ddof1": lambda a: a.var(0, unbiased=True),
    "var_keepdims": lambda a: a.var(-1, keepdim=True, unbiased=False),
    "std": lambda a: a.std(0, unbiased=False),
    "std_all": lambda a: a.std(unbiased=False),
    "std_keepdims_ddof1": lambda a: a.std((0, 2), keepdim=True, unbiased=True),
    "max_all": lambda a: a.amax(),
    "max_axis": lambda a: a.amax(1),
    "min_keepdims": lambda a: a.amin(0, keepdim=True),
    "reshape": lambda a: a.reshape(3, -1),
    "transpose": lambda a: a.permute(*reversed(range(a.ndim))),
    "transpose_axes": lambda a: a.permute(1, 2, 0),
    "swapaxes": lambda a: a.transpose(0, -1),
    "getitem_int": lambda a: a[1],
    "getitem_slice": lambda a: a[1:, ::2],
    "getitem_int_array_repeated": lambda a: a[torch.tensor([0, 2, 0, 0])],
    "getitem_int_list_2d": lambda a: a[[0, 1, 1], [2, 0, 2]],
    "getitem_repeated_list_pairs": lambda a: a[[0, 1, 0], [2, 0, 2]],
    "getitem_slice_and_repeated_list": lambda a: a[1:, [0, 2, 2]],
    "getitem_bool_mask": lambda a: a[a > 0],
    "matmul": torch.matmul,
    "logsigmoid": torch.nn.functional.logsigmoid,
    "logsumexp_all": lambda a: a.logsumexp(tuple(range(a.ndim))) if a.ndim else a.logsumexp(0),
    "logsumexp_axis": lambda a: a.logsumexp(-1),
    "logsumexp_keepdims": lambda a: a.logsumexp(0, keepdim=True),
    "softmax_last": lambda a: a.softmax(-1),
    "softmax_first": lambda a: a.softmax(0),
    "log_softmax_last": lambda a: a.log_softmax(-1),
    "log_softmax_first": lambda a: a.log_softmax(0),
    "concatenate": lambda a, b: torch.cat([a, b, a], 0),
    "stack": lambda a, b: torch.stack([a, b, a], 1),
    "broadcast_to": lambda a: a.broadcast_to((4, 2, 3)),
    "clone": lambda a: a.clone() * a,
}

TABLE_CASES = [
    (case, shapes)
    for case in OPS
    if case.name in TORCH_EQUIVALENTS
    for shapes in case.shapes
    if not (case.name == "getitem_slice" and len(shapes[0]) == 3)  # the torch lambda slices 2-D only
]


@pytest.mark.parametrize("item", TABLE_CASES, ids=[f"{c.name}{list(s)}".replace(" ", "") for c, s in TABLE_CASES])
def test_op_table_matches_pytorch(item):
    case, shapes = item
    arrays = case.inputs(shapes, seed=5)
    assert_matches_pytorch(torch, case.op, TORCH_EQUIVALENTS[case.name], arrays, grad_rtol=1e-10)
