"""The backward loop: accumulation, freeing, retain_graph, deep graphs, grad(), create_graph."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import autograd
from autograd import Tensor


def test_x_cubed_at_3_backward_twice_with_retain_graph_gives_exactly_54():
    x = Tensor(3.0, requires_grad=True)
    y = x * x * x
    y.backward(retain_graph=True)
    assert x.grad.item() == 27.0
    y.backward()
    assert x.grad.item() == 54.0


def test_second_backward_through_freed_graph_says_retain_graph():
    x = Tensor(3.0, requires_grad=True)
    y = x * x * x
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_gradients_accumulate_in_leaves_across_backward_calls():
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3 + 2, 3 + 4])


def test_non_leaf_keeps_no_grad_unless_retain_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    hidden = x * 2
    kept = x * 3
    kept.retain_grad()
    (hidden * kept).sum().backward()
    with pytest.warns(UserWarning, match=r"not a leaf \(this one was made by Mul\).*\.retain_grad\(\)"):
        assert hidden.grad is None  # and reading it warns, saying what to do, as PyTorch does
    np.testing.assert_array_equal(kept.grad.data, [2.0, 4.0])  # no warning: it was retained


def test_leaf_grads_never_share_memory():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([1.0, 2.0], requires_grad=True)
    (a + b).sum().backward()
    assert not np.shares_memory(a.grad.data, b.grad.data)
    g = np.array([1.0, 1.0])
    c = Tensor([0.0, 0.0], requires_grad=True)
    c.backward(g)
    assert not np.shares_memory(c.grad.data, g)


def test_backward_with_explicit_grad_for_non_scalar_output():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x).backward(np.array([1.0, 0.0, 2.0]))
    np.testing.assert_array_equal(x.grad.data, [2.0, 0.0, 12.0])


def test_topological_order_is_deterministic_and_parents_first():
    x = Tensor(1.0, requires_grad=True, name="x")
    a = (x * 2).exp()
    b = x.tanh()
    loss = a * b + a
    first = [id(t) for t in autograd.topological_order([loss])]
    second = [id(t) for t in autograd.topological_order([loss])]
    assert first == second
    position = {id(t): i for i, t in enumerate(autograd.topological_order([loss]))}
    for node in autograd.topological_order([loss]):
        for parent in node.parents:
            if parent.requires_grad:
                assert position[id(parent)] < position[id(node)]


def test_million_op_chain_backward_without_recursion(low_recursion_limit):
    x = Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(1_000_000):
        y = y + 1.0
    y.backward()
    assert x.grad.item() == 1.0
    del y  # freeing a million-node chain must not recurse either


def test_sum_of_ten_thousand_tensors(low_recursion_limit):
    tensors = [Tensor(float(i), requires_grad=True) for i in range(10_000)]
    total = sum(tensors)
    total.backward()
    assert total.item() == sum(range(10_000))
    assert all(t.grad.item() == 1.0 for t in tensors)


def test_grad_returns_gradients_without_touching_dot_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = Tensor(3.0, requires_grad=True)
    (gx, gy) = autograd.grad((x * y).sum(), [x, y])
    np.testing.assert_array_equal(gx.data, [3.0, 3.0])
    assert gy.item() == 3.0
    assert x.grad is None and y.grad is None


def test_grad_of_an_intermediate_tensor():
    x = Tensor(2.0, requires_grad=True)
    hidden = x * x
    (g,) = autograd.grad(hidden * 3, hidden)
    assert g.item() == 3.0


def test_grad_with_unused_input_raises_unless_allowed():
    x = Tensor(1.0, requires_grad=True)
    unused = Tensor(1.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="allow_unused"):
        autograd.grad(x * 2, [x, unused])
    assert autograd.grad(x * 2, [x, unused], allow_unused=True)[1] is None


def test_create_graph_gives_differentiable_gradients():
    x = Tensor(2.0, requires_grad=True)
    (dy,) = autograd.grad(x**3, x, create_graph=True)  # 3x² = 12
    (d2y,) = autograd.grad(dy, x, create_graph=True)  # 6x = 12
    (d3y,) = autograd.grad(d2y, x)  # 6
    assert (dy.item(), d2y.item(), d3y.item()) == (12.0, 12.0, 6.0)


def test_backward_with_create_graph_makes_grad_differentiable():
    x = Tensor(3.0, requires_grad=True)
    x.tanh().backward(create_graph=True)
    first = x.grad
    assert first.requires_grad
    x.grad = None
    first.backward()
    t = np.tanh(3.0)
    assert x.grad.item() == pytest.approx(-2 * t * (1 - t * t))


@pytest.mark.parametrize(
    "f",
    [lambda x: x.relu(), lambda x: x.abs(), lambda x: x.sign() * x],
    ids=["relu", "abs", "sign"],
)
def test_second_derivative_of_a_piecewise_linear_function_is_zero_not_missing(f):
    # As in PyTorch: relu'(x) = H(x) and |x|' = sign(x) are recorded, so d²/dx² is 0, not an error.
    x = Tensor([0.5, -1.0, 2.0, 0.0], requires_grad=True)
    (first,) = autograd.grad(f(x).sum(), x, create_graph=True)
    assert first.requires_grad
    (second,) = autograd.grad(first.sum(), x)
    np.testing.assert_array_equal(second.data, np.zeros(4))


@pytest.mark.parametrize(
    "f", [lambda x: 3 * x, lambda x: x.clip(0.0, 1.0), lambda x: x.max()], ids=["mul", "clip", "max"]
)
def test_gradient_that_does_not_depend_on_x_cannot_be_differentiated_again(f):
    # PyTorch gives the same error here: these first derivatives are constants.
    x = Tensor([0.5, -1.0, 2.0], requires_grad=True)
    (first,) = autograd.grad(f(x).sum(), x, create_graph=True)
    with pytest.raises(RuntimeError, match="does not require grad"):
        autograd.grad(first.sum(), x)


def test_hessian_vector_product_of_a_small_network():
    rng = np.random.default_rng(0)
    w = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
    x = Tensor(rng.normal(size=(4, 3)))
    loss = ((x @ w).tanh() ** 2).sum()
    (g,) = autograd.grad(loss, w, create_graph=True)
    v = rng.normal(size=(3, 2))
    (hv,) = autograd.grad((g * v).sum(), w)

    def gradient_at(weights):
        wt = Tensor(weights, requires_grad=True)
        ((x @ wt).tanh() ** 2).sum().backward()
        return wt.grad.data

    eps = 1e-6
    numerical = (gradient_at(w.data + eps * v) - gradient_at(w.data - eps * v)) / (2 * eps)
    np.testing.assert_allclose(hv.data, numerical, rtol=1e-6, atol=1e-8)


def test_backward_steps_follow_backward_order_and_give_the_same_grads():
    def build():
        w = Tensor([[1.0, -2.0], [0.5, 1.0]], requires_grad=True, name="W")
        x = Tensor([[1.0, 2.0]])
        loss = ((x @ w).relu() * 3).sum()
        return w, loss

    w1, loss1 = build()
    steps = list(loss1.backward_steps())
    w2, loss2 = build()
    loss2.backward()
    np.testing.assert_array_equal(w1.grad.data, w2.grad.data)
    assert [s.op for s in steps] == ["Sum", "Mul", "Relu", "MatMul"]
    assert [s.index for s in steps] == [0, 1, 2, 3]
    first = steps[0]
    assert first.node is loss1 and first.grad_output.shape == () and first.grad_output == 1.0
    matmul = steps[-1]
    assert matmul.grad_inputs[0] is None  # x needs no gradient
    np.testing.assert_array_equal(matmul.grad_inputs[1], w1.grad.data)


def test_backward_steps_say_where_each_op_was_written_when_recorded_under_detect_anomaly():
    w = Tensor([[1.0, -2.0], [0.5, 1.0]], requires_grad=True)
    x = Tensor([[1.0, 2.0]])
    with autograd.detect_anomaly():
        product = x @ w  # the line the MatMul step must name
        line = inspect.currentframe().f_lineno - 1
        loss = product.relu().sum()
    steps = {step.op: step for step in loss.backward_steps()}
    assert steps["MatMul"].created_at == (__file__, line)
    assert f"test_engine.py:{line}" in repr(product.grad_fn)

    plain = (x @ w).sum()  # outside detect_anomaly nothing is recorded (finding the line is costly)
    assert next(plain.backward_steps()).created_at is None
    assert repr(plain.grad_fn) == "<Sum operation>"


def test_backward_visits_ops_in_reverse_creation_order_once_each_with_complete_gradients():
    x = Tensor([1.0, 2.0], requires_grad=True)
    a = x * 2  # used twice: by b and by c, so its gradient has two parts
    unrelated = Tensor([5.0, 5.0], requires_grad=True) * 1  # created in between, never used
    unrelated.retain_grad()  # so that its .grad would be kept if backward reached it
    b = a * 3
    c = (a + b).sum()
    steps = list(c.backward_steps())
    assert [step.node for step in steps] == [c, c.parents[0], b, a]  # Sum, Add, Mul(b), Mul(a)
    np.testing.assert_array_equal(steps[-1].grad_output, [4.0, 4.0])  # 1 from c directly + 3 through b
    np.testing.assert_array_equal(x.grad.data, [8.0, 8.0])
    assert unrelated.grad is None


def test_backward_steps_can_be_stepped_one_at_a_time():
    x = Tensor(2.0, requires_grad=True)
    steps = (x.exp() * 3).backward_steps()
    first = next(steps)
    assert first.op == "Mul" and x.grad is None
    second = next(steps)
    assert second.op == "Exp"
    assert second.grad_output == pytest.approx(3.0)
    with pytest.raises(StopIteration):
        next(steps)
    assert x.grad.item() == pytest.approx(3 * np.exp(2.0))


def test_no_graph_is_kept_by_a_plain_backward():
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    assert x.grad.is_leaf and not x.grad.requires_grad


def test_user_code_between_backward_steps_runs_in_the_users_grad_mode():
    x = Tensor(2.0, requires_grad=True)
    steps = (x.exp() * 3).backward_steps()
    next(steps)
    assert autograd.is_grad_enabled()
    assert (x * 2).requires_grad  # a graph can be built between steps
    list(steps)
    assert autograd.is_grad_enabled()


def test_backward_restores_grad_mode_and_garbage_collector_even_after_an_error():
    import gc

    class Broken(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, grad):
            raise ValueError("broken backward")

    x = Tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="broken backward"):
        Broken.apply(x).sum().backward()
    assert gc.isenabled() and autograd.is_grad_enabled()
