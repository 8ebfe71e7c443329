"""Every layer's and loss's gradient is gradchecked; values are checked in closed form."""

from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor, grad, gradcheck
from nn import BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, LogSoftmax, MSELoss, NLLLoss

RNG = np.random.default_rng(0)


def tensor(*shape, low=-2.0, high=2.0):
    return Tensor(RNG.uniform(low, high, size=shape), requires_grad=True)


LAYERS = {
    "linear": lambda: nn.Linear(3, 2),
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.1),
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "softmax": nn.Softmax,
    "softmax_axis0": lambda: nn.Softmax(axis=0),
    "log_softmax_dim0": lambda: nn.LogSoftmax(dim=0),
    "flatten": nn.Flatten,
    "identity": nn.Identity,
    "dropout_eval": lambda: nn.Dropout(0.5).eval(),
    "sequential": lambda: nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_gradients_pass_gradcheck(name):
    layer = LAYERS[name]()
    x = tensor(4, 3)
    x.data[np.abs(x.data) < 0.1] = 0.5  # keep ReLU-like kinks away from the finite differences
    assert gradcheck(lambda x, *params: layer(x), [x, *layer.parameters()])


def test_dropout_zeroes_and_rescales_in_training_and_is_identity_in_eval():
    nn.manual_seed(0)
    layer = nn.Dropout(0.25)
    out = layer(Tensor(np.ones((200, 100)))).data
    assert set(np.unique(out)) == {0.0, 1 / 0.75}
    assert abs((out == 0).mean() - 0.25) < 0.02
    layer.eval()
    np.testing.assert_array_equal(layer(Tensor(np.ones(5))).data, np.ones(5))


def test_leaky_relu_values_slope_at_zero_and_zero_second_derivative():
    from autograd import grad

    x = Tensor([-2.0, 0.0, 3.0], requires_grad=True)
    out = F.leaky_relu(x, 0.1)
    np.testing.assert_allclose(out.data, [-0.2, 0.0, 3.0], rtol=1e-15)
    (slope,) = grad(out.sum(), x, create_graph=True)
    np.testing.assert_allclose(slope.data, [0.1, 0.1, 1.0])  # at 0 the negative slope, as in PyTorch
    (curvature,) = grad(slope.sum(), x)
    np.testing.assert_array_equal(curvature.data, [0.0, 0.0, 0.0])


def test_softmax_rows_sum_to_one_even_for_huge_logits():
    x = Tensor(np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]]))
    p = F.softmax(x, axis=1).data
    np.testing.assert_allclose(p.sum(axis=1), [1.0, 1.0])
    np.testing.assert_allclose(p[1], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())
    np.testing.assert_allclose(F.softmax(x, dim=1).data, p)
    assert np.isfinite(F.log_softmax(x).data).all()


LOSSES = {
    "mse": (MSELoss, lambda: (tensor(4, 3), tensor(4, 3))),
    "l1": (L1Loss, lambda: (tensor(4, 3), tensor(4, 3))),
    "cross_entropy": (CrossEntropyLoss, lambda: (tensor(5, 4), Tensor(np.array([0, 3, 1, 1, 2])))),
    "cross_entropy_probabilities": (CrossEntropyLoss, lambda: (tensor(3, 4), Tensor(np.full((3, 4), 0.25)))),
    "nll": (NLLLoss, lambda: (tensor(5, 4), Tensor(np.array([0, 3, 1, 1, 2])))),  # any numbers will do
    "nll_one_sample": (NLLLoss, lambda: (tensor(4), Tensor(np.array(2)))),
    "nll_one_class": (NLLLoss, lambda: (tensor(3, 1), Tensor(np.array([0, 0, 0])))),
    "cross_entropy_one_sample": (CrossEntropyLoss, lambda: (tensor(4), Tensor(np.array(3)))),
    "bce_with_logits": (BCEWithLogitsLoss, lambda: (tensor(6), Tensor(np.array([0.0, 1, 1, 0, 1, 0])))),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradients_pass_gradcheck(name, reduction):
    loss_class, make = LOSSES[name]
    prediction, target = make()
    assert gradcheck(lambda p: loss_class(reduction=reduction)(p, target), [prediction])


def test_loss_values_in_closed_form():
    p, t = np.array([1.0, 2.0, 4.0]), np.array([0.0, 2.0, 1.0])
    assert MSELoss()(Tensor(p), Tensor(t)).item() == pytest.approx((1 + 0 + 9) / 3)
    assert MSELoss(reduction="sum")(Tensor(p), Tensor(t)).item() == 10.0
    assert L1Loss()(Tensor(p), Tensor(t)).item() == pytest.approx(4 / 3)
    logits = np.array([[2.0, 0.0], [0.0, 0.0]])
    expected = np.mean([np.log(1 + np.exp(-2.0)), np.log(2.0)])
    assert CrossEntropyLoss()(Tensor(logits), Tensor(np.array([0, 1]))).item() == pytest.approx(expected)
    x, y = np.array([0.0, 3.0, -2.0]), np.array([1.0, 0.0, 0.0])
    sig = 1 / (1 + np.exp(-x))
    expected = -(y * np.log(sig) + (1 - y) * np.log(1 - sig)).mean()
    assert BCEWithLogitsLoss()(Tensor(x), Tensor(y)).item() == pytest.approx(expected)


def test_cross_entropy_gradient_is_softmax_minus_one_hot():
    logits = Tensor(np.array([[1.0, 2.0, 3.0]]), requires_grad=True)
    CrossEntropyLoss()(logits, Tensor(np.array([2]))).backward()
    softmax = np.exp([1.0, 2, 3]) / np.exp([1.0, 2, 3]).sum()
    np.testing.assert_allclose(logits.grad.data, [softmax - [0, 0, 1]])


def test_bce_with_logits_gradient_at_zero_logit_is_sigmoid_minus_target():
    x = Tensor(np.zeros(2), requires_grad=True)
    BCEWithLogitsLoss(reduction="sum")(x, Tensor([1.0, 0.0])).backward()
    np.testing.assert_allclose(x.grad.data, [-0.5, 0.5])


def test_losses_are_stable_for_huge_logits():
    logits = Tensor(np.array([[1000.0, -1000.0]]), requires_grad=True)
    loss = CrossEntropyLoss()(logits, Tensor(np.array([1])))
    loss.backward()
    assert loss.item() == pytest.approx(2000.0) and np.isfinite(logits.grad.data).all()
    x = Tensor(np.array([1000.0, -1000.0]), requires_grad=True)
    bce = BCEWithLogitsLoss(reduction="sum")(x, Tensor([0.0, 1.0]))
    bce.backward()
    assert bce.item() == pytest.approx(2000.0) and np.isfinite(x.grad.data).all()


def test_loss_with_prediction_and_target_of_different_shapes_names_both_and_the_fix():
    with pytest.raises(ValueError, match=r"\(4, 1\).*\(4,\).*reshape"):
        MSELoss()(Tensor(np.zeros((4, 1))), Tensor(np.zeros(4)))
    with pytest.raises(ValueError, match=r"\(4, 1\).*\(4,\)"):
        BCEWithLogitsLoss()(Tensor(np.zeros((4, 1))), Tensor(np.zeros(4)))


def test_log_softmax_then_nll_loss_is_cross_entropy():
    logits, labels = Tensor(np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 3.0]])), Tensor(np.array([0, 2]))
    for reduction in ("mean", "sum", "none"):
        pipeline = NLLLoss(reduction)(LogSoftmax(dim=1)(logits), labels)
        np.testing.assert_allclose(pipeline.data, CrossEntropyLoss(reduction)(logits, labels).data, rtol=1e-15)
    # -log_probabilities[label]: 1.5 for the first sample, 2.5 for the second
    assert F.nll_loss(Tensor(np.array([[-1.5, -3.0], [-0.5, -2.5]])), Tensor(np.array([0, 1]))).item() == 2.0


def test_nll_loss_refuses_bad_labels_and_names_itself():
    log_probabilities = Tensor(np.zeros((2, 3)))
    with pytest.raises(TypeError, match=r"nll_loss: target must hold integer class labels.*astype\(int\)$"):
        F.nll_loss(log_probabilities, Tensor([0.0, 1.0]))
    with pytest.raises(IndexError, match=r"nll_loss: labels must be in \[0, 3\)"):
        F.nll_loss(log_probabilities, Tensor(np.array([0, 3])))
    with pytest.raises(ValueError, match=r"nll_loss: log_probabilities of shape \(2, 3\) need labels of shape \(2,\)"):
        F.nll_loss(log_probabilities, Tensor(np.array([0, 1, 2])))


def test_nll_loss_sends_gradient_only_to_each_label_even_an_infinite_one():
    log_probabilities = Tensor(np.log(np.full((2, 3), 1 / 3)), requires_grad=True)
    loss = F.nll_loss(log_probabilities, Tensor(np.array([2, 0])), reduction="sum")
    loss.backward(np.array(np.inf))
    # inf * 0 would be NaN in the other columns: they get exactly 0, as from PyTorch's nll_loss
    np.testing.assert_array_equal(log_probabilities.grad.data, [[0, 0, -np.inf], [-np.inf, 0, 0]])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_second_derivative_is_the_softmax_jacobian(reduction):
    # d²/dx² of cross-entropy for row i is diag(p_i) - p_i p_iᵀ (whatever the label), times the
    # row's weight in the loss: 1/N for the mean, 1 for the sum, w_i for Σ w_i loss_i.
    logits, labels = tensor(3, 4), Tensor(np.array([0, 3, 1]))
    row_weights = (
        np.array([0.5, 2.0, -1.0]) if reduction == "none" else np.full(3, 1 / 3 if reduction == "mean" else 1.0)
    )
    loss = F.cross_entropy(logits, labels, reduction)
    if reduction == "none":
        loss = (loss * row_weights).sum()
    (slope,) = grad(loss, logits, create_graph=True)
    direction = RNG.normal(size=(3, 4))
    (curvature,) = grad((slope * direction).sum(), logits)  # the Hessian times `direction`
    p = np.exp(logits.data) / np.exp(logits.data).sum(axis=1, keepdims=True)
    expected = row_weights[:, None] * (p * direction - p * (p * direction).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(curvature.data, expected, rtol=1e-10, atol=1e-14)


def test_nll_loss_refuses_more_than_two_axes_and_says_how_to_reshape():
    with pytest.raises(
        ValueError, match=r"nll_loss: log_probabilities must be \(N, C\) or \(C,\).*\(2, 2, 3\).*\(-1, C\)"
    ):
        F.nll_loss(Tensor(np.zeros((2, 2, 3))), Tensor(np.zeros((2, 2), dtype=int)))
    with pytest.raises(ValueError, match=r"cross_entropy: logits must be"):
        F.cross_entropy(Tensor(np.zeros((2, 2, 3))), Tensor(np.zeros((2, 2), dtype=int)))


def test_nll_loss_refuses_an_unknown_reduction_and_names_itself():
    with pytest.raises(ValueError, match=r'nll_loss: reduction must be "mean", "sum" or "none", got .avg.'):
        F.nll_loss(Tensor(np.zeros((2, 3))), Tensor(np.array([0, 1])), reduction="avg")


def test_cross_entropy_refuses_bad_labels():
    logits = Tensor(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="integer class labels"):
        F.cross_entropy(logits, Tensor([0.0, 1.0]))
    with pytest.raises(IndexError, match=r"\[0, 3\)"):
        F.cross_entropy(logits, Tensor(np.array([0, 3])))
    with pytest.raises(ValueError, match=r"labels of shape \(2,\)"):
        F.cross_entropy(logits, Tensor(np.array([0, 1, 2])))


def test_unknown_reduction_is_refused():
    with pytest.raises(ValueError, match="reduction"):
        MSELoss(reduction="avg")


def test_leaky_relu_at_nan_and_bce_at_infinite_logits_are_as_documented():
    # docs/pytorch.md: PyTorch's slope at NaN is the negative slope, and its loss here is NaN.
    x = Tensor([np.nan, -1.0], requires_grad=True)
    F.leaky_relu(x, 0.1).sum().backward()
    np.testing.assert_allclose(x.grad.data, [1.0, 0.1])
    with np.errstate(all="ignore"):
        loss = F.binary_cross_entropy_with_logits(Tensor([-np.inf, np.inf]), Tensor([0.5, 0.5]), reduction="none")
    np.testing.assert_array_equal(loss.data, [np.inf, np.inf])
