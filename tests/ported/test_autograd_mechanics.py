"""Ported from PyTorch's note "Autograd mechanics" (docs/source/notes/autograd.rst) and the API pages
it points to for each mechanism (`torch.no_grad`, `torch.enable_grad`, `torch.set_grad_enabled`,
`torch.inference_mode`, `Tensor.register_hook`): which tensors require grad, freezing part of a
model, the grad modes, evaluation mode, saved tensors, gradients where a function is not
differentiable, backward in several threads, and the order in which hooks and `retain_grad` run;
plus `detach()` as its API page describes it.

What was changed: the imports (`import torch` -> `import autograd as torch`; `nn`, `optim` from
glassgrad's `nn`); where a snippet shows its result as a comment (`# True`) or a REPL line, the
test asserts it. Two snippets cannot run as written, and their tests pin the message that says
what to write instead: `y.grad_fn._saved_self` (PyTorch's C++ internals; here
`grad_fn.saved_tensors`) and the in-place `t.cos_()` on a tensor of the graph (here `t = t.cos()`).
The freezing snippet's `torchvision.models.resnet18` is replaced by a small model with the same
`fc` attribute (torchvision is not part of glassgrad); the lines after it are the original's.
The multithreaded snippet gains one line after "# potential optimizer update": each thread's
gradient is kept for the test to check.
"""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest

import autograd as torch  # the changed imports
import nn
from nn import optim


@pytest.fixture(autouse=True)
def grad_mode_back_on():
    """set_grad_enabled(False) called alone lasts; the next test starts in grad mode all the same."""
    yield
    torch.set_grad_enabled(True)


# ---------------------------------------------------------------------- Excluding subgraphs


def test_an_operation_requires_grad_when_any_input_does():
    x = torch.randn(5, 5)  # requires_grad=False by default
    y = torch.randn(5, 5)  # requires_grad=False by default
    z = torch.randn((5, 5), requires_grad=True)
    a = x + y
    assert a.requires_grad is False
    b = a + z
    assert b.requires_grad is True


class ResNetStandIn(nn.Module):
    """In place of torchvision.models.resnet18: a body and a last layer named fc."""

    def __init__(self):
        super().__init__()
        self.body = nn.Linear(8, 512)
        self.fc = nn.Linear(512, 1000)

    def forward(self, x):
        return self.fc(self.body(x).relu())


def test_freezing_the_base_trains_only_the_replaced_classifier():
    model = ResNetStandIn()
    for param in model.parameters():
        param.requires_grad = False
    # Replace the last fully-connected layer
    # Parameters of newly constructed modules have requires_grad=True by default
    model.fc = nn.Linear(512, 100)

    # Optimize only the classifier
    optimizer = optim.SGD(model.fc.parameters(), lr=1e-2, momentum=0.9)

    body_before, fc_before = model.body.weight.data.copy(), model.fc.weight.data.copy()
    out = model(torch.randn(4, 8))
    assert out.shape == (4, 100) and out.requires_grad
    out.sum().backward()
    optimizer.step()
    assert model.body.weight.grad is None  # no intermediate buffers, no gradient for the frozen base
    np.testing.assert_array_equal(model.body.weight.data, body_before)
    assert not np.array_equal(model.fc.weight.data, fc_before)

    # The module-level spelling of the same freeze: nn.Module.requires_grad_().
    model.requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())


# ---------------------------------------------------------------------- Grad modes


def test_no_grad_as_a_context_manager_and_a_decorator():
    x = torch.tensor([1.0], requires_grad=True)
    with torch.no_grad():
        y = x * 2
    assert y.requires_grad is False

    @torch.no_grad()
    def doubler(x):
        return x * 2

    z = doubler(x)
    assert z.requires_grad is False

    @torch.no_grad
    def tripler(x):
        return x * 3

    z = tripler(x)
    assert z.requires_grad is False


def test_enable_grad_inside_no_grad():
    x = torch.tensor([1.0], requires_grad=True)
    with torch.no_grad():  # noqa: SIM117  (nested as in the original)
        with torch.enable_grad():
            y = x * 2
    assert y.requires_grad is True
    y.backward()
    assert x.grad.tolist() == [2.0]

    @torch.enable_grad()
    def doubler(x):
        return x * 2

    with torch.no_grad():
        z = doubler(x)
    assert z.requires_grad is True


def test_set_grad_enabled_as_a_context_manager_and_a_function():
    x = torch.tensor([1.0], requires_grad=True)
    is_train = False
    with torch.set_grad_enabled(is_train):
        y = x * 2
    assert y.requires_grad is False
    _ = torch.set_grad_enabled(True)
    y = x * 2
    assert y.requires_grad is True
    _ = torch.set_grad_enabled(False)
    y = x * 2
    assert y.requires_grad is False


def test_inference_mode_as_a_context_manager_and_a_decorator():
    x = torch.ones(1, 2, 3, requires_grad=True)
    with torch.inference_mode():
        y = x * x
    assert y.requires_grad is False

    @torch.inference_mode()
    def func(x):
        return x * x

    out = func(x)
    assert out.requires_grad is False

    @torch.inference_mode
    def doubler(x):
        return x * 2

    out = doubler(x)
    assert out.requires_grad is False


def test_evaluation_mode_is_not_a_way_to_disable_gradients():
    model = nn.Sequential(nn.Linear(3, 4), nn.Dropout(0.5), nn.Linear(4, 1))
    x = torch.randn(8, 3)
    model.eval()
    out = model(x)
    assert out.requires_grad  # eval() changes Dropout, not grad mode
    np.testing.assert_array_equal(out.data, model(x).data)  # Dropout is the identity in eval mode
    model.train()
    assert model[1].training


def test_detach_gives_a_tensor_outside_the_graph_that_never_requires_grad():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3).detach()  # Tensor.detach's page: "detached from the current graph"
    assert y.requires_grad is False and y.grad_fn is None and y.is_leaf
    z = y * x  # y enters the next computation as a constant
    z.sum().backward()
    assert x.grad.tolist() == [3.0, 6.0]  # d(y x)/dx = y, with no path back through y
    d = x.detach()
    assert d.data is x.data  # the same values, not a copy ...
    with torch.no_grad():
        d.zero_()
    assert x.tolist() == [1.0, 2.0]  # ... until an in-place update, which gives d a new array (docs/pytorch.md)


# ---------------------------------------------------------------------- Saved tensors


def test_saved_tensors_are_read_with_saved_tensors_not_pytorchs_saved_self():
    x = torch.randn(5, requires_grad=True)
    y = x.pow(2)
    with pytest.raises(AttributeError, match=r"_saved_self.*grad_fn\.saved_tensors.*grad_fn\.inputs"):
        print(x.equal(y.grad_fn._saved_self))  # True in PyTorch
    # glassgrad's way to the same facts: the input is kept as itself, what backward reads as arrays.
    assert y.grad_fn.inputs[0] is x
    assert x.equal(y.grad_fn.saved_tensors[0])

    y = x.exp()
    assert y.equal(y.grad_fn.saved_tensors[0])  # exp saves its result


# ---------------------------------------------------------------------- Non-differentiable points


def test_gradients_where_a_function_is_not_differentiable_follow_the_notes_rules():
    def gradient(f, value):
        t = torch.tensor(value, requires_grad=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            f(t).backward()
        return t.grad.item()

    # Convex at the point: the sub-gradient of minimum norm.
    assert gradient(torch.relu, 0.0) == 0.0
    assert gradient(torch.abs, 0.0) == 0.0
    # Defined: the gradient by continuity, inf for sqrt at 0.
    assert gradient(torch.sqrt, 0.0) == np.inf
    # Not defined: an arbitrary value, NaN for sqrt(-1); log(-1) gives 1/x = -1, as PyTorch's does.
    assert np.isnan(gradient(torch.sqrt, -1.0))
    assert gradient(torch.log, -1.0) == -1.0


# ---------------------------------------------------------------------- Multithreaded autograd


def test_backward_in_several_threads_at_once():
    gradients = []

    # Define a train function to be used in different threads
    def train_fn():
        x = torch.ones(5, 5, requires_grad=True)
        # forward
        y = (x + 3) * (x + 4) * 0.5
        # backward
        y.sum().backward()
        # potential optimizer update
        gradients.append(x.grad)

    # User write their own threading code to drive the train_fn
    threads = []
    for _ in range(10):
        p = threading.Thread(target=train_fn, args=())
        p.start()
        threads.append(p)

    for p in threads:
        p.join()

    assert len(gradients) == 10
    for grad in gradients:  # d/dx of (x + 3)(x + 4)/2 = x + 3.5 = 4.5 at x = 1
        np.testing.assert_array_equal(grad.data, np.full((5, 5), 4.5))


# ---------------------------------------------------------------------- Backward hooks


def test_a_tensor_hook_can_double_the_gradient_and_be_removed():
    v = torch.tensor([0.0, 0.0, 0.0], requires_grad=True)
    h = v.register_hook(lambda grad: grad * 2)  # double the gradient
    v.backward(torch.tensor([1.0, 2.0, 3.0]))
    assert v.grad.tolist() == [2.0, 4.0, 6.0]
    h.remove()  # removes the hook
    v.grad = None
    v.backward(torch.tensor([1.0, 2.0, 3.0]))
    assert v.grad.tolist() == [1.0, 2.0, 3.0]


def test_a_hook_on_a_tensor_passed_as_inputs_to_grad_always_runs():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a = x * 2
    seen = []
    a.register_hook(lambda grad: seen.append(grad.tolist()))
    (grad_a,) = torch.autograd.grad((a * 3).sum(), a)
    assert seen == [[3.0, 3.0]] and grad_a.tolist() == [3.0, 3.0]


def test_tensor_hooks_run_in_registration_order_and_before_retain_grad_fills_grad():
    x = torch.tensor([1.0], requires_grad=True)
    a = x * 5
    a.retain_grad()  # registered first, yet .grad is filled after every hook has run
    log = []
    a.register_hook(lambda g: (log.append(("first", g.item())), g + 1)[1])
    a.register_hook(lambda g: (log.append(("second sees the first's change", g.item())), None)[1])
    (a * 2).sum().backward()
    assert log == [("first", 2.0), ("second sees the first's change", 3.0)]
    assert a.grad.item() == 3.0 and x.grad.item() == 15.0


def test_reading_grad_of_a_non_leaf_warns_unless_retain_grad_was_called():
    x = torch.tensor([1.0], requires_grad=True)
    a = x * 5
    a.sum().backward()
    with pytest.warns(UserWarning, match="retain_grad"):
        assert a.grad is None
    b = x * 5
    b.retain_grad()
    b.sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert b.grad.item() == 1.0 and b.retains_grad


def test_node_hooks_and_in_place_changes_of_a_graph_tensor_say_what_to_write():
    def fn(grad):
        return grad

    t = torch.tensor(1.0, requires_grad=True).sin()
    with pytest.raises(AttributeError, match=r"no in-place cos; write t = t\.cos\(\.\.\.\)"):
        t.cos_()
    t = t.cos()  # glassgrad's way: a new tensor, and the hook registered after the change
    t.register_hook(fn)
    t.backward()
    with pytest.raises(AttributeError, match=r"takes no hooks.*register one on a tensor instead"):
        t.grad_fn.register_hook(lambda grad_inputs, grad_outputs: None)
