"""Ported from PyTorch's tutorial "Learning PyTorch with Examples", section "PyTorch: Tensors and
autograd" (polynomial_autograd.py): a third-order polynomial fitted to sin(x) on [-π, π] by
gradient descent, the gradients from autograd. What was changed: only the import
(`import torch` -> `import autograd as torch`), and one line: the original zeroes the gradients
with `a.grad, b.grad, c.grad, d.grad = 0., 0., 0., 0.`, which PyTorch 2.13 itself refuses
("assigned grad expected to be a Tensor or None", and glassgrad says the same), so the
commented-out lines just above it (`a.grad = None`, ...) are used. The program is otherwise the
original's, line by line, inside a function returning the weights; the test seeds the generator.
"""

from __future__ import annotations

import math

import pytest

import autograd as torch  # the only change


def program():
    # We want to be able to train our model on an `accelerator
    # <https://pytorch.org/docs/stable/torch.html#accelerators>`__ such as CUDA, MPS, MTIA, or XPU.
    # If the current accelerator is available, we will use it. Otherwise, we use the CPU.

    dtype = torch.float
    device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
    print(f"Using {device} device")
    torch.set_default_device(device)

    # Create Tensors to hold input and outputs.
    # By default, requires_grad=False, which indicates that we do not need to
    # compute gradients with respect to these Tensors during the backward pass.
    x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
    y = torch.sin(x)

    # Create random Tensors for weights. For a third order polynomial, we need
    # 4 weights: y = a + b x + c x^2 + d x^3
    # Setting requires_grad=True indicates that we want to compute gradients with
    # respect to these Tensors during the backward pass.
    a = torch.randn((), dtype=dtype, requires_grad=True)
    b = torch.randn((), dtype=dtype, requires_grad=True)
    c = torch.randn((), dtype=dtype, requires_grad=True)
    d = torch.randn((), dtype=dtype, requires_grad=True)

    learning_rate = 1e-6
    for t in range(2000):
        # Forward pass: compute predicted y using operations on Tensors.
        y_pred = a + b * x + c * x**2 + d * x**3

        # Compute and print loss using operations on Tensors.
        # Now loss is a Tensor of shape (1,)
        # loss.item() gets the scalar value held in the loss.
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            print(t, loss.item())

        # Use autograd to compute the backward pass. This call will compute the
        # gradient of loss with respect to all Tensors with requires_grad=True.
        # After this call a.grad, b.grad. c.grad and d.grad will be Tensors holding
        # the gradient of the loss with respect to a, b, c, d respectively.
        loss.backward()

        # Manually update weights using gradient descent. Wrap in torch.no_grad()
        # because weights have requires_grad=True, but we don't need to track this
        # in autograd.
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad

            # Manually zero the gradients after updating weights
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None

    print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")
    return a, b, c, d


def test_polynomial_fit_of_sin_with_autograd(capsys):
    torch.manual_seed(0)
    a, b, _, d = program()
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Using cpu device"
    losses = [float(line.split()[1]) for line in printed[1:-1]]
    assert len(losses) == 20 and losses == sorted(losses, reverse=True)
    assert losses[-1] < 15  # the tutorial's run ends near 8.8
    # The fit approaches the least-squares cubic of sin on [-π, π]: about 0.857 x - 0.0933 x^3.
    assert abs(b.item() - 0.857) < 0.03 and abs(d.item() + 0.0933) < 0.005
    assert a.dtype == torch.float32  # torch.float, as in the original
    assert printed[-1].startswith("Result: y = ")


def test_the_tutorials_own_zeroing_line_is_refused_as_pytorch_refuses_it():
    a, b = torch.randn((), requires_grad=True), torch.randn((), requires_grad=True)
    (a * b).backward()
    with pytest.raises(TypeError, match=r"assigned grad must be a Tensor or None, not float"), torch.no_grad():
        a.grad, b.grad = 0.0, 0.0
