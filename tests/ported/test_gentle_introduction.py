"""Ported from PyTorch's tutorial "A Gentle Introduction to torch.autograd", sections
"Differentiation in Autograd" and "Exclusion from the DAG" (the resnet18 parts need torchvision
and are not ported). What was changed: only the import (`import torch` -> `import autograd as
torch`); the assertions check what the original prints.
"""

from __future__ import annotations

import autograd as torch  # the only change


def test_differentiation_in_autograd(capsys):
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([6.0, 4.0], requires_grad=True)
    Q = 3 * a**3 - b**2
    external_grad = torch.tensor([1.0, 1.0])
    Q.backward(gradient=external_grad)
    # check if collected gradients are correct
    print(9 * a**2 == a.grad)
    print(-2 * b == b.grad)
    assert capsys.readouterr().out == "tensor([True, True])\ntensor([True, True])\n"


def test_exclusion_from_the_dag(capsys):
    x = torch.rand(5, 5)
    y = torch.rand(5, 5)
    z = torch.rand((5, 5), requires_grad=True)

    a = x + y
    print(f"Does `a` require gradients?: {a.requires_grad}")
    b = x + z
    print(f"Does `b` require gradients?: {b.requires_grad}")
    assert capsys.readouterr().out == ("Does `a` require gradients?: False\nDoes `b` require gradients?: True\n")
