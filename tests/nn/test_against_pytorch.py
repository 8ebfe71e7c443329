"""Losses, activations and optimiser trajectories against PyTorch (float64).

PyTorch is not a dependency; these run wherever it is installed (`pip install torch==2.13.0`).
The closed-form tests beside them pin the same behaviour without it.
"""

from __future__ import annotations

import numpy as np
import pytest

import nn.functional as F
from autograd import Tensor, grad
from nn.optim import SGD, Adam, AdamW
from tests.pytorch_oracle import assert_matches_pytorch

torch = pytest.importorskip("torch", reason="PyTorch is the oracle here and is not a dependency")
TF = torch.nn.functional

RNG = np.random.default_rng(0)
LOGITS = RNG.normal(size=(5, 4)) * 3
LABELS = np.array([0, 3, 1, 1, 2])
PRED, TARGET = RNG.normal(size=(5, 3)), RNG.normal(size=(5, 3))
BINARY = (RNG.uniform(size=(5, 3)) > 0.5).astype(float)

CASES = {
    "mse": (
        lambda p, r: F.mse_loss(p, Tensor(TARGET), r),
        lambda p, r: TF.mse_loss(p, torch.tensor(TARGET), reduction=r),
        PRED,
    ),
    "l1": (
        lambda p, r: F.l1_loss(p, Tensor(TARGET), r),
        lambda p, r: TF.l1_loss(p, torch.tensor(TARGET), reduction=r),
        PRED,
    ),
    "cross_entropy": (
        lambda p, r: F.cross_entropy(p, Tensor(LABELS), r),
        lambda p, r: TF.cross_entropy(p, torch.tensor(LABELS), reduction=r),
        LOGITS,
    ),
    "nll": (
        lambda p, r: F.nll_loss(F.log_softmax(p, axis=1), Tensor(LABELS), r),
        lambda p, r: TF.nll_loss(TF.log_softmax(p, dim=1), torch.tensor(LABELS), reduction=r),
        LOGITS,
    ),
    "bce_with_logits": (
        lambda p, r: F.binary_cross_entropy_with_logits(p, Tensor(BINARY), r),
        lambda p, r: TF.binary_cross_entropy_with_logits(p, torch.tensor(BINARY), reduction=r),
        np.where(np.eye(5, 3) > 0, 0.0, PRED * 5),  # large logits, and exact zeros on the diagonal
    ),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_loss_value_and_gradient_match_pytorch(name, reduction):
    ours, theirs, data = CASES[name]
    assert_matches_pytorch(torch, lambda p: ours(p, reduction), lambda p: theirs(p, reduction), [data])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", ["cross_entropy", "nll"])
def test_loss_second_derivative_matches_pytorch(name, reduction):
    ours, theirs, data = CASES[name]
    weights, direction = np.linspace(0.5, 1.5, len(LABELS)), RNG.normal(size=data.shape)
    x, tx = Tensor(data.copy(), requires_grad=True), torch.tensor(data.copy(), requires_grad=True)
    loss, torch_loss = ours(x, reduction), theirs(tx, reduction)
    if reduction == "none":
        loss, torch_loss = (loss * weights).sum(), (torch_loss * torch.tensor(weights)).sum()
    (slope,) = grad(loss, x, create_graph=True)
    (torch_slope,) = torch.autograd.grad(torch_loss, tx, create_graph=True)
    (curvature,) = grad((slope * direction).sum(), x)
    (torch_curvature,) = torch.autograd.grad((torch_slope * torch.tensor(direction)).sum(), tx)
    np.testing.assert_allclose(curvature.data, torch_curvature.numpy(), rtol=1e-12, atol=1e-14)


ACTIVATIONS = {
    "softmax": (lambda x: F.softmax(x, axis=1), lambda x: TF.softmax(x, dim=1)),
    "log_softmax": (lambda x: F.log_softmax(x, axis=0), lambda x: TF.log_softmax(x, dim=0)),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.2), lambda x: TF.leaky_relu(x, 0.2)),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_matches_pytorch(name):
    ours, theirs = ACTIVATIONS[name]
    assert_matches_pytorch(torch, ours, theirs, [LOGITS], weights=LOGITS)


# Rows of huge, infinite and masked (-inf) logits, where x - logsumexp(x) would lose the answer.
EXTREME_LOGITS = np.array([[1e308, 1e308, -1e308], [np.inf, 1.0, 2.0], [-np.inf, 0.0, 3.0], [1000.0, 0.0, -1000.0]])


@pytest.mark.parametrize(
    "ours, theirs",
    [(F.softmax, TF.softmax), (F.log_softmax, TF.log_softmax)],
    ids=["softmax", "log_softmax"],
)
def test_activation_matches_pytorch_on_extreme_logits_in_each_row(ours, theirs):
    assert_matches_pytorch(torch, lambda x: ours(x, axis=1), lambda x: theirs(x, dim=1), [EXTREME_LOGITS])


OPTIMISERS = {
    "sgd": (lambda p: SGD(p, lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    "sgd_momentum_decay": (
        lambda p: SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01, dampening=0.1),
        lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01, dampening=0.1),
    ),
    "sgd_nesterov": (
        lambda p: SGD(p, lr=0.1, momentum=0.9, nesterov=True),
        lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    ),
    "adam": (lambda p: Adam(p, lr=0.05), lambda p: torch.optim.Adam(p, lr=0.05)),
    "adam_decay": (
        lambda p: Adam(p, lr=0.05, betas=(0.8, 0.9), weight_decay=0.1),
        lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.9), weight_decay=0.1),
    ),
    "adamw": (lambda p: AdamW(p, lr=0.05, weight_decay=0.1), lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.1)),
}


@pytest.mark.parametrize("name", sorted(OPTIMISERS))
def test_optimiser_trajectory_matches_pytorch(name):
    ours, theirs = OPTIMISERS[name]
    start = RNG.normal(size=(3, 2))
    p, tp = Tensor(start.copy(), requires_grad=True), torch.tensor(start.copy(), requires_grad=True)
    opt, topt = ours([p]), theirs([tp])
    for _ in range(10):
        opt.zero_grad()
        ((p * p * p).sum() + (p * 2).exp().sum()).backward()
        opt.step()
        topt.zero_grad()
        ((tp * tp * tp).sum() + (tp * 2).exp().sum()).backward()
        topt.step()
    np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(OPTIMISERS))
def test_optimiser_trajectory_of_a_0d_parameter_matches_pytorch_step_by_step(name):
    """PyTorch's DynamicNet-style scalar parameters (`torch.tensor(1.5)`): 20 steps, each compared."""
    ours, theirs = OPTIMISERS[name]
    p, tp = Tensor(1.5, requires_grad=True), torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    opt, topt = ours([p]), theirs([tp])
    for _ in range(20):
        opt.zero_grad()
        (p * p * p - 2 * p).backward()
        opt.step()
        topt.zero_grad()
        (tp * tp * tp - 2 * tp).backward()
        topt.step()
        assert type(p.data) is np.ndarray and p.shape == ()
        np.testing.assert_allclose(p.data, tp.detach().numpy(), rtol=1e-10, atol=1e-12)


def _architecture(library):
    return library.Sequential(
        library.Conv2d(1, 2, 3), library.BatchNorm2d(2), library.ReLU(), library.Flatten(), library.Linear(8, 3)
    )


def test_a_glassgrad_model_loads_into_the_same_pytorch_architecture_and_back(tmp_path):
    from safetensors.torch import load_file

    import nn

    nn.manual_seed(0)
    ours = _architecture(nn)
    x = np.random.default_rng(0).normal(size=(5, 1, 4, 4))
    ours(Tensor(x))  # running statistics move
    ours.eval()
    theirs = _architecture(torch.nn).double()
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in nn.to_torch_state_dict(ours).items()})
    theirs.eval()
    expected = theirs(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(ours(Tensor(x)).data, expected, rtol=1e-12)
    from_file = _architecture(torch.nn).double()
    from_file.load_state_dict(load_file(str(nn.save(ours, tmp_path / "model.safetensors"))))
    np.testing.assert_allclose(from_file.eval()(torch.tensor(x)).detach().numpy(), expected, rtol=1e-12)
    back = nn.from_torch_state_dict(_architecture(nn), theirs.state_dict()).eval()
    np.testing.assert_allclose(back(Tensor(x)).data, expected, rtol=1e-12)
