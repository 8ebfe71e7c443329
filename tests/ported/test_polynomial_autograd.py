"""Ported from PyTorch's tutorial "Learning PyTorch with Examples", section "PyTorch: Tensors and
autograd" (a third-order polynomial fitted to sin(x) on [-π, π] by gradient descent, with the
gradients from autograd). What was changed: only the imports (`torch` -> `autograd`), and the
random seed is fixed so that the test is repeatable.
"""

from __future__ import annotations

import math

import numpy as np

import autograd as torch  # the only change: glassgrad's engine in place of torch


def test_polynomial_fit_of_sin_with_autograd(capsys):
    dtype = np.float64
    rng = np.random.default_rng(0)

    # Create Tensors to hold input and outputs.
    x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
    y = torch.sin(x)

    # Create random Tensors for weights: y = a + b x + c x^2 + d x^3.
    a = torch.randn((), rng=rng, dtype=dtype, requires_grad=True)
    b = torch.randn((), rng=rng, dtype=dtype, requires_grad=True)
    c = torch.randn((), rng=rng, dtype=dtype, requires_grad=True)
    d = torch.randn((), rng=rng, dtype=dtype, requires_grad=True)

    learning_rate = 1e-6
    for t in range(2000):
        y_pred = a + b * x + c * x**2 + d * x**3
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

    print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")

    printed = capsys.readouterr().out.splitlines()
    losses = [float(line.split()[1]) for line in printed[:-1]]
    assert len(losses) == 20 and losses == sorted(losses, reverse=True)
    assert losses[-1] < 15  # the tutorial's run ends near 8.8
    # The fit approaches the least-squares cubic of sin on [-π, π]: about 0.857 x - 0.0933 x^3.
    assert abs(b.item() - 0.857) < 0.03 and abs(d.item() + 0.0933) < 0.005
    assert printed[-1].startswith("Result: y = ")
