"""Bad input gets an error that names the operation, the shapes or dtypes, and what to do."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor


def test_matmul_shape_mismatch_names_op_and_both_shapes():
    with pytest.raises(ValueError, match=r"MatMul.*\(4, 3\) @ \(2, 3\).*transpose"):
        Tensor(np.ones((4, 3))) @ Tensor(np.ones((2, 3)))


def test_broadcast_mismatch_names_op_and_both_shapes():
    with pytest.raises(ValueError, match=r"Add.*\(4, 1\) and \(3,\)|Mul.*\(2, 3\) and \(4,\)"):
        Tensor(np.ones((2, 3))) * Tensor(np.ones(4))


def test_broadcast_error_is_raised_at_the_forward_call_not_in_backward():
    a = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(ValueError, match="Sub"):
        a - Tensor(np.ones((3, 2)))


def test_non_scalar_backward_names_the_shape_and_suggests_the_fix():
    y = Tensor(np.ones((4, 1)), requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"grad can be implicitly created only for scalar outputs.*\(4, 1\)") as info:
        y.backward()
    assert ".sum()" in str(info.value) and ".mean()" in str(info.value) and "grad=" in str(info.value)


def test_backward_on_a_tensor_that_does_not_require_grad():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (Tensor([1.0]) * 2).sum().backward()


def test_backward_with_a_wrong_shaped_grad():
    y = Tensor(np.ones(3), requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"\(2,\).*\(3,\)"):
        y.backward(np.ones(2))


def test_reshape_to_an_impossible_shape_names_the_op():
    with pytest.raises(ValueError, match=r"Reshape.*\(2, 3\)"):
        Tensor(np.ones((2, 3))).reshape(4, 2)


def test_index_out_of_range_names_the_op():
    with pytest.raises(IndexError, match="GetItem"):
        Tensor(np.ones(3))[5]


def test_sum_over_a_missing_axis_names_the_op():
    with pytest.raises(IndexError, match="Sum"):
        Tensor(np.ones(3)).sum(axis=2)


def test_where_with_a_non_bool_condition():
    with pytest.raises(TypeError, match="bool"):
        autograd.where(Tensor([1.0, 0.0]), Tensor([1.0, 1.0]), 0.0)


def test_concatenate_mismatch_names_the_shapes():
    with pytest.raises(ValueError, match=r"Concatenate.*\(2, 3\).*\(2, 2\)"):
        autograd.concatenate([Tensor(np.ones((2, 3))), Tensor(np.ones((2, 2)))], axis=0)


def test_integer_to_a_negative_integer_power_says_to_use_floats_not_that_shapes_do_not_broadcast():
    with pytest.raises(ValueError, match=r"Pow: integers cannot be raised to negative integer powers.*float") as info:
        Tensor(np.array([2, 3])) ** -1
    assert "broadcast" not in str(info.value)


@pytest.mark.parametrize("data", [["a", "b"], [None, 1.0], {"x": 1}])
def test_tensor_of_something_other_than_numbers_is_refused_when_it_is_made(data):
    with pytest.raises(TypeError, match=r"Tensor: data must be numbers or booleans.*dtype"):
        Tensor(data)


def test_ragged_nested_lists_are_refused_by_name():
    with pytest.raises(ValueError, match=r"Tensor: cannot make an array of this data"):
        Tensor([[1.0, 2.0], [3.0]])


def test_error_points_at_the_users_line():
    try:
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3)))
    except ValueError as error:
        frames = []
        tb = error.__traceback__
        while tb is not None:
            frames.append(tb.tb_frame.f_code.co_name)
            tb = tb.tb_next
        assert frames[0] == "test_error_points_at_the_users_line"
