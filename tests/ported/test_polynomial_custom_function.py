"""Ported from PyTorch's tutorial "Learning PyTorch with Examples", section "PyTorch: Defining new
autograd functions" (polynomial_custom_function.py): y = a + b P3(c + d x) fitted to sin(x), with
the Legendre polynomial P3 as a custom autograd Function. What was changed: only the import
(`import torch` -> `import autograd as torch`); the program below is the original's, line by line.
"""

from __future__ import annotations

import math

import autograd as torch  # the only change


class LegendrePolynomial3(torch.autograd.Function):
    """
    We can implement our own custom autograd Functions by subclassing
    torch.autograd.Function and implementing the forward and backward passes
    which operate on Tensors.
    """

    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input**3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input**2 - 1)


def program():
    dtype = torch.float
    device = torch.device("cpu")

    x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = torch.sin(x)

    a = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    b = torch.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
    c = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    d = torch.full((), 0.3, device=device, dtype=dtype, requires_grad=True)

    learning_rate = 5e-6
    for t in range(2000):
        P3 = LegendrePolynomial3.apply
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            print(t, loss.item())
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None

    print(f"Result: y = {a.item()} + {b.item()} * P3({c.item()} + {d.item()} x)")
    return a, b, c, d


def test_legendre_polynomial_fit_with_a_custom_function(capsys):
    a, b, c, d = program()
    printed = capsys.readouterr().out.splitlines()
    losses = [float(line.split()[1]) for line in printed[:-1]]
    assert len(losses) == 20 and losses == sorted(losses, reverse=True)
    # The tutorial's run prints "99 209.95..." and ends near 8.8 with about
    # y = -5.4e-09 + -2.208 * P3(1.2e-10 + 0.255 x); no random numbers are involved.
    assert 150 < losses[0] < 260 and 7 < losses[-1] < 11
    assert abs(a.item()) < 1e-4 and abs(c.item()) < 1e-4
    assert abs(b.item() + 2.208) < 0.05 and abs(d.item() - 0.255) < 0.01
    assert a.dtype == torch.float32  # torch.float, as in the original
