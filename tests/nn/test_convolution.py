"""The convolution chapter's functions and layers: forward against direct loops, gradients and
second derivatives against finite differences, dtypes, buffers, and errors that teach."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import Tensor, gradcheck
from tests.nn.conv_table import CASES, direct_conv
from tests.nn.second_derivatives import second_derivatives_match

IDS = [case.name for case in CASES]


WITH_LOOPS = [case for case in CASES if case.reference is not None]  # the rest: the PyTorch oracle's


@pytest.mark.parametrize("case", WITH_LOOPS, ids=[case.name for case in WITH_LOOPS])
def test_forward_matches_direct_loops(case):
    arrays = case.inputs()
    np.testing.assert_allclose(case.ours(*map(Tensor, arrays)).data, case.reference(*arrays), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradient_matches_finite_differences(case):
    inputs = [Tensor(a, requires_grad=True) for a in case.inputs(seed=1)]
    assert gradcheck(case.ours, inputs)


SMOOTH = [case for case in CASES if case.smooth]


@pytest.mark.parametrize("case", SMOOTH, ids=[case.name for case in SMOOTH])
def test_second_derivative_matches_finite_differences(case):
    """gradcheck on the first gradient, computed with create_graph=True."""
    assert second_derivatives_match(case.ours, [Tensor(a, requires_grad=True) for a in case.inputs(seed=2)])


def test_max_pool_second_derivative_flows_through_the_arg_max():
    x = Tensor(np.random.default_rng(4).normal(size=(1, 2, 4, 4)), requires_grad=True)

    def first_gradient(x):
        out = F.max_pool2d(x, 2, stride=1)
        return autograd.grad((out * out).sum(), [x], create_graph=True)[0]

    assert gradcheck(first_gradient, [x])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_float32_stays_float32_through_forward_and_backward(case):
    inputs = [Tensor(a.astype(np.float32), requires_grad=True) for a in case.inputs(seed=5)]
    out = case.ours(*inputs)
    assert out.dtype == np.float32
    out.sum().backward()
    assert all(x.grad.dtype == np.float32 for x in inputs)
    reference = case.ours(*map(Tensor, case.inputs(seed=5))).data
    np.testing.assert_allclose(out.data, reference, rtol=1e-4, atol=1e-5)


def test_the_convolution_gradient_has_its_closed_form_on_a_tiny_image():
    # Y = x ⋆ W on a 3×3 image with a 2×2 kernel: dL/dW[p, q] = Σ_ij dL/dY[i, j] x[i + p, j + q]
    # and dL/dx = the kernel pasted at each output position, weighted by dL/dY (a "full" convolution).
    x = Tensor(np.arange(9.0).reshape(1, 1, 3, 3), requires_grad=True)
    w = Tensor(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), requires_grad=True)
    F.conv2d(x, w).sum().backward()
    np.testing.assert_array_equal(w.grad.data[0, 0], [[0 + 1 + 3 + 4, 1 + 2 + 4 + 5], [3 + 4 + 6 + 7, 4 + 5 + 7 + 8]])
    np.testing.assert_array_equal(x.grad.data[0, 0], [[1, 3, 2], [4, 10, 6], [3, 7, 4]])


def test_max_pool_gives_a_tie_to_the_first_largest_element():
    x = Tensor(np.array([[[[1.0, 3.0], [3.0, 0.0]]]]), requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    assert x.grad.data.tolist() == [[[[0.0, 1.0], [0.0, 0.0]]]]


def test_overlapping_max_pool_windows_add_their_gradients():
    x = Tensor(np.array([[[0.0, 5.0, 1.0, 2.0]]]), requires_grad=True)
    F.max_pool1d(x, 2, stride=1).sum().backward()  # windows (0,5) (5,1) (1,2): 5 wins twice
    assert x.grad.data.tolist() == [[[0.0, 2.0, 0.0, 1.0]]]


# ---------------------------------------------------------------------- layers


def test_conv2d_layer_has_pytorch_parameter_shapes_and_bounds():
    nn.manual_seed(0)
    layer = nn.Conv2d(4, 6, (3, 2), groups=2)
    assert layer.weight.shape == (6, 2, 3, 2) and layer.bias.shape == (6,)
    bound = 1 / np.sqrt(2 * 3 * 2)
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    x = np.random.default_rng(0).normal(size=(2, 4, 5, 5))
    expected = direct_conv(x, layer.weight.data, layer.bias.data, groups=2)
    np.testing.assert_allclose(layer(Tensor(x)).data, expected, rtol=1e-12, atol=1e-12)
    assert nn.Conv1d(2, 3, 4, bias=False).weight.shape == (3, 2, 4)


def test_batch_norm_updates_running_statistics_like_pytorch_and_uses_them_in_eval():
    layer = nn.BatchNorm2d(2, momentum=0.25)
    x = np.random.default_rng(1).normal(2.0, 3.0, size=(4, 2, 3, 3))
    layer(Tensor(x))
    mean, unbiased = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3), ddof=1)
    np.testing.assert_allclose(layer.running_mean.data, 0.25 * mean, rtol=1e-12)
    np.testing.assert_allclose(layer.running_var.data, 0.75 + 0.25 * unbiased, rtol=1e-12)
    assert int(layer.num_batches_tracked.data) == 1
    layer.eval()
    expected = (x - layer.running_mean.data[:, None, None]) / np.sqrt(layer.running_var.data[:, None, None] + 1e-5)
    np.testing.assert_allclose(layer(Tensor(x)).data, expected, rtol=1e-12)
    assert int(layer.num_batches_tracked.data) == 1  # eval does not count


def test_batch_norm_with_momentum_none_keeps_the_plain_average_of_batches():
    layer = nn.BatchNorm1d(3, momentum=None)
    batches = [np.random.default_rng(seed).normal(size=(5, 3)) for seed in range(3)]
    for batch in batches:
        layer(Tensor(batch))
    np.testing.assert_allclose(layer.running_mean.data, np.mean([b.mean(axis=0) for b in batches], axis=0), rtol=1e-12)


def test_batch_norm_buffers_are_in_the_state_dict_and_survive_save_and_load(tmp_path):
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))
    model(Tensor(np.random.default_rng(2).normal(size=(3, 1, 5, 5))))
    names = list(model.state_dict())
    assert names == [
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
        "1.running_mean",
        "1.running_var",
        "1.num_batches_tracked",
    ]
    assert [name for name, _ in model.named_buffers()] == ["1.running_mean", "1.running_var", "1.num_batches_tracked"]
    nn.save(model, tmp_path / "model.npz")
    fresh = nn.load(nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2)), tmp_path / "model.npz")
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(fresh.state_dict()[name].data, value.data)
    assert fresh[1].num_batches_tracked.dtype == np.int64


def test_module_to_float32_converts_parameters_and_floating_buffers_only():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2)).float()
    assert all(p.dtype == np.float32 for p in model.parameters())
    assert model[1].running_var.dtype == np.float32 and model[1].num_batches_tracked.dtype == np.int64
    out = model(Tensor(np.ones((2, 1, 4, 4), dtype=np.float32)))
    assert out.dtype == np.float32 and model[1].running_mean.dtype == np.float32


def test_a_network_of_every_layer_is_drawn_as_one_box_per_layer():
    import viz

    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())
    loss = model(Tensor(np.ones((2, 1, 4, 4)))).sum()
    source = viz.to_dot(loss)
    for box in ("0: Conv2d", "1: BatchNorm2d", "2: ReLU", "3: MaxPool2d"):
        assert box in source
    assert "Convolution" in source and "MaxPool" in source


# ---------------------------------------------------------------------- errors that teach


def test_a_three_axis_input_to_conv2d_shows_the_unsqueeze_fix():
    with pytest.raises(ValueError, match=r"Conv2d.*\(N, C, H, W\).*unsqueeze\(0\).*\(1, 3, 8, 8\)"):
        nn.Conv2d(3, 4, 3)(Tensor(np.zeros((3, 8, 8))))


def test_a_channel_mismatch_names_both_channel_counts_and_the_layer():
    with pytest.raises(ValueError, match=r"Conv2d\(3, 4.*2 channels.*in_channels=3"):
        nn.Conv2d(3, 4, 3)(Tensor(np.zeros((1, 2, 8, 8))))
    with pytest.raises(ValueError, match=r"conv2d: the input has 2 channels.*expects 3"):
        F.conv2d(Tensor(np.zeros((1, 2, 8, 8))), Tensor(np.zeros((4, 3, 3, 3))))


def test_an_input_too_small_for_the_kernel_names_size_kernel_padding_and_dilation():
    with pytest.raises(
        ValueError, match=r"spatial size \(4, 4\).*kernel \(3, 3\).*padding \(0, 0\).*dilation \(2, 2\)"
    ):
        F.conv2d(Tensor(np.zeros((1, 1, 4, 4))), Tensor(np.zeros((1, 1, 3, 3))), dilation=2)
    with pytest.raises(ValueError, match=r"max_pool2d.*spatial size \(1, 1\)"):
        F.max_pool2d(Tensor(np.zeros((1, 1, 1, 1))), 2)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: F.conv2d(Tensor(np.zeros((1, 4, 5, 5))), Tensor(np.zeros((3, 2, 3, 3))), groups=2), "groups=2"),
        (
            lambda: F.conv2d(
                Tensor(np.zeros((1, 1, 5, 5))),
                Tensor(np.zeros((1, 1, 3))),
            ),
            "weight must be",
        ),
        (lambda: F.conv2d(Tensor(np.zeros((1, 1, 5, 5))), Tensor(np.zeros((1, 1, 3, 3))), stride=0), "stride"),
        (lambda: F.conv2d(Tensor(np.zeros((1, 1, 5, 5))), Tensor(np.zeros((1, 1, 3, 3))), padding="full"), "padding"),
        (
            lambda: F.conv2d(Tensor(np.zeros((1, 1, 5, 5))), Tensor(np.zeros((1, 1, 3, 3))), stride=2, padding="same"),
            "stride 1",
        ),
        (lambda: F.conv2d(Tensor(np.zeros((1, 1, 5, 5))), Tensor(np.zeros((2, 1, 3, 3))), Tensor(np.zeros(3))), "bias"),
        (lambda: F.max_pool2d(Tensor(np.zeros((1, 1, 5, 5))), 2, padding=2), "at most half"),
        (lambda: F.pad(Tensor(np.zeros((2, 3))), (1, 2, 3)), "even number"),
        (lambda: F.batch_norm(Tensor(np.zeros((1, 3))), None, None, training=True), "more than 1 value per channel"),
        (lambda: F.batch_norm(Tensor(np.zeros((4, 3))), np.zeros(2), np.ones(2)), "3 channels"),
        (lambda: nn.BatchNorm2d(3)(Tensor(np.zeros((4, 3)))), r"\(N, C, H, W\)"),
        (lambda: F.adaptive_avg_pool2d(Tensor(np.zeros((4, 3))), 2), r"\(N, C, H, W\)"),
    ],
)
def test_bad_arguments_are_refused_at_the_call_with_what_to_do(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_mixed_or_integer_dtypes_are_refused_by_name():
    with pytest.raises(TypeError, match=r"conv2d: dtypes differ \(input float32, weight float64\)"):
        F.conv2d(Tensor(np.zeros((1, 1, 3, 3), dtype=np.float32)), Tensor(np.zeros((1, 1, 2, 2))))
    with pytest.raises(TypeError, match="input has dtype int64"):
        F.max_pool2d(Tensor(np.zeros((1, 1, 4, 4), dtype=np.int64)), 2)
