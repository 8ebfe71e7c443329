"""What must not regress structurally on the hot path (counted, never timed)."""

from __future__ import annotations

import gc

import numpy as np
import pytest

import nn
from autograd import Tensor, broadcasting, no_grad
from nn.optim import SGD, Adam


@pytest.fixture
def recorded_nodes(monkeypatch):
    """Counts the graph nodes created while the test runs."""
    created = []
    original = Tensor._from_op

    def counting(data, ctx=None):
        if ctx is not None:
            created.append(type(ctx).__name__)
        return original(data, ctx)

    monkeypatch.setattr(Tensor, "_from_op", staticmethod(counting))
    return created


def small_model_loss():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    loss = nn.CrossEntropyLoss()(model(Tensor(np.ones((5, 3)))), Tensor(np.array([0, 1, 0, 1, 1])))
    return model, loss


def test_cross_entropy_records_log_softmax_and_nll_loss_as_one_node_each(recorded_nodes):
    small_model_loss()
    # Linear, ReLU, Linear, then log_softmax and the negative log-likelihood, as in PyTorch's graph.
    assert recorded_nodes == ["MatMul", "Add", "Relu", "MatMul", "Add", "LogSoftmax", "NllLoss"]


def test_softmax_records_one_node(recorded_nodes):
    Tensor(np.ones((2, 3)), requires_grad=True).softmax(axis=-1)
    assert recorded_nodes == ["Softmax"]


def test_plain_backward_records_no_graph(recorded_nodes):
    model, loss = small_model_loss()
    before = len(recorded_nodes)
    loss.backward()
    assert len(recorded_nodes) == before
    assert all(p.grad.is_leaf and not p.grad.requires_grad for p in model.parameters())


def test_backward_with_create_graph_does_record(recorded_nodes):
    _, loss = small_model_loss()
    before = len(recorded_nodes)
    loss.backward(create_graph=True)
    assert len(recorded_nodes) > before


@pytest.mark.parametrize("optimiser", [lambda p: SGD(p, lr=0.1, momentum=0.9, weight_decay=0.1), lambda p: Adam(p)])
def test_optimiser_steps_record_nothing(recorded_nodes, optimiser):
    model, loss = small_model_loss()
    loss.backward()
    step = optimiser(model.parameters())
    before = len(recorded_nodes)
    for _ in range(3):
        step.step()
    assert len(recorded_nodes) == before
    assert all(p.is_leaf for p in model.parameters())


def test_no_grad_records_nothing(recorded_nodes):
    x = Tensor(np.ones(3), requires_grad=True)
    with no_grad():
        y = (x * 2).exp().sum()
    assert recorded_nodes == [] and y.is_leaf


def test_gradients_that_already_fit_are_not_summed_again(monkeypatch):
    calls = []
    original = broadcasting.sum_to
    monkeypatch.setattr(broadcasting, "sum_to", lambda g, shape: calls.append(shape) or original(g, shape))
    a, b = Tensor(np.ones((2, 3)), requires_grad=True), Tensor(np.ones((2, 3)), requires_grad=True)
    (a * b + a).tanh().sum().backward()
    assert calls == []
    bias = Tensor(np.ones(3), requires_grad=True)
    (a + bias).sum().backward()
    assert calls == [(3,)]  # only the broadcast input is summed back


def test_saved_arrays_are_released_after_backward():
    x = Tensor(np.ones(3), requires_grad=True)
    y = x.exp()
    z = (y * y).sum()
    z.backward()
    assert y.grad_fn.is_released and z.grad_fn.is_released


def test_a_recorded_operation_keeps_three_python_objects_alive():
    """Its output Tensor, its node and the tuple of its inputs, and nothing else for the garbage
    collector to scan: on a long graph every extra object per node costs time (docs/benchmarks.md)."""
    x, factor = Tensor(np.ones(2), requires_grad=True), Tensor(np.full(2, 1.5))
    y = x * factor  # first use of this pattern of inputs
    gc.collect()  # also lets the collector untrack tuples that hold only arrays
    before = len(gc.get_objects())
    for _ in range(1000):
        y = y * factor
    gc.collect()
    per_operation = (len(gc.get_objects()) - before) / 1000
    assert per_operation <= 3.01
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, 1.5**1001)
