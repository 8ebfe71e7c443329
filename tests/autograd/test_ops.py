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
