"""Optimisers and schedules against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import Tensor
from nn import Linear
from nn.optim import SGD, Adam, AdamW
from nn.optim.lr_scheduler import CosineAnnealingLR, StepLR


def param_with_grad(value, grad):
    p = Tensor(np.array(value, dtype=float), requires_grad=True)
    p.grad = Tensor(np.array(grad, dtype=float))
    return p


def test_sgd_step_is_p_minus_lr_grad():
    p = param_with_grad([1.0, 2.0], [0.5, -1.0])
    SGD([p], lr=0.1).step()
    np.testing.assert_allclose(p.data, [0.95, 2.1])


def test_sgd_weight_decay_adds_decay_times_p_to_the_gradient():
    p = param_with_grad([1.0], [0.0])
    SGD([p], lr=0.1, weight_decay=0.5).step()
    np.testing.assert_allclose(p.data, [1.0 - 0.1 * 0.5])


def test_sgd_momentum_and_nesterov_follow_pytorch_formulation():
    p = param_with_grad([0.0], [1.0])
    opt = SGD([p], lr=0.1, momentum=0.9)
    opt.step()  # b = g = 1, p = -0.1
    opt.step()  # b = 0.9 + 1 = 1.9, p = -0.1 - 0.19
    np.testing.assert_allclose(p.data, [-0.29])
    q = param_with_grad([0.0], [1.0])
    opt = SGD([q], lr=0.1, momentum=0.9, nesterov=True)
    opt.step()  # b = 1, step g + 0.9 b = 1.9
    opt.step()  # b = 1.9, step 1 + 1.71 = 2.71
    np.testing.assert_allclose(q.data, [-0.19 - 0.271])


def test_adam_first_step_by_hand():
    p = param_with_grad([1.0, -1.0], [0.2, -3.0])
    Adam([p], lr=0.01).step()
    # m̂ = g, v̂ = g², so the first step is lr * g / (|g| + eps) = lr * sign(g) (up to eps)
    g = np.array([0.2, -3.0])
    np.testing.assert_allclose(p.data, [1.0, -1.0] - 0.01 * g / (np.abs(g) + 1e-8))


def test_adam_two_steps_by_hand():
    p = param_with_grad([1.0], [2.0])
    opt = Adam([p], lr=0.1, betas=(0.5, 0.75), eps=0.0)
    opt.step()
    p.grad = Tensor(np.array([1.0]))
    opt.step()
    m = 0.5 * (0.5 * 2.0) + 0.5 * 1.0  # 1.0
    v = 0.75 * (0.25 * 4.0) + 0.25 * 1.0  # 1.0
    m_hat, v_hat = m / (1 - 0.25), v / (1 - 0.5625)
    np.testing.assert_allclose(p.data, [1.0 - 0.1 - 0.1 * m_hat / math.sqrt(v_hat)])


def test_adamw_decays_the_weight_directly():
    p = param_with_grad([2.0], [0.0])
    AdamW([p], lr=0.1, weight_decay=0.5).step()
    np.testing.assert_allclose(p.data, [2.0 - 0.1 * 0.5 * 2.0])
    q = param_with_grad([2.0], [0.0])
    Adam([q], lr=0.1, weight_decay=0.5).step()  # L2: g = 1, so the step is lr * sign
    np.testing.assert_allclose(q.data, [2.0 - 0.1], rtol=1e-7)


def test_parameters_without_grad_are_left_alone_and_zero_grad_clears():
    p, q = param_with_grad([1.0], [1.0]), Tensor(np.array([5.0]), requires_grad=True)
    opt = SGD([p, q], lr=1.0)
    opt.step()
    assert q.data[0] == 5.0 and p.data[0] == 0.0
    opt.zero_grad()
    assert p.grad is None


def test_step_records_no_graph():
    layer = Linear(2, 1)
    (layer(Tensor(np.ones((3, 2)))) ** 2).sum().backward()
    weight_before = layer.weight
    Adam(layer.parameters(), lr=0.1).step()
    assert layer.weight is weight_before and layer.weight.is_leaf and layer.weight.grad.is_leaf


def test_optimizer_state_dict_round_trip_continues_identically():
    def run(resume: bool):
        p = Tensor(np.array([1.0, -2.0]), requires_grad=True)
        opt = Adam([p], lr=0.1)
        for i in range(3):
            p.grad = Tensor(p.data * (i + 1))
            opt.step()
            if resume and i == 1:
                state = opt.state_dict()
                opt = Adam([p], lr=0.5)
                opt.load_state_dict(state)
        return p.data

    np.testing.assert_array_equal(run(False), run(True))


def test_optimizer_refuses_what_is_not_a_leaf_tensor_and_keeps_frozen_ones_as_pytorch():
    with pytest.raises(TypeError, match=r"SGD can only optimise Tensors, got list"):
        SGD([[1.0, 2.0]], lr=0.1)
    with pytest.raises(ValueError, match=r"can't optimise a non-leaf Tensor \(Mul result, shape \(2,\)\)"):
        SGD([Tensor(np.ones(2), requires_grad=True) * 2], lr=0.1)
    with pytest.raises(ValueError, match="empty"):
        SGD([], lr=0.1)
    frozen = Tensor(np.ones(2))
    SGD([frozen], lr=0.1).step()  # no grad: left as it is
    assert frozen.tolist() == [1.0, 1.0]


def test_step_lr_and_cosine_annealing():
    p = Tensor(np.ones(1), requires_grad=True)
    opt = SGD([p], lr=1.0)
    step = StepLR(opt, step_size=2, gamma=0.5)
    lrs = []
    for _ in range(5):
        step.step()
        lrs.append(step.get_last_lr()[0])
    assert lrs == [1.0, 0.5, 0.5, 0.25, 0.25]
    opt = SGD([p], lr=1.0)
    cosine = CosineAnnealingLR(opt, T_max=4, eta_min=0.0)
    values = []
    for _ in range(4):
        cosine.step()
        values.append(opt.param_groups[0]["lr"])
    np.testing.assert_allclose(values, [(1 + math.cos(math.pi * e / 4)) / 2 for e in range(1, 5)])
