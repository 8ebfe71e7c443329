"""Every operation of the table: forward against numpy, gradients and second derivatives against
finite differences, for every input shape (broadcasting pattern) listed."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor, gradcheck
from tests.autograd.op_table import all_cases, case_id

CASES = all_cases()


@pytest.mark.parametrize("item", CASES, ids=[case_id(c) for c in CASES])
def test_forward_matches_numpy(item):
    case, shapes = item
    arrays = case.inputs(shapes)
    result = case.op(*[Tensor(a) for a in arrays])
    expected = case.reference(*arrays)
    assert result.shape == np.shape(expected)
    np.testing.assert_allclose(result.data, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("item", CASES, ids=[case_id(c) for c in CASES])
def test_gradient_matches_finite_differences(item):
    case, shapes = item
    inputs = [Tensor(a, requires_grad=True) for a in case.inputs(shapes, seed=1)]
    assert gradcheck(case.op, inputs)


@pytest.mark.parametrize("item", CASES, ids=[case_id(c) for c in CASES])
def test_gradient_has_each_input_shape_and_dtype(item):
    case, shapes = item
    inputs = [Tensor(a, requires_grad=True) for a in case.inputs(shapes, seed=2)]
    case.op(*inputs).sum().backward()
    for tensor in inputs:
        assert tensor.grad is not None
        assert tensor.grad.shape == tensor.shape
        assert tensor.grad.dtype == tensor.dtype


SMOOTH = [c for c in CASES if c[0].smooth]


@pytest.mark.parametrize("item", SMOOTH, ids=[case_id(c) for c in SMOOTH])
def test_second_derivative_matches_finite_differences(item):
    """gradcheck on the first gradient (computed with create_graph=True) checks the second."""
    case, shapes = item
    inputs = [Tensor(a, requires_grad=True) for a in case.inputs(shapes, seed=3)]
    weights = np.random.default_rng(4).uniform(0.5, 1.5, size=case.op(*inputs).shape)

    def first_gradient(*xs):
        # Squaring keeps the second derivative from vanishing for linear ops.
        out = case.op(*xs)
        loss = (out * weights * out).sum()
        grads = autograd.grad(loss, list(xs), create_graph=True)
        return autograd.concatenate([g.reshape(-1) for g in grads])

    assert gradcheck(first_gradient, inputs)


def test_power_gradients_have_their_closed_forms_for_number_and_tensor_exponents():
    # d(x^k)/dx = k x^(k-1) and d(x^k)/dk = x^k ln x, whether k is a Python number (a constant
    # 0-d exponent), a 0-d tensor that requires grad, or 0 (where the slope is 0, also at x = 0).
    x_values = np.array([0.5, 1.5, 3.0])
    for k in (2, 3.5, -1.0, 0):
        x = Tensor(x_values, requires_grad=True)
        (x**k).sum().backward()
        np.testing.assert_allclose(x.grad.data, k * x_values ** (k - 1) if k else 0.0, rtol=1e-14)
    x, k = Tensor(x_values, requires_grad=True), Tensor(2.5, requires_grad=True)
    (x**k).sum().backward()
    np.testing.assert_allclose(x.grad.data, 2.5 * x_values**1.5, rtol=1e-14)
    np.testing.assert_allclose(k.grad.data, (x_values**2.5 * np.log(x_values)).sum(), rtol=1e-14)
    zero = Tensor([0.0], requires_grad=True)
    (zero**0).sum().backward()
    assert zero.grad.data.tolist() == [0.0]
