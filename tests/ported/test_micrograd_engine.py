"""Ported from micrograd's own engine tests (test/test_engine.py): the PyTorch half of each test,
run on glassgrad with only the import changed (`import torch` -> `import autograd as torch`). The
micrograd half is replaced by the values micrograd computes (its README: g = 24.7041,
dg/da = 138.8338, dg/db = 645.5773; the sanity check: y = -20, dy/dx = 46).
"""

from __future__ import annotations

import autograd as torch  # the only change


def test_sanity_check():
    x = torch.Tensor([-4.0]).double()
    x.requires_grad = True
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xpt, ypt = x, y

    assert ypt.data.item() == -20.0  # micrograd's ymg.data
    assert xpt.grad.item() == 46.0  # micrograd's xmg.grad


def test_more_ops():
    a = torch.Tensor([-4.0]).double()
    b = torch.Tensor([2.0]).double()
    a.requires_grad = True
    b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    apt, bpt, gpt = a, b, g

    tol = 1e-6
    assert abs(24.70408163265306 - gpt.data.item()) < tol
    assert abs(138.83381924198252 - apt.grad.item()) < tol
    assert abs(645.5772594752186 - bpt.grad.item()) < tol
