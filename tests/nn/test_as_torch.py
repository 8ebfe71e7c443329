"""`nn.as_torch`: PyTorch's top-level namespace made of glassgrad (`import nn.as_torch as torch`)."""

from __future__ import annotations

import numpy as np

import autograd
import nn
import nn.as_torch as torch


def test_the_namespace_holds_the_engine_nn_and_optim_under_pytorchs_names():
    assert torch.nn is nn and torch.optim is nn.optim and torch.autograd is autograd
    assert torch.Tensor is autograd.Tensor and torch.no_grad is autograd.no_grad
    assert torch.autograd.Function is autograd.Function and torch.autograd.grad is autograd.grad
    assert torch.float32 == np.float32 and torch.float == np.float32
    assert set(autograd.__all__) <= set(torch.__all__)


def test_save_and_load_are_nn_save_and_load(tmp_path):
    model = torch.nn.Linear(2, 1)
    torch.save(model.state_dict(), tmp_path / "model.pth")
    copy = torch.nn.Linear(2, 1)
    copy.load_state_dict(torch.load(tmp_path / "model.pth"))
    np.testing.assert_array_equal(copy.weight.data, model.weight.data)
