"""`autograd.functional.jacobian` and `hessian`, against closed forms and PyTorch's conventions."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor, functional


def test_jacobian_of_an_elementwise_function_is_diagonal():
    x = Tensor(np.array([0.5, -1.0, 2.0]))
    J = functional.jacobian(lambda t: t.exp(), x)
    np.testing.assert_allclose(J.data, np.diag(np.exp(x.data)))


def test_jacobian_of_a_matrix_product_has_output_then_input_axes():
    A = np.arange(6.0).reshape(2, 3)
    x = Tensor(np.ones((3, 2)))
    J = functional.jacobian(lambda t: Tensor(A) @ t, x)  # (2, 2) output, (3, 2) input
    assert J.shape == (2, 2, 3, 2)
    # d (A x)[i, k] / d x[j, l] = A[i, j] δ(k, l)
    expected = np.einsum("ij,kl->ikjl", A, np.eye(2))
    np.testing.assert_allclose(J.data, expected)


def test_jacobian_over_several_inputs_and_outputs_nests_tuples_as_pytorch():
    x, y = Tensor(np.array([1.0, 2.0])), Tensor(np.array([3.0, 4.0]))
    (dsum_dx, dsum_dy), (dprod_dx, dprod_dy) = functional.jacobian(lambda a, b: (a + b, a * b), (x, y))
    np.testing.assert_allclose(dsum_dx.data, np.eye(2))
    np.testing.assert_allclose(dsum_dy.data, np.eye(2))
    np.testing.assert_allclose(dprod_dx.data, np.diag(y.data))
    np.testing.assert_allclose(dprod_dy.data, np.diag(x.data))


def test_jacobian_of_an_unused_input_is_zeros():
    x, y = Tensor(np.ones(2)), Tensor(np.ones(3))
    _, d_dy = functional.jacobian(lambda a, b: a * 2, (x, y))
    np.testing.assert_array_equal(d_dy.data, np.zeros((2, 3)))


def test_hessian_of_a_quadratic_form_is_the_symmetric_matrix():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = Tensor(np.array([0.3, -0.7]))
    H = functional.hessian(lambda t: 0.5 * (t @ Tensor(A) @ t), x)
    np.testing.assert_allclose(H.data, A)


def test_hessian_of_a_cubic_follows_x():
    x = Tensor(np.array([1.0, 2.0, -1.0]))
    H = functional.hessian(lambda t: (t**3).sum(), x)
    np.testing.assert_allclose(H.data, np.diag(6 * x.data))


def test_hessian_over_two_inputs_gives_the_cross_terms():
    x, y = Tensor(2.0), Tensor(3.0)
    ((hxx, hxy), (hyx, hyy)) = functional.hessian(lambda a, b: a * a * b, (x, y))  # f = x² y
    assert (hxx.item(), hxy.item(), hyx.item(), hyy.item()) == (6.0, 4.0, 4.0, 0.0)


def test_jacobian_with_create_graph_can_be_differentiated_again():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    J = functional.jacobian(lambda t: t**3, x, create_graph=True)  # diag(3x²)
    J.sum().backward()
    np.testing.assert_allclose(x.grad.data, 6 * x.data)


def test_hessian_refuses_a_function_with_several_outputs():
    with pytest.raises(RuntimeError, match="hessian: func must return a Tensor with one element"):
        functional.hessian(lambda t: t * 2, Tensor(np.ones(2)))
