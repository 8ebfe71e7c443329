"""The sequence chapter against PyTorch (float64): every row of its table, and the layers with
weights copied across. PyTorch is not a dependency; these run wherever it is installed."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor
from tests.nn.sequence_table import CASES
from tests.pytorch_oracle import assert_matches_pytorch

torch = pytest.importorskip("torch", reason="PyTorch is the oracle here and is not a dependency")
TF = torch.nn.functional


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_value_and_gradient_match_pytorch(case):
    assert_matches_pytorch(torch, case.ours, lambda *xs: case.theirs(TF, *xs), case.inputs(seed=7))


def test_one_hot_matches_pytorch():
    classes = np.array([[3, 0], [1, 1]])
    expected = TF.one_hot(torch.tensor(classes)).numpy()
    np.testing.assert_array_equal(nn.functional.one_hot(Tensor(classes)).data, expected)
    np.testing.assert_array_equal(nn.functional.one_hot(classes, 6).data, TF.one_hot(torch.tensor(classes), 6).numpy())


@pytest.mark.parametrize(
    ("make", "data"),
    [
        (lambda lib: lib.LayerNorm(5), np.random.default_rng(0).normal(size=(2, 3, 5))),
        (lambda lib: lib.LayerNorm((3, 5), eps=1e-3), np.random.default_rng(1).normal(size=(2, 3, 5))),
        (lambda lib: lib.GELU(), np.random.default_rng(2).normal(size=(4, 3))),
        (lambda lib: lib.GELU(approximate="tanh"), np.random.default_rng(3).normal(size=(4, 3))),
        (lambda lib: lib.SiLU(), np.random.default_rng(4).normal(size=(4, 3))),
        (lambda lib: lib.Softplus(beta=0.5, threshold=2.0), np.random.default_rng(5).normal(size=(4, 3)) * 4),
    ],
)
def test_each_layer_matches_its_pytorch_namesake(make, data):
    ours, theirs = make(nn), make(torch.nn).double()
    state = {name: torch.tensor(value.data) for name, value in ours.state_dict().items()}
    theirs.load_state_dict(state)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert_matches_pytorch(torch, ours, theirs, [data])


def test_embedding_layer_gradient_matches_pytorch():
    ours = nn.Embedding(6, 3)
    theirs = torch.nn.Embedding(6, 3).double()
    theirs.weight.data = torch.tensor(ours.weight.data.copy())
    tokens = np.array([[5, 0, 5, 2]])
    out, torch_out = ours(tokens), theirs(torch.tensor(tokens))
    np.testing.assert_array_equal(out.data, torch_out.detach().numpy())
    weights = np.linspace(0.5, 1.5, out.size).reshape(out.shape)
    (out * weights).sum().backward()
    (torch_out * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(ours.weight.grad.data, theirs.weight.grad.numpy(), rtol=1e-15)
