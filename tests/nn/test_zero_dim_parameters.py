"""0-d parameters (PyTorch's `torch.tensor(1.0)`) behave exactly as shape-(1,) ones, everywhere.

A numpy scalar standing in for a 0-d array is silently wrong: `buffer *= momentum` on a numpy
scalar rebinds a local name instead of changing the stored buffer.
"""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor

OPTIMISERS = {
    "sgd": lambda p: nn.optim.SGD(p, lr=0.1),
    "sgd_momentum": lambda p: nn.optim.SGD(p, lr=0.1, momentum=0.9),
    "sgd_momentum_dampening": lambda p: nn.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.3),
    "sgd_nesterov": lambda p: nn.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    "sgd_weight_decay": lambda p: nn.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.1),
    "adam": lambda p: nn.optim.Adam(p, lr=0.1),
    "adam_weight_decay": lambda p: nn.optim.Adam(p, lr=0.1, weight_decay=0.1),
    "adamw": lambda p: nn.optim.AdamW(p, lr=0.1),
}


def trajectory(shape: tuple[int, ...], make_optimiser, steps: int = 20, scheduler=None) -> list[float]:
    w = nn.Parameter(Tensor(np.full(shape, 1.5)))
    optimiser = make_optimiser([w])
    schedule = scheduler(optimiser) if scheduler else None
    values = []
    for _ in range(steps):
        optimiser.zero_grad()
        loss = (w * w * w - 2 * w).sum()  # d/dw = 3w² - 2: changes every step
        loss.backward()
        optimiser.step()
        if schedule:
            schedule.step()
        assert type(w.data) is np.ndarray and w.data.shape == shape
        assert type(w.grad.data) is np.ndarray and w.grad.data.shape == shape
        values.append(float(w.data.reshape(-1)[0]))
    return values


@pytest.mark.parametrize("name", list(OPTIMISERS))
def test_each_optimiser_moves_a_0d_parameter_exactly_as_a_shape_1_one(name):
    assert trajectory((), OPTIMISERS[name]) == trajectory((1,), OPTIMISERS[name])


def test_sgd_momentum_buffer_of_a_0d_parameter_keeps_changing():
    """The issue's repro: the stored buffer used to stay at the first step's gradient."""
    w = nn.Parameter(Tensor(1.0))
    optimiser = nn.optim.SGD([w], lr=0.1, momentum=0.9)
    buffers = []
    for _ in range(4):
        optimiser.zero_grad()
        (w * w).sum().backward()
        optimiser.step()
        buffers.append(float(optimiser.state[w]["momentum_buffer"]))
    assert len(set(buffers)) == 4
    assert type(optimiser.state[w]["momentum_buffer"]) is np.ndarray


@pytest.mark.parametrize(
    "scheduler",
    [
        lambda o: nn.optim.lr_scheduler.StepLR(o, step_size=5, gamma=0.5),
        lambda o: nn.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10),
    ],
)
def test_schedulers_drive_a_0d_parameter_as_a_shape_1_one(scheduler):
    make = OPTIMISERS["sgd_momentum"]
    assert trajectory((), make, scheduler=scheduler) == trajectory((1,), make, scheduler=scheduler)


def test_every_op_leaves_0d_results_and_gradients_as_arrays():
    x = Tensor(2.0, requires_grad=True)
    results = [x * 3, x + x, x - 1, x / 4, x**2, -x, x.exp(), x.log(), x.sqrt(), x.tanh(), x.sigmoid()]
    results += [x.relu(), x.abs(), x.sum(), x.mean(), x.max(), x.clip(0, 1), x.reshape(()), x.var()]
    for result in results:
        assert type(result.data) is np.ndarray, result.op
    total = sum(results[1:], results[0])
    total.backward()
    assert type(x.grad.data) is np.ndarray and x.grad.shape == ()
    # A second backward accumulates into the 0-d gradient: still an array.
    (x * x).backward()
    assert type(x.grad.data) is np.ndarray


def test_gradients_reaching_a_0d_leaf_along_two_paths_add_up_as_an_array():
    x = Tensor(3.0, requires_grad=True)
    y = x * x + x * 2  # two uses, each a 0-d product: numpy would make them scalars
    y.backward()
    assert type(x.grad.data) is np.ndarray and x.grad.item() == 8.0


def test_assigning_a_numpy_scalar_or_python_number_to_data_keeps_an_array():
    w = Tensor(1.0, requires_grad=True)
    w.data = w.data * 2  # 0-d arithmetic gives a numpy scalar
    assert type(w.data) is np.ndarray and w.data.shape == ()
    w.data = 0.5  # a Python float fed back in, e.g. from .item()
    assert type(w.data) is np.ndarray and w.data.dtype == np.float64
    (w * w).backward()
    assert w.grad.item() == 1.0


def test_item_fed_back_into_a_tensor_gives_the_same_float64_tensor():
    x = Tensor(np.float32(1.25))
    again = Tensor(x.item())
    assert again.dtype == np.float64 and type(again.data) is np.ndarray
    assert Tensor(np.float64(2.0)).data.shape == ()


def test_state_dict_save_and_load_keep_0d_parameters_0d(tmp_path):
    class Scalar(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.a = nn.Parameter(Tensor(1.5))
            self.b = nn.Parameter(Tensor(np.array([2.5])))

    model, other = Scalar(), Scalar()
    other.a.data = np.array(0.0)
    state = model.state_dict()
    assert state["a"].shape == () and type(state["a"].data) is np.ndarray
    other.load_state_dict(state)
    assert other.a.shape == () and other.a.item() == 1.5
    nn.save(model, tmp_path / "scalar.npz")
    third = Scalar()
    third.a.data = np.array(-1.0)
    nn.load(third, tmp_path / "scalar.npz")
    assert type(third.a.data) is np.ndarray and third.a.shape == () and third.a.item() == 1.5


def test_init_functions_fill_a_0d_parameter_in_place():
    w = nn.Parameter(Tensor(1.0))
    nn.init.zeros_(w)
    assert type(w.data) is np.ndarray and w.shape == () and w.item() == 0.0
    nn.init.ones_(w)
    assert w.item() == 1.0
    nn.init.constant_(w, 0.25)
    assert w.item() == 0.25
    nn.manual_seed(0)
    nn.init.normal_(w)
    assert type(w.data) is np.ndarray and w.shape == ()
    nn.init.uniform_(w, -1, 1)
    assert -1 <= w.item() <= 1 and w.shape == ()


def test_a_0d_parameter_optimiser_state_dict_round_trips():
    w = nn.Parameter(Tensor(1.0))
    optimiser = nn.optim.SGD([w], lr=0.1, momentum=0.9)
    (w * w).backward()
    optimiser.step()
    saved = optimiser.state_dict()
    fresh = nn.optim.SGD([w], lr=0.1, momentum=0.9)
    fresh.load_state_dict(saved)
    assert type(fresh.state[w]["momentum_buffer"]) is np.ndarray
    assert float(fresh.state[w]["momentum_buffer"]) == float(optimiser.state[w]["momentum_buffer"])
