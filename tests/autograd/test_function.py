"""User-defined operations through `Function`, as the blog's hand-written layers would be."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd
from autograd import Function, Tensor, gradcheck


class LinearLayer(Function):
    """The blog's LinearLayer: forward X @ W + b, backward written by hand."""

    @staticmethod
    def forward(ctx, X, W, b):
        ctx.save_for_backward(X, W)
        return np.matmul(X, W) + b

    @staticmethod
    def backward(ctx, grad):
        X, W = ctx.saved_tensors
        return np.matmul(grad, W.T), np.matmul(X.T, grad), grad.sum(axis=0)


class WrongShape(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        return np.ones(7)


class TooFewGradients(Function):
    @staticmethod
    def forward(ctx, x, y):
        return x * y

    @staticmethod
    def backward(ctx, grad):
        return grad


class Scale(Function):
    """A non-tensor argument is passed through to forward and gets None as gradient."""

    @staticmethod
    def forward(ctx, x, factor):
        ctx.factor = factor
        return x * factor

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.factor, None


def _inputs():
    rng = np.random.default_rng(0)
    return (
        Tensor(rng.normal(size=(4, 2)), requires_grad=True),
        Tensor(rng.normal(size=(2, 3)), requires_grad=True),
        Tensor(rng.normal(size=(3,)), requires_grad=True),
    )


def test_user_function_matches_built_in_ops_and_passes_gradcheck():
    X, W, b = _inputs()
    assert gradcheck(LinearLayer.apply, (X, W, b))
    out = LinearLayer.apply(X, W, b)
    assert out.op == "LinearLayer"
    np.testing.assert_allclose(out.data, (X @ W + b).data)


def test_user_function_gradient_is_summed_back_when_it_broadcast():
    class AddBias(Function):
        @staticmethod
        def forward(ctx, x, b):
            return x + b

        @staticmethod
        def backward(ctx, grad):
            return grad, grad  # b's gradient still has x's shape: the engine sums it back

    x, b = Tensor(np.ones((4, 3)), requires_grad=True), Tensor(np.zeros(3), requires_grad=True)
    AddBias.apply(x, b).sum().backward()
    np.testing.assert_array_equal(b.grad.data, [4.0, 4.0, 4.0])


def test_a_plain_positional_argument_is_passed_through_and_is_not_a_parent():
    x = Tensor(np.ones(3), requires_grad=True)
    y = Scale.apply(x, 2.5)
    assert y.parents == (x,) and y.grad_fn.inputs == (x, 2.5)
    assert y.grad_fn.needs_input_grad == (True, False)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.5, 2.5, 2.5])


def test_wrong_shaped_gradient_is_an_error_naming_the_function():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"WrongShape\.backward returned a gradient of shape \(7,\).*\(2, 3\)"):
        WrongShape.apply(x).sum().backward()


@pytest.mark.parametrize(
    ("input_shape", "grad_shape"),
    [((2, 3), (7,)), ((4, 1, 1, 1), (4, 3)), ((3, 2), (2, 3, 1)), ((2, 3), (2, 3, 2))],
)
def test_gradient_that_does_not_sum_back_to_its_input_is_an_error_naming_shapes(input_shape, grad_shape):
    class GivesShape(Function):
        @staticmethod
        def forward(ctx, x):
            return x.copy()

        @staticmethod
        def backward(ctx, grad):
            return np.ones(grad_shape)

    x = Tensor(np.ones(input_shape), requires_grad=True)
    expected = rf"GivesShape\.backward returned a gradient of shape {re.escape(str(grad_shape))}"
    with pytest.raises(RuntimeError, match=expected):
        GivesShape.apply(x).sum().backward()


def test_wrong_number_of_gradients_is_an_error_naming_the_function():
    x, y = Tensor(1.0, requires_grad=True), Tensor(2.0, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"TooFewGradients\.backward returned 1 gradients.*2 inputs"):
        TooFewGradients.apply(x, y).backward()


def test_non_tensor_arguments_pass_through():
    x = Tensor([1.0, 2.0], requires_grad=True)
    Scale.apply(x, 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_ctx_saved_tensors_are_numpy_arrays_in_a_user_backward():
    seen = {}

    class Spy(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 1

        @staticmethod
        def backward(ctx, grad):
            seen["saved"], seen["grad"] = ctx.saved_tensors[0], grad
            return grad

    Spy.apply(Tensor([1.0], requires_grad=True)).sum().backward()
    assert type(seen["saved"]) is np.ndarray and type(seen["grad"]) is np.ndarray


def test_needs_input_grad_tells_which_inputs_want_gradients():
    seen = {}

    class Spy(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, grad):
            seen["needs"] = ctx.needs_input_grad
            return grad, None

    Spy.apply(Tensor(1.0, requires_grad=True), Tensor(2.0)).backward()
    assert seen["needs"] == (True, False)


class NumpyLinearLayer(LinearLayer):
    """LinearLayer whose backward is kept to numpy arrays, like PyTorch's @once_differentiable."""

    supports_double_backward = False


def test_differentiating_a_numpy_backward_twice_names_the_function():
    X, W, b = _inputs()
    loss = (NumpyLinearLayer.apply(X, W, b) ** 2).sum()
    (gw,) = autograd.grad(loss, W, create_graph=True)
    np.testing.assert_allclose(gw.data, autograd.grad(((X @ W + b) ** 2).sum(), W)[0].data)
    with pytest.raises(RuntimeError, match=r"NumpyLinearLayer\.backward is written with numpy"):
        gw.sum().backward()


def test_a_user_backward_written_with_operators_is_differentiated_twice_as_in_pytorch():
    X, W, b = _inputs()
    loss = (LinearLayer.apply(X, W, b) ** 2).sum()
    (gw,) = autograd.grad(loss, W, create_graph=True)
    (gw_reference,) = autograd.grad(((X @ W + b) ** 2).sum(), W, create_graph=True)
    np.testing.assert_allclose(gw.data, gw_reference.data)
    second = autograd.grad(gw.sum(), X)[0]
    np.testing.assert_allclose(second.data, autograd.grad(gw_reference.sum(), X)[0].data)


def test_a_user_backward_that_needs_numpy_says_so_when_handed_tensors():
    class NumpyExp(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return np.exp(x)

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * np.exp(x)

    x = Tensor([0.5, 1.0], requires_grad=True)
    NumpyExp.apply(x).sum().backward()  # one backward: numpy arrays, fine
    np.testing.assert_allclose(x.grad.data, np.exp([0.5, 1.0]))
    with pytest.raises(TypeError, match=r"NumpyExp\.backward failed on Tensors.*supports_double_backward = False"):
        autograd.grad(NumpyExp.apply(x).sum(), x, create_graph=True)


def test_function_without_graph_when_nothing_requires_grad():
    out = LinearLayer.apply(Tensor(np.ones((1, 2))), Tensor(np.ones((2, 1))), Tensor(np.zeros(1)))
    assert out.is_leaf and not out.requires_grad


def test_function_without_staticmethod_decorators_still_runs_forward_and_backward():
    class Square(Function):
        def forward(ctx, x):  # noqa: N805  (written like a staticmethod, decorator forgotten)
            ctx.save_for_backward(x)
            return x * x

        def backward(ctx, grad):  # noqa: N805
            (x,) = ctx.saved_tensors
            return 2 * x * grad

    x = Tensor([1.0, -3.0], requires_grad=True)
    Square.apply(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, [2.0, -6.0])


class MinMax(Function):
    """Two outputs and an integer third (the order), which never carries a gradient."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        ctx.low, ctx.high = x.argmin(), x.argmax()
        return x.min(), x.max(), np.argsort(x)

    @staticmethod
    def backward(ctx, grad_min, grad_max, grad_order):
        (x,) = ctx.saved_tensors
        ctx.seen = (grad_min, grad_max, grad_order)
        grad = np.zeros_like(x)
        grad[ctx.low] += grad_min
        grad[ctx.high] += grad_max
        return grad


def test_a_forward_with_several_outputs_gives_a_tensor_for_each_and_backward_a_gradient_for_each():
    x = Tensor(np.array([3.0, 1.0, 2.0]), requires_grad=True)
    low, high, order = MinMax.apply(x)
    assert (low.item(), high.item(), order.tolist()) == (1.0, 3.0, [1, 2, 0])
    assert low.requires_grad and high.requires_grad and not order.requires_grad  # integers: no gradient
    (2 * high - low).backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, -1.0, 0.0])
    ctx = high.grad_fn.parents[0].grad_fn  # the packed node holds every differentiable output
    assert type(ctx) is MinMax and [np.shape(g) for g in ctx.seen] == [(), (), (3,)]
    assert ctx.seen[2].tolist() == [0.0, 0.0, 0.0]  # no gradient for the order: zeros, as in PyTorch


def test_an_output_nothing_used_gets_a_zero_gradient_and_several_outputs_pass_gradcheck():
    x = Tensor(np.array([0.5, -2.0, 1.5]), requires_grad=True)
    assert gradcheck(lambda x: MinMax.apply(x)[1], x)  # only the max used
    assert gradcheck(lambda x: MinMax.apply(x)[0] * MinMax.apply(x)[1], x)


def test_mark_non_differentiable_picks_one_of_several_outputs():
    class SortWithIndices(Function):
        @staticmethod
        def forward(ctx, x):
            order = np.argsort(x)
            ctx.order = order
            positions = order.astype(x.dtype)  # a float output that is not differentiable
            ctx.mark_non_differentiable(positions)
            return x[order], positions

        @staticmethod
        def backward(ctx, grad_sorted, grad_positions):
            assert not grad_positions.any()
            grad = np.zeros_like(grad_sorted)
            grad[ctx.order] = grad_sorted
            return grad

    x = Tensor(np.array([3.0, 1.0, 2.0]), requires_grad=True)
    ordered, positions = SortWithIndices.apply(x)
    assert ordered.requires_grad and not positions.requires_grad
    (ordered * Tensor([1.0, 10.0, 100.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [100.0, 1.0, 10.0])


def test_several_outputs_without_anything_requiring_grad_are_plain_tensors():
    low, high, order = MinMax.apply(Tensor(np.array([3.0, 1.0])))
    assert low.is_leaf and high.is_leaf and order.is_leaf and not low.requires_grad


def test_a_forward_returning_a_numpy_scalar_gives_a_0d_array_output():
    class Total(Function):
        @staticmethod
        def forward(ctx, x):
            return x.sum()  # a numpy scalar

        @staticmethod
        def backward(ctx, grad):
            return grad * np.ones(2)

    out = Total.apply(Tensor(np.array([1.0, 3.0]), requires_grad=True))
    assert type(out.data) is np.ndarray and out.shape == ()


def test_calling_a_function_instance_says_to_use_apply():
    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            return x**3

        @staticmethod
        def backward(ctx, grad):
            return grad

    with pytest.raises(TypeError, match=r"Cube\(\)\(\.\.\.\) is the old PyTorch style.*Cube\.apply\(x\)"):
        Cube()(Tensor(2.0, requires_grad=True))


def test_mark_non_differentiable_gives_an_output_without_a_graph():
    class ArgMaxMask(Function):
        @staticmethod
        def forward(ctx, x):
            mask = (x == x.max()).astype(x.dtype)
            ctx.mark_non_differentiable(mask)
            return mask

        @staticmethod
        def backward(ctx, grad):
            raise AssertionError("a non-differentiable output is never differentiated")

    x = Tensor([1.0, 3.0, 2.0], requires_grad=True)
    mask = ArgMaxMask.apply(x)
    assert not mask.requires_grad and mask.is_leaf
    np.testing.assert_array_equal(mask.data, [0.0, 1.0, 0.0])
    (x * mask).sum().backward()  # the mask is a constant for the rest of the graph
    np.testing.assert_array_equal(x.grad.data, [0.0, 1.0, 0.0])
