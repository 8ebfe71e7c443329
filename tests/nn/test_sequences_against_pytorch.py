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


def _torch_state(module: nn.Module) -> dict:
    """Our state dict in PyTorch's layouts: every Linear weight transposed (the blog's layout is (in, out))."""
    state = {}
    for name, value in module.state_dict().items():
        owner = module.get_submodule(name.rpartition(".")[0])
        linear_weight = isinstance(owner, nn.Linear) and name.endswith("weight")
        state[name] = torch.tensor(value.data.T.copy() if linear_weight else value.data)
    return state


CAUSAL = np.triu(np.ones((4, 4), dtype=bool), k=1)  # MultiheadAttention: True = blocked
FLOAT_MASK = np.random.default_rng(9).normal(size=(4, 5))


@pytest.mark.parametrize(
    ("options", "shapes", "call"),
    [
        ({}, [(4, 2, 6)] * 3, {}),
        ({"batch_first": True}, [(2, 4, 6), (2, 5, 6), (2, 5, 6)], {}),
        ({}, [(4, 2, 6)] * 3, {"attn_mask": CAUSAL, "is_causal": True}),
        ({"batch_first": True}, [(2, 4, 6), (2, 5, 6), (2, 5, 6)], {"attn_mask": FLOAT_MASK}),
        ({"bias": False}, [(4, 6)] * 3, {"attn_mask": CAUSAL}),
        (
            {"batch_first": True},
            [(2, 4, 6), (2, 5, 6), (2, 5, 6)],
            {"key_padding_mask": np.array([[False] * 4 + [True], [False] * 5])},
        ),
        ({}, [(4, 2, 6)] * 3, {"average_attn_weights": False}),
    ],
)
def test_multihead_attention_matches_pytorch_outputs_weights_and_gradients(options, shapes, call):
    nn.manual_seed(1)
    ours = nn.MultiheadAttention(6, 3, **options)
    theirs = torch.nn.MultiheadAttention(6, 3, **options).double()
    theirs.load_state_dict(_torch_state(ours))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    torch_call = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in call.items()}
    arrays = [np.random.default_rng(i).normal(size=shape) for i, shape in enumerate(shapes)]
    assert_matches_pytorch(torch, lambda *xs: ours(*xs, **call)[0], lambda *xs: theirs(*xs, **torch_call)[0], arrays)
    weights = ours(*map(Tensor, arrays), **call)[1]
    torch_weights = theirs(*map(torch.tensor, arrays), **torch_call)[1]
    np.testing.assert_allclose(weights.data, torch_weights.detach().numpy(), rtol=1e-12, atol=1e-15)
    assert ours(*map(Tensor, arrays), need_weights=False)[1] is None


@pytest.mark.parametrize(
    "call",
    [
        {},
        {"is_causal": True},
        {"attn_mask": np.random.default_rng(3).uniform(size=(4, 5)) > 0.3},
        {"attn_mask": np.random.default_rng(4).normal(size=(2, 1, 4, 5))},
        {"scale": 0.3},
    ],
)
def test_scaled_dot_product_attention_matches_pytorch(call):
    shapes = [(2, 3, 4, 6), (2, 3, 5, 6), (2, 3, 5, 7)] if "is_causal" not in call else [(2, 3, 4, 6)] * 3
    torch_call = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in call.items()}
    arrays = [np.random.default_rng(i).normal(size=shape) for i, shape in enumerate(shapes)]
    assert_matches_pytorch(
        torch,
        lambda *xs: nn.functional.scaled_dot_product_attention(*xs, **call),
        lambda *xs: TF.scaled_dot_product_attention(*xs, **torch_call),
        arrays,
    )


RNG = np.random.default_rng(11)


@pytest.mark.parametrize(
    ("make", "shape", "state"),
    [
        (lambda lib: lib.RNN(3, 4), (5, 2, 3), None),
        (lambda lib: lib.RNN(3, 4, num_layers=2, nonlinearity="relu", batch_first=True), (2, 5, 3), (2, 2, 4)),
        (lambda lib: lib.RNN(3, 4, bias=False), (5, 3), (1, 4)),
        (lambda lib: lib.LSTM(3, 4), (5, 2, 3), None),
        (lambda lib: lib.LSTM(3, 4, num_layers=2, batch_first=True), (2, 4, 3), (2, 2, 4)),
        (lambda lib: lib.GRU(3, 4), (5, 2, 3), (1, 2, 4)),
        (lambda lib: lib.GRU(3, 4, num_layers=3, bias=False), (4, 3), None),
    ],
)
def test_recurrent_layers_match_pytorch_outputs_states_and_gradients(make, shape, state):
    nn.manual_seed(2)
    ours, theirs = make(nn), make(torch.nn).double()
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    theirs.load_state_dict(_torch_state(ours))
    is_lstm = isinstance(ours, nn.LSTM)
    arrays = [RNG.normal(size=shape)]
    if state is not None:
        arrays += [RNG.normal(size=state)] * (2 if is_lstm else 1)

    def run(module, wrap):
        def call(x, *states):
            if not states:
                output, final = module(x)
            else:
                output, final = module(x, tuple(states) if is_lstm else states[0])
            finals = final if is_lstm else (final,)
            return wrap([output, *finals])

        return call

    def concat_ours(parts):
        import autograd

        return autograd.concatenate([p.reshape(-1) for p in parts])

    assert_matches_pytorch(
        torch, run(ours, concat_ours), run(theirs, lambda parts: torch.cat([p.reshape(-1) for p in parts])), arrays
    )
    for (name, parameter), (_, reference) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(parameter.grad.data, reference.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("kind", ["RNNCell", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize("batched", [True, False])
def test_cells_match_pytorch(kind, batched):
    ours, theirs = getattr(nn, kind)(3, 5), getattr(torch.nn, kind)(3, 5).double()
    theirs.load_state_dict(_torch_state(ours))
    x = RNG.normal(size=(4, 3) if batched else (3,))
    h = RNG.normal(size=(4, 5) if batched else (5,))
    if kind == "LSTMCell":
        c = RNG.normal(size=h.shape)
        assert_matches_pytorch(
            torch, lambda *a: ours(a[0], (a[1], a[2]))[1], lambda *a: theirs(a[0], (a[1], a[2]))[1], [x, h, c]
        )
    else:
        assert_matches_pytorch(torch, ours, theirs, [x, h])
