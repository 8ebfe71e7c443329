"""Tensor construction, dtypes and attributes as the contract states them."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import autograd
from autograd import Tensor


def test_python_floats_become_float64():
    assert Tensor(1.5).dtype == np.float64
    assert Tensor([1.0, 2.0]).dtype == np.float64


def test_integer_and_bool_data_keep_their_dtype():
    assert Tensor([1, 2]).dtype.kind == "i"
    assert Tensor([True, False]).dtype == np.bool_


def test_array_with_matching_dtype_is_not_copied():
    array = np.arange(3.0)
    assert Tensor(array).data is array
    assert Tensor(array, dtype=np.float32).data is not array


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_, np.uint8])
def test_requires_grad_on_integer_or_bool_tensor_raises_type_error_naming_dtype(dtype):
    with pytest.raises(TypeError, match=np.dtype(dtype).name):
        Tensor(np.zeros(2, dtype=dtype), requires_grad=True)
    with pytest.raises(TypeError, match=np.dtype(dtype).name):
        Tensor(np.zeros(2, dtype=dtype)).requires_grad_()


def test_attributes_of_a_leaf_and_of_an_op_result():
    x = Tensor(np.ones((2, 3)), requires_grad=True, name="x")
    y = x * 2
    assert (x.shape, x.ndim, x.size, x.name, x.op, x.parents, x.is_leaf) == ((2, 3), 2, 6, "x", "", (), True)
    assert y.op == "Mul" and y.parents[0] is x and not y.is_leaf and y.requires_grad
    assert x.T.shape == (3, 2)


def test_parents_keep_both_edges_of_a_plus_a():
    a = Tensor(1.0, requires_grad=True)
    b = a + a
    assert b.parents == (a, a)
    b.backward()
    assert a.grad.item() == 2.0


def test_item_numpy_tolist():
    t = Tensor([[1.0, 2.0]])
    assert t.numpy() is t.data
    assert t.tolist() == [[1.0, 2.0]]
    assert Tensor([3.0]).item() == 3.0
    with pytest.raises(ValueError, match="one element"):
        t.item()


def test_detach_shares_data_and_leaves_the_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    d = (x * 3).detach()
    assert d.is_leaf and not d.requires_grad
    assert x.detach().data is x.data


def test_clone_copies_the_array_and_stays_in_the_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    assert c.data is not x.data and c.tolist() == [1.0, 2.0]
    assert not c.is_leaf and c.grad_fn is not None
    (c * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    assert Tensor([1.0]).clone().is_leaf  # nothing requires grad: a plain copy


def test_tensors_hash_by_identity_and_work_in_sets_and_dicts():
    a, b = Tensor([1.0, 2.0]), Tensor([1.0, 2.0])
    assert len({a, b, a}) == 2
    assert {a: "a", b: "b"}[b] == "b"
    assert (a == b).dtype == np.bool_ and (a == b).tolist() == [True, True]


def test_ndarray_on_the_left_gives_a_tensor_with_gradient():
    x = Tensor([1.0, 2.0], requires_grad=True)
    for result in (np.ones(2) + x, np.ones(2) * x, np.ones(2) - x, np.ones(2) / x, np.float64(2.0) * x):
        assert isinstance(result, Tensor) and result.requires_grad


def test_comparisons_return_bool_tensors_outside_the_graph():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    for result in (x < 2, x <= 2, x > 2, x >= 2, x == 2, x != 2):
        assert result.dtype == np.bool_ and not result.requires_grad and result.is_leaf
    assert (x > 1.5).tolist() == [False, True, True]


def test_float32_stays_float32_through_ops_and_gradients():
    w = Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    y = ((w * 2.0 + 1) ** 2 / 3.0).sigmoid().mean()
    assert y.dtype == np.float32
    y.backward()
    assert w.grad.dtype == np.float32


def test_integer_inputs_work_with_float_parameters_in_their_dtype():
    x = Tensor(np.array([[0, 0], [0, 1], [1, 0], [1, 1]]))  # the blog's X
    w = Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    out = x @ w + 1
    assert out.dtype == np.float32
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.data, np.full((2, 3), 2.0))


def test_reflected_operators():
    x = Tensor(2.0, requires_grad=True)
    assert (2 * x).item() == 4 and (1 - x).item() == -1 and (8 / x).item() == 4 and (2**x).item() == 4
    (2**x).backward()
    assert x.grad.item() == pytest.approx(4 * np.log(2))


def test_an_element_picked_twice_by_a_list_inside_an_index_gets_both_gradients():
    a = Tensor(np.ones((3, 4)), requires_grad=True)
    (a[1:, [0, 2, 2]].sum() + a[[0, 0], [3, 3]].sum()).backward()
    np.testing.assert_array_equal(a.grad.data, [[0, 0, 0, 2], [1, 0, 2, 0], [1, 0, 2, 0]])


def test_repr_prints_like_pytorch_with_the_name_added():
    assert repr(Tensor([1.0, 2.0], requires_grad=True, name="W1")) == "tensor([1., 2.], requires_grad=True, name='W1')"
    assert repr(Tensor([1.0], requires_grad=True) * 2) == "tensor([2.], grad_fn=<MulBackward>)"
    assert repr(Tensor([0.12345, 0.5])) == "tensor([0.1235, 0.5000])"  # four decimals unless all are whole
    assert repr(Tensor([True, False])) == "tensor([True, False])"
    assert repr(Tensor([1, 2])) == "tensor([1, 2])"
    assert repr(Tensor(2.0)) == "tensor(2.)"
    assert repr(Tensor([1.5], dtype=np.float32)) == "tensor([1.5000], dtype=float32)"  # not the default dtype
    assert repr(Tensor([[1.0, 2.0], [3.0, 4.0]])) == "tensor([[1., 2.],\n        [3., 4.]])"
    assert repr(Tensor([1e-5, 1.0])) == "tensor([1.e-05, 1.e+00])"


def test_bool_of_a_multi_element_tensor_is_an_error():
    with pytest.raises(ValueError, match="ambiguous"):
        bool(Tensor([1.0, 2.0]))


def test_requires_grad_cannot_be_turned_off_on_a_non_leaf():
    y = Tensor([1.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="detach"):
        y.requires_grad = False


def test_creation_helpers():
    assert autograd.zeros(2, 3).shape == (2, 3) and autograd.ones((4,)).data.sum() == 4
    assert autograd.randn(3, rng=np.random.default_rng(0)).shape == (3,)
    assert autograd.zeros_like(np.ones((2, 2))).shape == (2, 2)


def test_iteration_yields_rows_with_gradient():
    x = Tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
    sum(row.sum() * i for i, row in enumerate(x)).backward()
    np.testing.assert_array_equal(x.grad.data, [[0, 0], [1, 1], [2, 2]])


def test_scope_labels_the_operations_recorded_inside_it():
    x = Tensor([1.0], requires_grad=True)
    with autograd.scope("model"), autograd.scope("layer1"):
        y = x * 2
        assert [s.label for s in autograd.current_scope()] == ["model", "layer1"]
    with autograd.scope("layer1"):
        w = x * 3
    z = y + 1
    assert [s.label for s in y.scope] == ["model", "layer1"] and z.scope == () and x.scope == ()
    assert w.scope[0].label == y.scope[1].label and w.scope[0] != y.scope[1]  # two openings, two scopes


def test_copies_of_a_leaf_are_separate_leaves_that_can_share_one_graph():
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    deep, shallow, unpickled = copy.deepcopy(w), copy.copy(w), pickle.loads(pickle.dumps(w))
    assert deep.name == "w" and deep.requires_grad and deep.data is not w.data
    loss = (w * 1 + deep * 2 + shallow * 3 + unpickled * 4).sum()
    loss.backward()
    for tensor, expected in [(w, 1.0), (deep, 2.0), (shallow, 3.0), (unpickled, 4.0)]:
        np.testing.assert_array_equal(tensor.grad.data, [expected, expected])


def test_copying_an_operation_result_is_refused_with_the_detach_hint():
    y = Tensor([1.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"only leaf tensors.*produced by Mul.*detach\(\)"):
        copy.deepcopy(y)
    with pytest.raises(RuntimeError, match="only leaf tensors"):
        pickle.dumps(y)
    np.testing.assert_array_equal(copy.deepcopy(y.detach()).data, [2.0])


def test_updating_a_parameter_in_place_under_no_grad_keeps_the_same_leaf():
    w = Tensor([1.0, 2.0], requires_grad=True)
    same = w
    for _ in range(2):
        (w * w).sum().backward()  # d/dw = 2w
        with autograd.no_grad():
            w -= 0.25 * w.grad  # w <- w - 0.5 w = 0.5 w
            w.grad.zero_()
    assert w is same and w.is_leaf and w.requires_grad
    np.testing.assert_allclose(w.data, [0.25, 0.5])
    np.testing.assert_array_equal(w.grad.data, [0.0, 0.0])


def test_changing_a_leaf_that_requires_grad_in_place_while_recording_is_refused():
    w = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"-=: a leaf tensor that requires grad.*no_grad"):
        w -= 1.0
    with pytest.raises(RuntimeError, match=r"zero_\(\)"):
        w.zero_()


def test_in_place_operator_on_a_graph_tensor_gives_a_new_tensor_with_the_right_gradient():
    w = Tensor([1.0, 2.0], requires_grad=True)
    y = w * 3
    before = y
    y += w * w  # recorded: y is now a new tensor, 3w + w^2
    assert y is not before and y.op == "Add"
    total = Tensor(0.0)
    total += y.sum()  # accumulating a loss into a constant joins the graph, as in PyTorch
    total.backward()
    np.testing.assert_allclose(w.grad.data, [5.0, 7.0])  # 3 + 2w


def test_in_place_update_changes_every_reference_but_not_values_saved_for_backward():
    w = Tensor([1.0, 2.0], requires_grad=True)
    x = Tensor([3.0, 4.0])
    alias = x
    y = (w * x).sum()
    with autograd.no_grad():
        x += 10.0
    np.testing.assert_array_equal(alias.data, [13.0, 14.0])
    y.backward()
    np.testing.assert_array_equal(w.grad.data, [3.0, 4.0])  # the x that the product used


def test_in_place_update_keeps_shape_and_dtype_or_says_why_not():
    t = Tensor(np.ones(2, dtype=np.float32))
    t *= 2.5
    assert t.dtype == np.float32
    n = Tensor(np.array([1, 2]))
    with pytest.raises(TypeError, match=r"\+=: cannot store the result in this tensor of shape \(2,\) and dtype int64"):
        n += 0.5
    with pytest.raises(ValueError, match=r"/=: cannot store the result in this tensor of shape \(2,\)"):
        t /= np.ones((3, 2))


@pytest.mark.parametrize("name", ["sum", "mean", "logsumexp", "argmax", "argmin"])
def test_reductions_take_pytorchs_dim_and_keepdim_as_their_axis_and_keepdims(name):
    data = np.arange(24.0).reshape(2, 3, 4) % 5
    with_axis, with_dim = Tensor(data, requires_grad=True), Tensor(data, requires_grad=True)
    expected = getattr(with_axis, name)(axis=1, keepdims=True)
    result = getattr(with_dim, name)(dim=1, keepdim=True)
    np.testing.assert_array_equal(result.data, expected.data)
    assert result.shape == (2, 1, 4)
    if result.requires_grad:
        (result * np.arange(8.0).reshape(2, 1, 4)).sum().backward()
        (expected * np.arange(8.0).reshape(2, 1, 4)).sum().backward()
        np.testing.assert_array_equal(with_dim.grad.data, with_axis.grad.data)


def test_a_reduction_given_both_axis_and_dim_says_to_pass_one():
    with pytest.raises(TypeError, match=r"sum: got both axis=0 and dim=1; pass one"):
        Tensor(np.ones((2, 3))).sum(axis=0, dim=1)


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("var", r"divides by n - 1.*var\(axis=..., ddof=1\)"),
        ("std", r"std\(axis=..., ddof=1\)"),
        ("max", r"returns \(values, indices\).*argmax\(axis=...\)"),
        ("min", r"argmin\(axis=...\)"),
    ],
)
def test_dim_is_refused_where_pytorch_means_something_else_with_what_to_write(name, hint):
    # PyTorch's x.var(dim=0) divides by n - 1 and its x.max(dim=0) returns (values, indices): an alias
    # would give a PyTorch user a silently different result.
    with pytest.raises(TypeError, match=hint):
        getattr(Tensor(np.ones((2, 3))), name)(dim=0)


def test_shape_functions_take_pytorchs_dim_for_their_axis():
    a = Tensor(np.arange(6.0).reshape(2, 1, 3), requires_grad=True)
    assert a.squeeze(dim=1).shape == a.squeeze(1).shape == (2, 3)
    assert a.unsqueeze(dim=0).shape == a.unsqueeze(0).shape == (1, 2, 1, 3)
    joined = autograd.cat([a, a * 2], dim=2)
    np.testing.assert_array_equal(joined.data, autograd.concatenate([a, a * 2], axis=2).data)
    stacked = autograd.stack([a, a * 2], dim=-1)
    assert stacked.shape == (2, 1, 3, 2)
    (joined.sum() + stacked.sum()).backward()
    np.testing.assert_array_equal(a.grad.data, np.full((2, 1, 3), 6.0))  # 1 + 2 from each


def test_shape_functions_given_both_axis_and_dim_or_neither_say_what_to_pass():
    a = Tensor(np.ones((2, 1, 3)))
    with pytest.raises(TypeError, match="concatenate: got both axis=1 and dim=2; pass one"):
        autograd.concatenate([a, a], axis=1, dim=2)
    with pytest.raises(TypeError, match="unsqueeze: say where the new axis goes"):
        a.unsqueeze()


def test_clamp_takes_pytorchs_min_and_max_keywords_but_not_both_spellings():
    x = Tensor([-1.0, 0.5, 2.0])
    assert x.clamp(min=0.0).tolist() == [0.0, 0.5, 2.0]
    assert autograd.clamp(x, max=1.0).tolist() == [-1.0, 0.5, 1.0]
    assert x.clip(0.0, 1.0).tolist() == x.clamp(min=0.0, max=1.0).tolist()
    with pytest.raises(TypeError, match=r"clip\(lo, hi\) or as clip\(min=\.\.\., max=\.\.\.\), not both"):
        x.clip(0.0, max=1.0)


def test_in_place_methods_update_a_parameter_under_no_grad_as_in_pytorch():
    p = Tensor([1.0, 2.0], requires_grad=True)
    (p * p).sum().backward()
    lr = 0.1
    with autograd.no_grad():
        same = p.add_(p.grad, alpha=-lr)  # p - 0.1 * 2p
    assert same is p and p.tolist() == pytest.approx([0.8, 1.6]) and p.requires_grad
    with autograd.no_grad():
        p.sub_(Tensor([0.8, 0.6])).mul_(2.0).div_(4.0)
        assert p.tolist() == pytest.approx([0.0, 0.5])
        p.copy_([3.0, 4.0])
        assert p.tolist() == [3.0, 4.0]
        p.fill_(7.0)
        assert p.tolist() == [7.0, 7.0]
    q = Tensor([1.0, 2.0])
    q.sub_([1.0, 1.0], alpha=2)
    assert q.tolist() == [-1.0, 0.0]


def test_in_place_methods_refuse_inside_a_recorded_graph_saying_what_to_write():
    leaf = Tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"add_\(\): a leaf tensor that requires grad cannot be changed in place"):
        leaf.add_(1.0)
    hidden = leaf * 2
    with pytest.raises(RuntimeError, match=r"mul_\(\): this tensor is part of a recorded graph.*write t \* other"):
        hidden.mul_(3.0)
    with pytest.raises(RuntimeError, match=r"add_\(\): this tensor is part of a recorded graph"):
        Tensor([0.0]).add_(leaf, alpha=2)  # the other operand requires grad: PyTorch would record it
    with pytest.raises(RuntimeError, match=r"sub_\(\): this tensor is part of a recorded graph"):
        Tensor([0.0]).sub_(leaf, alpha=2)
    with pytest.raises(
        TypeError, match=r"copy_\(\): cannot store the result in this tensor of shape \(2,\) and dtype int64"
    ):
        Tensor(np.array([1, 2])).copy_([0.5, 1.5])


def test_pytorch_in_place_names_glassgrad_lacks_say_what_to_write():
    t = Tensor(1.0, requires_grad=True).sin()
    with pytest.raises(
        AttributeError, match=r"Tensor\.cos_\(\): glassgrad has no in-place cos; write t = t\.cos\(\.\.\.\)"
    ):
        t.cos_()
    with pytest.raises(AttributeError, match=r"'Tensor' object has no attribute 'no_such_thing'"):
        t.no_such_thing  # noqa: B018
    assert not hasattr(t, "__array_interface__")


def test_pytorch_node_internals_point_to_glassgrads_names():
    y = Tensor([1.0, 2.0], requires_grad=True).pow(2)
    with pytest.raises(AttributeError, match=r"_saved_self.*grad_fn\.saved_tensors"):
        y.grad_fn._saved_self  # noqa: B018
    with pytest.raises(AttributeError, match=r"Pow takes no hooks.*out\.register_hook\(fn\)"):
        y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: None)
