"""Ported from PyTorch's tutorial "Double Backward with Custom Functions"
(custom_function_double_backward_tutorial): custom Functions whose backward can itself be
differentiated, checked with `gradcheck` and `gradgradcheck`, and gradients of gradients taken
with `torch.autograd.grad(..., create_graph=True)`.

What was changed: only the import (`import torch` -> `import autograd as torch`). The tutorial's
`torchviz.make_dot(...)` cells draw the graph of `grad_x`; here each is replaced by assertions
about that graph (glassgrad draws it with `viz.draw`).
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd as torch  # the only change


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        # Because we are saving one of the inputs use `save_for_backward`
        # Save non-tensors and non-inputs/non-outputs directly on ctx
        ctx.save_for_backward(x)
        return x**2

    @staticmethod
    def backward(ctx, grad_out):
        # A function support double backward automatically if autograd
        # is able to record the computations performed in backward
        (x,) = ctx.saved_tensors
        return grad_out * 2 * x


class Exp(torch.autograd.Function):
    # Simple case where everything goes well
    @staticmethod
    def forward(ctx, x):
        # This time we save the output
        result = torch.exp(x)
        # Note that we should use `save_for_backward` here when
        # the tensor saved is an ouptut (or an input).
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_out):
        (result,) = ctx.saved_tensors
        return result * grad_out


class Sinh(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        expx = torch.exp(x)
        expnegx = torch.exp(-x)
        ctx.save_for_backward(expx, expnegx)
        # In order to be able to save the intermediate results, a trick is to
        # include them as our outputs, so that the backward graph is constructed
        return (expx - expnegx) / 2, expx, expnegx

    @staticmethod
    def backward(ctx, grad_out, _grad_out_exp, _grad_out_negexp):
        expx, expnegx = ctx.saved_tensors
        grad_input = grad_out * (expx + expnegx) / 2
        # We cannot skip accumulating these even though we won't use the outputs
        # directly. They will be used later in the second backward.
        grad_input += _grad_out_exp * expx
        grad_input -= _grad_out_negexp * expnegx
        return grad_input


def sinh(x):
    # Create a wrapper that only returns the first output
    return Sinh.apply(x)[0]


class SinhBad(torch.autograd.Function):
    # This is an example of what NOT to do!
    @staticmethod
    def forward(ctx, x):
        expx = torch.exp(x)
        expnegx = torch.exp(-x)
        ctx.expx = expx
        ctx.expnegx = expnegx
        return (expx - expnegx) / 2

    @staticmethod
    def backward(ctx, grad_out):
        expx = ctx.expx
        expnegx = ctx.expnegx
        grad_input = grad_out * (expx + expnegx) / 2
        return grad_input


def cube_forward(x):
    return x**3


def cube_backward(grad_out, x):
    return grad_out * 3 * x**2


def cube_backward_backward(grad_out, sav_grad_out, x):
    return grad_out * sav_grad_out * 6 * x


def cube_backward_backward_grad_out(grad_out, x):
    return grad_out * 3 * x**2


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return cube_forward(x)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return CubeBackward.apply(grad_out, x)


class CubeBackward(torch.autograd.Function):
    @staticmethod
    def forward(ctx, grad_out, x):
        ctx.save_for_backward(x, grad_out)
        return cube_backward(grad_out, x)

    @staticmethod
    def backward(ctx, grad_out):
        x, sav_grad_out = ctx.saved_tensors
        dx = cube_backward_backward(grad_out, sav_grad_out, x)
        dgrad_out = cube_backward_backward_grad_out(grad_out, x)
        return dgrad_out, dx


def test_saving_the_inputs_square_passes_gradcheck_and_gradgradcheck():
    # Use double precision because finite differencing method magnifies errors
    x = torch.rand(3, 3, requires_grad=True, dtype=torch.double)
    assert torch.autograd.gradcheck(Square.apply, x)
    # Use gradcheck to verify second-order derivatives
    assert torch.autograd.gradgradcheck(Square.apply, x)

    x = torch.tensor(1.0, requires_grad=True).clone()
    out = Square.apply(x)
    (grad_x,) = torch.autograd.grad(out, x, create_graph=True)
    # What torchviz draws: grad_x = 2x is itself a function of x, with its own graph.
    assert grad_x.item() == 2.0 and grad_x.grad_fn is not None
    assert torch.autograd.grad(grad_x, x)[0].item() == 2.0  # d(2x)/dx


def test_saving_the_outputs_exp_passes_gradcheck_and_gradgradcheck():
    x = torch.tensor(1.0, requires_grad=True, dtype=torch.double).clone()
    # Validate our gradients using gradcheck
    assert torch.autograd.gradcheck(Exp.apply, x)
    assert torch.autograd.gradgradcheck(Exp.apply, x)

    out = Exp.apply(x)
    (grad_x,) = torch.autograd.grad(out, x, create_graph=True)
    # The saved output is the output itself, so grad_x = e^x stays in the graph.
    assert grad_x.item() == pytest.approx(np.e) and grad_x.grad_fn is not None
    assert torch.autograd.grad(grad_x, x)[0].item() == pytest.approx(np.e)


def test_saving_intermediate_results_as_extra_outputs_passes_gradcheck_and_gradgradcheck():
    x = torch.rand(3, 3, requires_grad=True, dtype=torch.double)
    assert torch.autograd.gradcheck(sinh, x)
    assert torch.autograd.gradgradcheck(sinh, x)

    out = sinh(x)
    (grad_x,) = torch.autograd.grad(out.sum(), x, create_graph=True)
    # What torchviz shows: grad_x = cosh x is built from the outputs exp(x) and exp(-x), in the graph.
    np.testing.assert_allclose(grad_x.data, np.cosh(x.data))
    assert grad_x.grad_fn is not None
    np.testing.assert_allclose(torch.autograd.grad(grad_x.sum(), x)[0].data, np.sinh(x.data))


def test_saving_intermediate_results_on_ctx_cuts_the_gradient_from_the_graph():
    x = torch.rand(3, 3, requires_grad=True, dtype=torch.double)
    out = SinhBad.apply(x)
    (grad_x,) = torch.autograd.grad(out.sum(), x, create_graph=True)
    # What torchviz shows: grad_x is not part of the graph, although its value is right (cosh x).
    assert not grad_x.requires_grad and grad_x.grad_fn is None
    np.testing.assert_allclose(grad_x.data, np.cosh(x.data))


def test_when_backward_is_not_tracked_a_second_function_gives_it_a_backward():
    x = torch.tensor(2.0, requires_grad=True, dtype=torch.double)

    assert torch.autograd.gradcheck(Cube.apply, x)
    assert torch.autograd.gradgradcheck(Cube.apply, x)

    out = Cube.apply(x)
    (grad_x,) = torch.autograd.grad(out, x, create_graph=True)
    # grad_x = 3x² = 12 comes out of CubeBackward, whose own backward gives 6x = 12.
    assert grad_x.item() == 12.0 and type(grad_x.grad_fn) is CubeBackward
    assert torch.autograd.grad(grad_x, x)[0].item() == 12.0
