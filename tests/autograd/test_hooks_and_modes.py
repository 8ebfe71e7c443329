"""register_hook, no_grad, detect_anomaly, gradcheck's own behaviour."""

from __future__ import annotations

import inspect
import threading

import numpy as np
import pytest

import autograd
from autograd import Function, Tensor, detect_anomaly, gradcheck, no_grad


def test_hook_sees_the_gradient_and_can_replace_it():
    x = Tensor([1.0, 2.0], requires_grad=True)
    hidden = x * 3
    seen = []
    hidden.register_hook(lambda g: seen.append(g.data.copy()))
    hidden.register_hook(lambda g: g * 10)
    (hidden * hidden).sum().backward()
    np.testing.assert_array_equal(seen[0], [6.0, 12.0])
    np.testing.assert_array_equal(x.grad.data, [180.0, 360.0])


def test_hook_on_a_leaf_changes_what_is_accumulated():
    x = Tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 0)
    (x * 5).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0])


def test_removed_hook_is_not_called():
    x = Tensor(1.0, requires_grad=True)
    calls = []
    handle = x.register_hook(lambda g: calls.append(1))
    handle.remove()
    (x * 2).backward()
    assert calls == [] and x.grad.item() == 2.0


def test_hook_on_tensor_without_grad_is_an_error():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        Tensor(1.0).register_hook(print)


def test_no_grad_context_records_nothing():
    x = Tensor([1.0], requires_grad=True)
    with no_grad():
        y = x * 2
    assert not y.requires_grad and y.is_leaf
    assert (x * 2).requires_grad


def test_no_grad_as_decorator_and_nested():
    x = Tensor([1.0], requires_grad=True)

    @no_grad()
    def step():
        with autograd.enable_grad():
            inner = x * 2
        return x * 2, inner

    outer, inner = step()
    assert not outer.requires_grad and inner.requires_grad
    assert autograd.is_grad_enabled()


def test_no_grad_works_as_a_bare_decorator_too():
    x = Tensor([1.0], requires_grad=True)

    @no_grad
    def double(t):
        return t * 2

    assert not double(x).requires_grad and (x * 2).requires_grad


def test_zero_grad_forgets_the_gradient():
    x = Tensor([1.0], requires_grad=True)
    (x * 2).sum().backward()
    x.zero_grad()
    assert x.grad is None
    (x * 3).sum().backward()
    assert x.grad.item() == 3.0


def test_detect_anomaly_names_op_and_line_of_nan_in_forward():
    x = Tensor([-1.0, 1.0], requires_grad=True)
    expected = r"Sqrt produced nan.*test_hooks_and_modes\.py:\d+"
    with detect_anomaly(), pytest.raises(RuntimeError, match=expected), np.errstate(invalid="ignore"):
        x.sqrt()


@pytest.mark.parametrize("create_graph", [False, True])
def test_detect_anomaly_names_op_and_line_of_inf_in_backward(create_graph):
    x = Tensor([0.0, 1.0], requires_grad=True)
    with detect_anomaly():
        y = x.sqrt().sum()  # finite forward, infinite derivative at 0
        line = inspect.currentframe().f_lineno - 1
        expected = rf"Sqrt\.backward.*test_hooks_and_modes\.py:{line}.*inf"
        if not create_graph:
            expected = rf"Sqrt\.backward.*inf.*test_hooks_and_modes\.py:{line}"
        with pytest.raises(RuntimeError, match=expected), np.errstate(divide="ignore"):
            y.backward(create_graph=create_graph)


@pytest.mark.parametrize("create_graph", [False, True])
def test_detect_anomaly_checks_what_a_user_function_backward_returns(create_graph):
    class Blowup(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1.0

        @staticmethod
        def backward(ctx, grad):
            return grad * np.inf

    x = Tensor([1.0], requires_grad=True)
    # Recorded (create_graph), the backward's own multiplication is checked as it runs.
    expected = (
        r"in Function 'Blowup\.backward'.*Mul produced inf"
        if create_graph
        else r"Blowup\.backward' returned inf.*input 0"
    )
    with detect_anomaly():
        y = Blowup.apply(x).sum()
        with pytest.raises(RuntimeError, match=expected):
            y.backward(create_graph=create_graph)


def test_detect_anomaly_reports_array_changed_in_place_after_being_saved():
    w = Tensor([1.0, 2.0], requires_grad=True)
    with detect_anomaly():
        loss = (w * w).sum()
        w.data -= 0.5  # e.g. an optimiser step between forward and backward
        with pytest.raises(RuntimeError, match=r"Mul.*modified in place"):
            loss.backward()


def test_outside_detect_anomaly_nan_passes_silently_like_pytorch():
    x = Tensor([-1.0], requires_grad=True)
    with np.errstate(invalid="ignore"):
        assert np.isnan(x.log().data).all()


def test_gradcheck_failure_names_input_index_and_both_values():
    class BrokenSquare(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * x  # should be 2x

    x = Tensor([1.0, 3.0], requires_grad=True)
    expected = r"input 0 \(shape \(2,\)\) at index \(1,\).*analytical gradient 3.*numerical gradient 6"
    with pytest.raises(AssertionError, match=expected):
        gradcheck(BrokenSquare.apply, [x])


def test_gradcheck_refuses_float32_inputs():
    with pytest.raises(TypeError, match="float64"):
        gradcheck(lambda x: x * 2, [Tensor(np.ones(2, dtype=np.float32), requires_grad=True)])


def test_gradcheck_skips_inputs_without_grad():
    assert gradcheck(lambda x, c: x * c, [Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0, 4.0])])


@pytest.mark.parametrize(
    "fn, shapes",
    [
        (lambda x: x**3, [(3, 3)]),
        (lambda x, y: (x * y).sin(), [(3,), (2, 1)]),  # broadcast to (2, 3)
        (lambda x, y: (x @ y).tanh().sum(), [(2, 3), (3,)]),
    ],
)
def test_gradgradcheck_passes_for_correct_second_derivatives(fn, shapes):
    rng = np.random.default_rng(3)
    inputs = [Tensor(rng.standard_normal(shape), requires_grad=True) for shape in shapes]
    assert autograd.gradgradcheck(fn, inputs)


def test_gradgradcheck_catches_a_backward_whose_own_derivative_is_wrong():
    class DetachedSquare(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 2 * np.asarray(x)  # right first derivative; as a constant, no second

    x = Tensor([1.0, 3.0], requires_grad=True)
    assert gradcheck(DetachedSquare.apply, x)
    with pytest.raises(AssertionError, match=r"gradgradcheck: a second derivative is wrong.*input 0"):
        autograd.gradgradcheck(DetachedSquare.apply, x)


def test_gradgradcheck_with_given_grad_outputs_checks_their_shape():
    x = Tensor([1.0, 2.0], requires_grad=True)
    assert autograd.gradgradcheck(lambda x: x.exp(), x, grad_outputs=np.array([1.0, -2.0]))
    with pytest.raises(ValueError, match=r"grad_outputs has shape \(3,\) but fn's output has shape \(2,\)"):
        autograd.gradgradcheck(lambda x: x.exp(), x, grad_outputs=np.ones(3))


def test_stable_sigmoid_and_tanh_raise_no_overflow_warnings():
    x = Tensor([-1000.0, 1000.0], requires_grad=True)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        s = x.sigmoid()
        t = x.tanh()
        (s + t).sum().backward()
    np.testing.assert_array_equal(s.data, [0.0, 1.0])
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0])


def test_relu_gradient_at_zero_is_zero():
    x = Tensor([0.0, 1.0, -1.0], requires_grad=True)
    x.relu().sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 1.0, 0.0])


def test_max_ties_share_the_gradient_evenly():
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], requires_grad=True)
    x.max(axis=1).sum().backward()
    np.testing.assert_allclose(x.grad.data, [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])


def test_maximum_and_minimum_ties_split_half_and_half():
    a = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = Tensor([2.0, 2.0, 2.0], requires_grad=True)
    autograd.maximum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(b.grad.data, [1.0, 0.5, 0.0])
    a.zero_grad(), b.zero_grad()
    autograd.minimum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [1.0, 0.5, 0.0])


def test_repeated_integer_indices_accumulate():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[np.array([0, 0, 2, 0])].sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 0.0, 1.0])


def test_var_matches_numpy_with_ddof_and_its_closed_form_gradient():
    data = np.array([1.0, 2.0, 4.0, 7.0])
    x = Tensor(data, requires_grad=True)
    assert x.var().item() == pytest.approx(np.var(data))
    assert x.var(ddof=1).item() == pytest.approx(np.var(data, ddof=1))
    x.var(ddof=1).backward()
    np.testing.assert_allclose(x.grad.data, 2 * (data - data.mean()) / 3)


def test_set_grad_enabled_called_alone_sets_the_mode_as_in_pytorch():
    x = Tensor(np.ones(2), requires_grad=True)
    try:
        autograd.set_grad_enabled(False)
        assert not autograd.is_grad_enabled()
        assert not (x * 2).requires_grad
        autograd.set_grad_enabled(True)
        assert (x * 2).requires_grad
    finally:
        autograd.set_grad_enabled(True)


def test_set_grad_enabled_as_a_context_manager_restores_the_mode_before_the_call():
    x = Tensor(np.ones(2), requires_grad=True)
    with autograd.set_grad_enabled(False):
        assert not (x * 2).requires_grad
        with autograd.set_grad_enabled(True):
            assert (x * 2).requires_grad
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()
    with no_grad(), autograd.set_grad_enabled(True):
        assert (x * 2).requires_grad
    assert autograd.is_grad_enabled()


def test_set_grad_enabled_as_a_decorator_applies_inside_the_function_only():
    x = Tensor(np.ones(2), requires_grad=True)

    @autograd.set_grad_enabled(False)
    def double(t):
        return t * 2

    assert autograd.is_grad_enabled()  # decorating did not change the mode
    assert not double(x).requires_grad
    assert autograd.is_grad_enabled()
    assert not double(x).requires_grad  # and again on a second call


def test_hooks_run_with_graph_recording_off_during_a_plain_backward():
    x = Tensor(np.ones(2), requires_grad=True)
    w = Tensor(np.full(2, 3.0), requires_grad=True)
    modes = []
    y = x * 2
    y.register_hook(lambda grad: modes.append(autograd.is_grad_enabled()) or grad * w)
    y.sum().backward()
    assert modes == [False]
    np.testing.assert_allclose(x.grad.data, [6.0, 6.0])


def test_no_grad_in_one_thread_leaves_other_threads_recording_as_in_pytorch():
    inside, done = threading.Event(), threading.Event()
    seen = {}

    def without_grad():
        with no_grad():
            inside.set()
            done.wait(5)
            seen["no_grad thread"] = (Tensor([1.0], requires_grad=True) * 2).requires_grad

    worker = threading.Thread(target=without_grad)
    worker.start()
    inside.wait(5)
    seen["main thread"] = (Tensor([1.0], requires_grad=True) * 2).requires_grad
    done.set()
    worker.join()
    assert seen == {"no_grad thread": False, "main thread": True}


def test_a_no_grad_decorated_function_restores_the_mode_in_each_thread():
    @no_grad()
    def doubled(x, wait):
        wait()
        return x * 2

    first_inside, release = threading.Event(), threading.Event()
    results = {}

    def first():
        results["first"] = doubled(Tensor([1.0], requires_grad=True), lambda: (first_inside.set(), release.wait(5)))
        results["first after"] = autograd.is_grad_enabled()

    worker = threading.Thread(target=first)
    worker.start()
    first_inside.wait(5)
    with no_grad():  # the main thread enters and leaves while the worker is still inside
        results["second"] = doubled(Tensor([1.0], requires_grad=True), lambda: None)
    results["main after"] = autograd.is_grad_enabled()
    release.set()
    worker.join()
    assert not results["first"].requires_grad and not results["second"].requires_grad
    assert results["first after"] and results["main after"]
