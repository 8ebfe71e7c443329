"""The convolution chapter against PyTorch (float64, and float32 to its precision): every row of
the table, and the layers with their parameters, buffers and training steps.

PyTorch is not a dependency; these run wherever it is installed (`pip install torch==2.13.0`).
"""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor
from tests.nn.conv_table import CASES
from tests.pytorch_oracle import assert_matches_pytorch

torch = pytest.importorskip("torch", reason="PyTorch is the oracle here and is not a dependency")
TF = torch.nn.functional
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")  # PyTorch's note on speed


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_value_and_gradient_match_pytorch(case):
    assert_matches_pytorch(torch, case.ours, lambda *xs: case.theirs(TF, *xs), case.inputs(seed=7))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_float32_matches_pytorch_float32(case):
    arrays = [a.astype(np.float32) for a in case.inputs(seed=8)]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, torch_out = case.ours(*ours), case.theirs(TF, *theirs)
    np.testing.assert_allclose(out.data, torch_out.detach().numpy(), rtol=1e-5, atol=1e-5)
    out.sum().backward()
    torch_out.sum().backward()
    for mine, reference in zip(ours, theirs):
        assert mine.grad.dtype == np.float32
        np.testing.assert_allclose(mine.grad.data, reference.grad.numpy(), rtol=1e-4, atol=1e-4)


def test_max_pool_ties_send_the_gradient_where_pytorch_does():
    x = np.array([[[[1.0, 1.0, 0.0], [1.0, 1.0, 2.0], [2.0, 0.0, 2.0]]]])
    assert_matches_pytorch(torch, lambda t: nn.functional.max_pool2d(t, 2, 1), lambda t: TF.max_pool2d(t, 2, 1), [x])


def _twin(ours: nn.Module, theirs: torch.nn.Module) -> torch.nn.Module:
    """`theirs` in float64 with our parameters (Linear weights transposed: the blog's layout)."""
    theirs = theirs.double()
    state = {}
    for name, value in ours.state_dict().items():
        is_linear_weight = name.endswith("weight") and isinstance(
            ours.get_submodule(name.rpartition(".")[0]), nn.Linear
        )
        state[name] = torch.tensor(value.data.T if is_linear_weight else value.data)
    theirs.load_state_dict(state)
    return theirs


def _lenet(library):
    return library.Sequential(
        library.Conv2d(1, 4, 5, padding=2),
        library.BatchNorm2d(4),
        library.ReLU(),
        library.MaxPool2d(2),
        library.Conv2d(4, 6, 3, stride=1, padding="same", groups=2),
        library.ReLU(),
        library.AvgPool2d(2),
        library.Conv2d(6, 6, (2, 1), dilation=(1, 2), bias=False),
        library.AdaptiveAvgPool2d((2, 2)),
        library.Flatten(),
        library.BatchNorm1d(24, momentum=None),
        library.Linear(24, 3),
    )


def test_a_small_cnn_trains_step_by_step_like_pytorch_with_the_same_buffers():
    nn.manual_seed(0)
    ours = _lenet(nn)
    theirs = _twin(ours, _lenet(torch.nn))
    optimizer, torch_optimizer = nn.optim.SGD(ours.parameters(), 0.1), torch.optim.SGD(theirs.parameters(), 0.1)
    rng = np.random.default_rng(0)
    for _ in range(4):
        x, labels = rng.normal(size=(6, 1, 12, 12)), rng.integers(0, 3, size=6)
        loss = nn.functional.cross_entropy(ours(Tensor(x)), Tensor(labels))
        torch_loss = TF.cross_entropy(theirs(torch.tensor(x)), torch.tensor(labels))
        np.testing.assert_allclose(loss.data, torch_loss.item(), rtol=1e-12)
        optimizer.zero_grad(), torch_optimizer.zero_grad()
        loss.backward(), torch_loss.backward()
        optimizer.step(), torch_optimizer.step()
    torch_state = theirs.state_dict()
    for name, value in ours.state_dict().items():
        expected = torch_state[name].numpy()
        np.testing.assert_allclose(value.data, expected.T if value.shape != expected.shape else expected, rtol=1e-10)
    ours.eval(), theirs.eval()
    x = rng.normal(size=(2, 1, 12, 12))
    np.testing.assert_allclose(ours(Tensor(x)).data, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    ("make", "shape"),
    [
        (lambda lib: lib.Conv1d(3, 4, 3, stride=2, padding=1), (2, 3, 9)),
        (lambda lib: lib.Conv2d(2, 4, (3, 2), padding=(1, 0), dilation=2, groups=2), (2, 2, 7, 6)),
        (lambda lib: lib.MaxPool1d(3, stride=2, padding=1), (2, 3, 8)),
        (lambda lib: lib.MaxPool2d((2, 3), stride=1), (2, 2, 4, 5)),
        (lambda lib: lib.AvgPool1d(2), (2, 3, 7)),
        (lambda lib: lib.AvgPool2d(3, stride=2, padding=1), (2, 2, 5, 6)),
        (lambda lib: lib.AdaptiveAvgPool2d((3, None)), (2, 2, 7, 4)),
        (lambda lib: lib.BatchNorm1d(3, eps=1e-3, momentum=0.3), (5, 3, 4)),
        (lambda lib: lib.BatchNorm2d(2), (3, 2, 3, 3)),
    ],
)
def test_each_layer_matches_its_pytorch_namesake(make, shape):
    ours = make(nn)
    theirs = _twin(ours, make(torch.nn))
    assert [name for name, _ in ours.named_parameters()] == [name for name, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    x = np.random.default_rng(1).normal(size=shape)
    assert_matches_pytorch(torch, ours, theirs, [x], grad_rtol=1e-10)
    for name, value in ours.state_dict().items():
        np.testing.assert_allclose(value.data, theirs.state_dict()[name].numpy(), rtol=1e-12)


def test_max_pool_lets_a_nan_win_its_window_as_pytorch_does():
    x = np.array([[[[1.0, np.nan, 0.0, 5.0], [2.0, 3.0, np.nan, np.nan]]]])
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, torch_out = nn.functional.max_pool2d(ours, 2), TF.max_pool2d(theirs, 2)
    np.testing.assert_array_equal(out.data, torch_out.detach().numpy())
    out.sum().backward()
    torch_out.sum().backward()
    np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())
