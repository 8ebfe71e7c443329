"""The sequence chapter's functions and layers: forward against closed forms, gradients and second
derivatives against finite differences, float32, and errors that teach."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor, gradcheck
from tests.nn.second_derivatives import second_derivatives_match
from tests.nn.sequence_table import CASES, TOKENS

IDS = [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_forward_matches_the_closed_form(case):
    arrays = case.inputs()
    np.testing.assert_allclose(case.ours(*map(Tensor, arrays)).data, case.reference(*arrays), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradient_matches_finite_differences(case):
    assert gradcheck(case.ours, [Tensor(a, requires_grad=True) for a in case.inputs(seed=1)])


SMOOTH = [case for case in CASES if case.smooth]


@pytest.mark.parametrize("case", SMOOTH, ids=[case.name for case in SMOOTH])
def test_second_derivative_matches_finite_differences(case):
    """gradcheck on the first gradient, computed with create_graph=True."""
    assert second_derivatives_match(case.ours, [Tensor(a, requires_grad=True) for a in case.inputs(seed=2)])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_float32_stays_float32(case):
    inputs = [Tensor(a.astype(np.float32), requires_grad=True) for a in case.inputs(seed=4)]
    out = case.ours(*inputs)
    out.sum().backward()
    assert out.dtype == np.float32 and all(x.grad.dtype == np.float32 for x in inputs)


def test_gelu_has_its_closed_form_values_and_slope():
    x = Tensor(np.array([0.0, 1.0, -1.0]), requires_grad=True)
    y = F.gelu(x)
    np.testing.assert_allclose(y.data, [0.0, 0.8413447460685429, -0.15865525393145707], rtol=1e-15)
    y.sum().backward()  # d/dx x Φ(x) = Φ(x) + x φ(x)
    phi = np.exp(-0.5) / np.sqrt(2 * np.pi)
    np.testing.assert_allclose(x.grad.data, [0.5, 0.8413447460685429 + phi, 0.15865525393145707 - phi], rtol=1e-14)


def test_softplus_does_not_overflow_and_is_linear_above_the_threshold():
    x = Tensor(np.array([-800.0, 0.0, 25.0, 800.0]), requires_grad=True)
    y = F.softplus(x)
    y.sum().backward()
    np.testing.assert_allclose(y.data, [0.0, np.log(2), 25.0, 800.0], atol=1e-300)
    np.testing.assert_allclose(x.grad.data, [0.0, 0.5, 1.0, 1.0])


def test_embedding_rows_add_up_the_gradients_of_every_lookup():
    weight = Tensor(np.arange(12.0).reshape(4, 3), requires_grad=True)
    out = F.embedding(TOKENS, weight)
    assert out.shape == (2, 3, 3)
    out.sum().backward()
    np.testing.assert_array_equal(weight.grad.data[:, 0], [2, 1, 1, 2])  # 0 and 3 are looked up twice


def test_one_hot_gives_int64_rows_and_infers_the_class_count():
    out = F.one_hot(Tensor(np.array([2, 0, 1])))
    assert out.dtype == np.int64 and out.data.tolist() == [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    assert F.one_hot(np.array([[1]]), num_classes=4).shape == (1, 1, 4)


def test_layers_wrap_their_functions_with_pytorch_parameter_shapes():
    nn.manual_seed(0)
    embedding, norm = nn.Embedding(10, 4), nn.LayerNorm(4)
    assert embedding.weight.shape == (10, 4) and abs(embedding.weight.data.std() - 1) < 0.5
    assert [name for name, _ in norm.named_parameters()] == ["weight", "bias"]
    x = embedding(np.array([[1, 2, 9]]))
    np.testing.assert_allclose(norm(x).data.mean(axis=-1), 0, atol=1e-12)
    assert nn.LayerNorm((2, 4), elementwise_affine=False).weight is None
    np.testing.assert_allclose(nn.GELU("tanh")(x).data, F.gelu(x, approximate="tanh").data)
    np.testing.assert_allclose(nn.SiLU()(x).data, F.silu(x).data)
    np.testing.assert_allclose(nn.Softplus(2.0)(x).data, F.softplus(x, 2.0).data)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: F.embedding(np.array([0, 5]), Tensor(np.zeros((4, 3)))), IndexError, r"index 5.*num_embeddings = 4"),
        (lambda: nn.Embedding(3, 2)(np.array([-1])), IndexError, r"index -1.*num_embeddings = 3"),
        (lambda: F.embedding(np.array([0.5]), Tensor(np.zeros((4, 3)))), TypeError, "integer indices"),
        (lambda: F.one_hot(np.array([3]), num_classes=2), IndexError, r"index 3.*num_classes = 2"),
        (lambda: F.layer_norm(Tensor(np.zeros((2, 3))), 4), ValueError, r"normalized_shape \(4,\).*\(2, 3\)"),
        (lambda: F.gelu(Tensor(np.zeros(2)), approximate="fast"), ValueError, "approximate"),
    ],
)
def test_bad_arguments_are_refused_with_what_to_do(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_multihead_attention_gradients_and_second_derivatives_match_finite_differences():
    nn.manual_seed(0)
    attention = nn.MultiheadAttention(4, 2, batch_first=True)
    x = Tensor(np.random.default_rng(0).normal(size=(2, 3, 4)), requires_grad=True)
    mask = np.triu(np.ones((3, 3), dtype=bool), k=1)  # True = blocked, PyTorch's meaning here
    assert gradcheck(lambda t: attention(t, t, t, attn_mask=mask)[0], [x])

    def first_gradient(t):
        out = attention(t, t, t)[0]
        return autograd.grad((out * out).sum(), [t], create_graph=True)[0]

    assert gradcheck(first_gradient, [x])


def test_multihead_attention_weights_are_rows_that_sum_to_one_and_respect_the_mask():
    attention = nn.MultiheadAttention(6, 3)
    x = Tensor(np.random.default_rng(1).normal(size=(4, 2, 6)))
    out, weights = attention(x, x, x, is_causal=True)
    assert out.shape == (4, 2, 6) and weights.shape == (2, 4, 4)
    np.testing.assert_allclose(weights.data.sum(axis=-1), 1.0)
    assert np.all(weights.data[:, np.triu_indices(4, k=1)[0], np.triu_indices(4, k=1)[1]] == 0)
    assert [name for name, _ in attention.named_parameters()] == [
        "in_proj_weight",
        "in_proj_bias",
        "out_proj.weight",
        "out_proj.bias",
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: F.scaled_dot_product_attention(*[Tensor(np.zeros((2, 3, 4)))] * 3, attn_mask=np.ones((5, 3), bool)),
            r"mask of shape \(5, 3\) does not broadcast to the attention scores of shape \(2, 3, 3\)",
        ),
        (
            lambda: F.scaled_dot_product_attention(
                Tensor(np.zeros((3, 4))), Tensor(np.zeros((3, 5))), Tensor(np.zeros((3, 5)))
            ),
            "must agree on E",
        ),
        (lambda: nn.MultiheadAttention(6, 4), "divisible"),
        (lambda: nn.MultiheadAttention(6, 2)(*[Tensor(np.zeros((3, 1, 5)))] * 3), "5 features, expected embed_dim=6"),
    ],
)
def test_attention_refuses_shapes_that_do_not_fit_naming_them(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------------- recurrent layers


@pytest.mark.parametrize(
    "make",
    [
        lambda: nn.RNNCell(2, 3),
        lambda: nn.GRUCell(2, 3),
        lambda: nn.RNN(2, 3, num_layers=2),
        lambda: nn.GRU(2, 3, batch_first=True),
    ],
    ids=["RNNCell", "GRUCell", "RNN_2_layers", "GRU_batch_first"],
)
def test_recurrent_gradients_match_finite_differences(make):
    nn.manual_seed(3)
    module = make()
    is_cell = "Cell" in type(module).__name__
    x = Tensor(np.random.default_rng(0).normal(size=(3, 2) if is_cell else (3, 2, 2)), requires_grad=True)
    if is_cell:
        h = Tensor(np.random.default_rng(1).normal(size=(3, 3)), requires_grad=True)
        assert gradcheck(lambda x, h: module(x, h), [x, h])
    else:
        batch = x.shape[0] if module.batch_first else x.shape[1]
        h0 = Tensor(np.random.default_rng(1).normal(size=(module.num_layers, batch, 3)), requires_grad=True)
        assert gradcheck(lambda x, h0: module(x, h0)[0], [x, h0])


def test_lstm_and_its_cell_gradients_match_finite_differences():
    nn.manual_seed(4)
    cell, layer = nn.LSTMCell(2, 3), nn.LSTM(2, 3)
    x = Tensor(np.random.default_rng(0).normal(size=(2, 2)), requires_grad=True)
    h, c = (Tensor(np.random.default_rng(s).normal(size=(2, 3)), requires_grad=True) for s in (1, 2))
    assert gradcheck(lambda x, h, c: autograd.stack(cell(x, (h, c))), [x, h, c])
    sequence = Tensor(np.random.default_rng(3).normal(size=(4, 1, 2)), requires_grad=True)
    assert gradcheck(lambda s: layer(s)[1][1], [sequence])


def test_one_rnn_step_is_the_formula():
    cell = nn.RNNCell(2, 3)
    x, h = np.array([[0.5, -1.0]]), np.array([[0.1, 0.2, -0.3]])
    expected = np.tanh(x @ cell.weight_ih.data.T + cell.bias_ih.data + h @ cell.weight_hh.data.T + cell.bias_hh.data)
    np.testing.assert_allclose(cell(Tensor(x), Tensor(h)).data, expected, rtol=1e-14)
    layer = nn.RNN(2, 3)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        getattr(layer, f"{name}_l0").data[...] = getattr(cell, name).data
    output, h_n = layer(Tensor(x[np.newaxis]), Tensor(h[np.newaxis]))
    np.testing.assert_allclose(output.data[0], expected, rtol=1e-14)
    np.testing.assert_allclose(h_n.data[0], expected, rtol=1e-14)


def test_truncated_backprop_through_time_stops_at_detach():
    rnn = nn.RNN(1, 2)
    first, second = (Tensor(np.random.default_rng(s).normal(size=(3, 1, 1)), requires_grad=True) for s in (0, 1))
    _, h = rnn(first)
    output, _ = rnn(second, h.detach())  # the second chunk starts from the first's state, cut from its graph
    output.sum().backward()
    assert first.grad is None and second.grad is not None


def test_an_unrolled_rnn_is_drawn_as_one_box_per_time_step():
    import viz

    output, _ = nn.RNN(1, 2)(Tensor(np.ones((3, 1, 1))))
    source = viz.to_dot(output.sum())
    assert all(f"t = {t}" in source for t in range(3)) and "t = 3" not in source


def test_float32_sequences_stay_float32():
    lstm = nn.LSTM(2, 3).float()
    output, (h, c) = lstm(Tensor(np.ones((4, 2, 2), dtype=np.float32)))
    assert output.dtype == h.dtype == c.dtype == np.float32


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nn.LSTM(3, 4)(Tensor(np.zeros((5, 2, 6)))), r"input_size=3, got shape \(5, 2, 6\) \(6 features\)"),
        (
            lambda: nn.GRU(3, 4, num_layers=2)(np.zeros((5, 2, 3)), np.zeros((1, 2, 4))),
            r"\(2, 2, 4\) \(num_layers, batch, hidden\)",
        ),
        (lambda: nn.RNNCell(3, 4)(np.zeros((2, 5))), r"input_size=3"),
        (lambda: nn.GRUCell(3, 4)(np.zeros((2, 3)), np.zeros((2, 5))), r"\(2, 4\) \(batch, hidden\)"),
        (lambda: nn.RNN(3, 4, nonlinearity="sigmoid"), "tanh"),
    ],
)
def test_recurrent_layers_refuse_wrong_sizes_naming_both(call, message):
    with pytest.raises(ValueError, match=message):
        call()
