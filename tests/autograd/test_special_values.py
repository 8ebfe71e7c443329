"""Values and gradients at NaN, infinities, overflow and all-equal inputs, in closed form.

The conventions are PyTorch's (tests/autograd/test_against_pytorch.py compares the same cases
with PyTorch itself wherever it is installed).
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn.functional as F
from autograd import Tensor, grad

NAN, INF = np.nan, np.inf


def gradient_of(function, *values):
    """d sum(function(*values)) / d each value."""
    tensors = [Tensor(np.array(v, dtype=np.float64), requires_grad=True) for v in values]
    function(*tensors).sum().backward()
    return [t.grad.data for t in tensors]


@pytest.fixture(autouse=True)
def _quiet_numpy():
    with np.errstate(all="ignore"):
        yield


def test_relu_passes_the_gradient_through_nan_but_not_through_zero():
    (slope,) = gradient_of(lambda x: x.relu(), [NAN, 0.0, -1.0, 2.0])
    np.testing.assert_array_equal(slope, [1.0, 0.0, 0.0, 1.0])


def test_sign_of_nan_is_zero_and_so_is_the_slope_of_abs_there():
    np.testing.assert_array_equal(Tensor([NAN, -2.0, 0.0, 3.0]).sign().data, [0.0, -1.0, 0.0, 1.0])
    (slope,) = gradient_of(lambda x: x.abs(), [NAN, -2.0, 0.0, 3.0])
    np.testing.assert_array_equal(slope, [0.0, -1.0, 0.0, 1.0])


@pytest.mark.parametrize("op", [autograd.maximum, autograd.minimum], ids=["maximum", "minimum"])
def test_maximum_and_minimum_give_both_inputs_the_gradient_where_one_is_nan(op):
    x, y = [NAN, 1.0, NAN, 2.0], [1.0, NAN, NAN, 2.0]
    assert np.isnan(op(Tensor(x), Tensor(y)).data[:3]).all()
    grad_x, grad_y = gradient_of(op, x, y)
    np.testing.assert_array_equal(grad_x, [1.0, 1.0, 1.0, 0.5])  # a tie still splits evenly
    np.testing.assert_array_equal(grad_y, [1.0, 1.0, 1.0, 0.5])


def test_std_of_equal_values_has_zero_gradient_and_zero_second_derivative():
    x = Tensor([[3.0, 3.0, 3.0], [1.0, 2.0, 4.0]], requires_grad=True)
    std = x.std(axis=1)
    np.testing.assert_allclose(std.data, [0.0, np.std([1.0, 2.0, 4.0])])
    (slope,) = grad(std.sum(), x, create_graph=True)
    centred = np.array([1.0, 2.0, 4.0]) - 7 / 3
    np.testing.assert_allclose(slope.data, [[0.0, 0.0, 0.0], centred / (3 * np.std([1.0, 2.0, 4.0]))])
    (curvature,) = grad(slope[0].sum(), x)
    np.testing.assert_array_equal(curvature.data, np.zeros((2, 3)))


def test_logsumexp_of_infinite_rows_is_infinite_not_nan():
    rows = Tensor([[-INF, -INF], [INF, 1.0], [-INF, 0.0]])
    np.testing.assert_array_equal(rows.logsumexp(axis=1).data, [-INF, INF, 0.0])


def test_log_softmax_keeps_huge_logits_and_masked_entries():
    logits = Tensor([[1e308, 1e308, -1e308], [0.0, 0.0, -INF]])
    np.testing.assert_allclose(F.log_softmax(logits, axis=1).data, [[-np.log(2), -np.log(2), -INF]] * 2)
    np.testing.assert_allclose(F.softmax(logits, axis=1).data, [[0.5, 0.5, 0.0]] * 2)


def test_division_gradient_does_not_overflow_through_y_squared():
    # d(x / y)/dy = -(x / y) / y: 1e308² would overflow to inf, and (1e-320)² underflow to 0.
    _, slope = gradient_of(lambda x, y: x / y, [INF, 1e308, 0.0], [1e308, 1e308, -1e-320])
    np.testing.assert_array_equal(slope[[0, 2]], [-INF, 0.0])
    np.testing.assert_allclose(slope[1], -1e-308)


def test_power_gradient_in_the_exponent_at_zero_base():
    # d(x^y)/dy = x^y ln x: 0 where x = 0 and y >= 0 (the limit), -inf for 0^negative = inf.
    _, slope = gradient_of(lambda x, y: x**y, [0.0, 0.0, 0.0], [2.0, 0.0, -1.0])
    np.testing.assert_array_equal(slope, [0.0, 0.0, -INF])


# A NaN or infinite gradient reaches only the elements an operation selected, as with PyTorch's
# masks: the others get exactly 0, not NaN * 0 = NaN.
X_CUT = [-1.0, 0.0, 2.0, 0.5]
G_SPECIAL = np.array([NAN, INF, 3.0, -INF])
SELECTIONS = {
    "relu": (lambda x: x.relu(), [0.0, 0.0, 3.0, -INF]),  # kept where x > 0
    "clip": (lambda x: x.clip(0.0, 1.0), [0.0, INF, 0.0, -INF]),  # kept where 0 <= x <= 1
    "maximum": (lambda x: autograd.maximum(x, Tensor([0.25] * 4)), [0.0, 0.0, 3.0, -INF]),
    "minimum": (lambda x: autograd.minimum(x, Tensor([0.25] * 4)), [NAN, INF, 0.0, 0.0]),
    "where_taken": (lambda x: autograd.where(Tensor(X_CUT) > 0, x, Tensor(np.zeros(4))), [0.0, 0.0, 3.0, -INF]),
    "where_not_taken": (lambda x: autograd.where(Tensor(X_CUT) > 0, Tensor(np.zeros(4)), x), [NAN, INF, 0.0, 0.0]),
    "power_zero": (lambda x: x**0, [0.0, 0.0, 0.0, 0.0]),  # x^0 = 1 does not depend on x
}


@pytest.mark.parametrize("name", sorted(SELECTIONS))
@pytest.mark.parametrize("create_graph", [False, True], ids=["backward", "recorded"])
def test_nan_or_infinite_gradient_does_not_reach_elements_the_operation_dropped(name, create_graph):
    function, expected = SELECTIONS[name]
    x = Tensor(X_CUT, requires_grad=True)
    (slope,) = grad(function(x), x, grad_outputs=G_SPECIAL, create_graph=create_graph)
    np.testing.assert_array_equal(slope.data, expected)


def test_sqrt_of_relu_and_log_of_clip_have_zero_slope_where_the_input_was_cut_off():
    # sqrt'(0) and log'(0) are infinite; relu and clip pass none of it back where they cut x off.
    x = [-2.0, 0.0, 0.25, 4.0]
    (slope,) = gradient_of(lambda t: t.relu().sqrt(), x)
    np.testing.assert_array_equal(slope, [0.0, 0.0, 1.0, 0.25])  # 1 / (2 sqrt(x)) where x > 0
    (slope,) = gradient_of(lambda t: t.clip(0.0, 1.0).log(), x)
    np.testing.assert_array_equal(slope, [0.0, INF, 4.0, 0.0])  # 1 / x inside [0, 1]


def test_power_gradient_multiplies_grad_by_the_whole_local_derivative():
    # d(x³)/dx = 3x² = 3e-200 at x = 1e-100: times a gradient of 1e308 that is 3e108, while
    # (1e308 * 3) * x² would overflow to inf first. The same for d(x^y)/dy = x^y ln x.
    x, y = Tensor([1e-100], requires_grad=True), Tensor([3.0], requires_grad=True)
    (x**y).backward(np.array([1e308]))
    np.testing.assert_allclose(x.grad.data, [3e108], rtol=1e-12)
    np.testing.assert_allclose(y.grad.data, [1e308 * (1e-300 * np.log(1e-100))], rtol=1e-12)
    base = Tensor([1e-100], requires_grad=True)
    (base**3).backward(np.array([1e308]))
    np.testing.assert_allclose(base.grad.data, [3e108], rtol=1e-12)


def test_var_and_std_gradients_scale_before_they_meet_huge_values():
    # var and std of [0, 1e308] overflow to inf; their slopes need not: d var/dx = 2 (x - mean) / n
    # is ±1e308 times the gradient 1 ((2 / n) * grad first, as PyTorch; 2 * 2 * 5e307 would be inf),
    # and d std/dx = (x - mean) / (n std) is 0 (grad / (n std) first; 4 * 5e307 / inf would be NaN).
    x = Tensor([0.0, 1e308], requires_grad=True)
    x.var().backward(np.array(2.0))
    np.testing.assert_array_equal(x.grad.data, [-1e308, 1e308])
    x = Tensor([0.0, 1e308], requires_grad=True)
    x.std().backward(np.array(4.0))
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0])


def test_std_of_equal_values_passes_no_gradient_even_an_infinite_one():
    x = Tensor([[2.0, 2.0], [1.0, 3.0]], requires_grad=True)
    x.std(axis=1).backward(np.array([INF, 1.0]))
    np.testing.assert_array_equal(x.grad.data, [[0.0, 0.0], [-0.5, 0.5]])


def test_logsumexp_slope_is_softmax_element_by_element():
    # d/dx_i ln Σ e^x = e^(x_i - y): with y = inf, NaN for the infinite x_i alone (inf - inf),
    # 0 for the others, even 1e308 whose e^x alone would overflow.
    (slope,) = gradient_of(lambda t: t.logsumexp(), [INF, 1e308, 0.0])
    np.testing.assert_array_equal(slope, [NAN, 0.0, 0.0])
    (slope,) = gradient_of(lambda t: t.logsumexp(axis=1), [[0.0, np.log(3.0)], [-INF, 5.0]])
    np.testing.assert_allclose(slope, [[0.25, 0.75], [0.0, 1.0]], rtol=1e-15)


def test_std_of_equal_values_is_exactly_zero_even_where_their_mean_rounds():
    # numpy's mean of [0.1, 0.1, 0.1] is 0.10000000000000002, so a plain std would be 1.4e-17 and
    # its slope (x - mean) / (n std) rounding noise of size 1; PyTorch gives exactly 0 for both.
    x = Tensor([[0.1, 0.1, 0.1], [0.1, 0.2, 0.3]], requires_grad=True)
    std = x.std(axis=1)
    assert std.data[0] == 0.0 and x.var(axis=1).data[0] == 0.0
    std.sum().backward()
    np.testing.assert_array_equal(x.grad.data[0], [0.0, 0.0, 0.0])
    np.testing.assert_allclose(x.grad.data[1], [-0.1, 0.0, 0.1] / (3 * np.std([0.1, 0.2, 0.3])), atol=1e-15)


def test_logsigmoid_slope_keeps_its_precision_for_large_inputs():
    # d/dx ln σ(x) = σ(-x) = e^-700 / (1 + e^-700) at x = 700, about 1e-304: 1 - e^y rounds it to 0.
    (slope,) = gradient_of(lambda t: t.logsigmoid(), [700.0, 30.0, 0.0, -30.0, -INF, INF, NAN])
    expected = [np.exp(-700.0), np.exp(-30.0) / (1 + np.exp(-30.0)), 0.5, 1 / (1 + np.exp(-30.0)), 1.0, 0.0, NAN]
    np.testing.assert_allclose(slope, expected, rtol=1e-14)


def test_logsumexp_over_an_empty_axis_is_minus_infinity():
    # ln Σ over nothing = ln 0, as in PyTorch; the gradient has the input's (empty) shape.
    x = Tensor(np.zeros((2, 0)), requires_grad=True)
    total = x.logsumexp(axis=1)
    np.testing.assert_array_equal(total.data, [-INF, -INF])
    total.sum().backward()
    assert x.grad.shape == (2, 0)
    assert Tensor(np.zeros(0)).logsumexp().item() == -INF


@pytest.mark.parametrize("reduce", [Tensor.max, Tensor.min], ids=["max", "min"])
def test_max_and_min_of_all_elements_pass_a_nan_result_to_the_nan_elements(reduce):
    x = Tensor([1.0, NAN, -3.0, NAN], requires_grad=True)
    out = reduce(x)
    assert np.isnan(out.data)
    out.backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.5, 0.0, 0.5])  # as torch.max(x): shared by the NaNs


def test_max_of_all_elements_gives_the_others_zero_even_from_an_infinite_gradient():
    x = Tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward(np.array(INF))
    np.testing.assert_array_equal(x.grad.data, [0.0, INF, INF])


def test_max_along_an_axis_spreads_nan_over_a_row_holding_nan_like_torch_amax():
    x = Tensor([[1.0, NAN], [2.0, 3.0]], requires_grad=True)
    x.max(axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad.data[1], [0.0, 1.0])
    assert np.isnan(x.grad.data[0]).all()  # torch.amax: (grad / 0 maxima) * mask


def test_values_documented_as_differing_from_pytorch_stay_as_documented():
    # docs/pytorch.md lists these; each is glassgrad's value, with PyTorch's in the comment.
    assert not np.signbit(Tensor([-0.0]).relu().data[0])  # PyTorch: -0.0
    np.testing.assert_array_equal((Tensor([-INF, -0.0]) ** -0.5).data, [0.0, INF])  # PyTorch: NaN, -inf


def test_sigmoid_is_computed_as_pytorch_does_down_to_its_overflow():
    # 1 / (1 + e^-x): e^740 overflows and the result is exactly 0, as PyTorch's; no warning escapes.
    x = Tensor([-740.0, -709.0, -40.0, 40.0, 800.0], requires_grad=True)
    y = x.sigmoid()
    y.sum().backward()
    assert y.data[0] == 0.0 and y.data[-1] == 1.0
    np.testing.assert_allclose(y.data[1:4], [1 / (1 + np.exp(709.0)), 1 / (1 + np.exp(40.0)), 1 / (1 + np.exp(-40.0))])
    assert x.grad.data[0] == 0.0 and np.isfinite(x.grad.data).all()
