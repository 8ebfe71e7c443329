"""Module: registration, naming, modes, state dicts, repr."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import nn
from autograd import Tensor
from nn import Linear, Module, ModuleList, Parameter, ReLU, Sequential


class TwoLayer(Module):
    def __init__(self):
        super().__init__()
        self.hidden = Linear(2, 3)
        self.scale = Parameter(np.ones(1))
        self.out = Linear(3, 1)

    def forward(self, x):
        return self.out(self.hidden(x).relu()) * self.scale


def blog_net() -> Sequential:
    return Sequential(Linear(2, 3), ReLU(), Linear(3, 1))


def test_parameter_requires_grad():
    p = Parameter(np.zeros(3))
    assert p.requires_grad and p.is_leaf and isinstance(p, Tensor)


def test_parameters_register_in_assignment_order_with_dotted_names():
    model = TwoLayer()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["scale", "hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert [n for n, _ in blog_net().named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert len(list(model.parameters())) == 5


def test_parameters_are_named_after_their_place():
    model = blog_net()
    assert [p.name for p in model.parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    user = Parameter(np.ones(2), name="W1")
    holder = Module()
    holder.w = user
    assert user.name == "W1"


def test_shared_parameter_is_listed_once():
    layer = Linear(2, 2)
    model = Sequential(layer, ReLU(), layer)
    assert len(list(model.parameters())) == 2


def test_children_and_modules():
    model = TwoLayer()
    assert [type(m).__name__ for m in model.children()] == ["Linear", "Linear"]
    assert [name for name, _ in model.named_modules()] == ["", "hidden", "out"]


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError):
        _ = Linear(2, 3).weights


def test_assigning_before_super_init_says_so():
    class Broken(Module):
        def __init__(self):
            self.w = Parameter(np.ones(1))

    with pytest.raises(AttributeError, match="super"):
        Broken()


def test_linear_shapes_and_formula_follow_the_blog():
    layer = Linear(2, 3)
    assert layer.weight.shape == (2, 3) and layer.bias.shape == (3,)
    x = Tensor(np.array([[1.0, 2.0]]))
    np.testing.assert_allclose(layer(x).data, x.data @ layer.weight.data + layer.bias.data)
    assert Linear(2, 3, bias=False).bias is None


def test_linear_default_init_is_pytorchs_uniform_bound():
    nn.manual_seed(0)
    layer = Linear(400, 300)
    bound = 1 / np.sqrt(400)
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.weight.data).max() > 0.95 * bound
    assert np.abs(layer.bias.data).max() <= bound


def test_zero_grad_train_eval():
    model = blog_net()
    model(Tensor(np.ones((1, 2)))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    assert model.eval() is model and not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_state_dict_round_trip_gives_identical_outputs():
    source, target = blog_net(), blog_net()
    x = Tensor(np.random.default_rng(0).normal(size=(5, 2)))
    target.load_state_dict(source.state_dict())
    np.testing.assert_array_equal(source(x).data, target(x).data)


def test_state_dict_is_a_copy():
    model = blog_net()
    state = model.state_dict()
    model[0].weight.data += 1
    assert not np.array_equal(state["0.weight"].data, model[0].weight.data)


def test_load_state_dict_names_missing_unexpected_and_wrong_shaped_keys():
    model = blog_net()
    state = model.state_dict()
    del state["0.bias"]
    state["extra"] = np.zeros(1)
    state["2.weight"] = np.zeros((4, 1))
    with pytest.raises(RuntimeError, match=r"Error\(s\) in loading state_dict for Sequential") as info:
        model.load_state_dict(state)
    message = str(info.value)
    assert "missing keys: 0.bias" in message and "unexpected keys: extra" in message
    assert "2.weight: shape (4, 1)" in message and "(3, 1)" in message


def test_load_state_dict_not_strict_loads_the_keys_that_match_and_skips_the_rest():
    model = blog_net()
    state = blog_net().state_dict()
    del state["0.bias"]
    state["extra"] = np.zeros(1)
    before = model[0].bias.data.copy()
    model.load_state_dict(state, strict=False)
    np.testing.assert_array_equal(model[0].weight.data, state["0.weight"].data)
    np.testing.assert_array_equal(model[0].bias.data, before)
    state["2.weight"] = np.zeros((4, 1))
    with pytest.raises(RuntimeError, match=r"2\.weight: shape"):  # a wrong shape is an error even then
        model.load_state_dict(state, strict=False)


def test_repr_is_nested_like_pytorch():
    assert repr(blog_net()) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=3, out_features=1, bias=True)\n"
        ")"
    )


def test_sequential_is_indexable_iterable_and_has_len():
    model = blog_net()
    assert len(model) == 3 and isinstance(model[1], ReLU) and isinstance(model[-1], Linear)
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear"]
    assert len(model[:2]) == 2


def test_module_call_opens_a_scope_for_each_layer():
    model = blog_net()
    out = model(Tensor(np.ones((1, 2))))
    assert [s.label for s in out.scope] == ["Sequential", "2: Linear"]


def test_module_list_registers_layers_made_in_a_loop_and_trains_them():
    class Tower(Module):
        def __init__(self, widths):
            super().__init__()
            self.layers = ModuleList(Linear(a, b) for a, b in itertools.pairwise(widths))

        def forward(self, x):
            for layer in self.layers:
                x = layer(x).tanh()
            return x

    tower = Tower([2, 4, 3, 1])
    names = [name for name, _ in tower.named_parameters()]
    assert names == [f"layers.{i}.{p}" for i in range(3) for p in ("weight", "bias")]
    tower(Tensor(np.ones((5, 2)))).sum().backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in tower.parameters())


def test_module_list_indexing_slicing_append_and_extend_like_a_list():
    layers = ModuleList([Linear(1, 1), ReLU()])
    layers.append(Linear(1, 2)).extend([ReLU(), Linear(2, 1)])
    assert len(layers) == 5 and isinstance(layers[-1], Linear) and isinstance(layers[1], ReLU)
    assert isinstance(layers[1:3], ModuleList) and len(layers[1:3]) == 2
    assert isinstance(blog_net()[:2], Sequential)
    assert len(list(layers.parameters())) == 6
    with pytest.raises(NotImplementedError, match="ModuleList must define forward"):
        layers(Tensor(np.ones((1, 1))))


def test_requires_grad_false_freezes_every_parameter_and_the_optimiser_leaves_them():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert model[0].requires_grad_(False) is model[0]
    frozen = model[0].weight.data.copy()
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    model(Tensor(np.ones((4, 2)))).sum().backward()
    optimizer.step()
    assert model[0].weight.grad is None and model[2].weight.grad is not None
    np.testing.assert_array_equal(model[0].weight.data, frozen)
    assert all(p.requires_grad for p in model.requires_grad_().parameters())
