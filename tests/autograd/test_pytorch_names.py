"""PyTorch's names for devices, dtypes and modes, kept so that PyTorch code runs as written."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor


def test_the_cpu_is_the_only_device_and_others_say_why():
    assert autograd.device("cpu") == "cpu" and str(autograd.device("cpu:0")) == "cpu"
    assert repr(autograd.get_default_device()) == "device(type='cpu')"
    x = autograd.zeros(2, device="cpu")
    assert x.device == autograd.device("cpu") and x.to("cpu") is x and x.cpu() is x
    autograd.set_default_device("cpu")
    with pytest.raises(RuntimeError, match=r"device\('cuda'\): glassgrad runs on the CPU only"):
        autograd.device("cuda")
    with pytest.raises(RuntimeError, match=r"set_default_device: device\('mps'\)"):
        autograd.set_default_device("mps")
    with pytest.raises(RuntimeError, match=r"ones: device\('cuda:0'\): glassgrad runs on the CPU only"):
        autograd.ones(2, device="cuda:0")
    with pytest.raises(RuntimeError, match=r"Tensor\.cuda\(\): glassgrad runs on the CPU only"):
        x.cuda()


def test_no_gpu_and_no_accelerator_is_reported_as_pytorch_reports_it():
    assert autograd.cuda.is_available() is False and autograd.cuda.device_count() == 0
    assert autograd.accelerator.is_available() is False
    assert autograd.accelerator.current_accelerator() is None


def test_pytorch_dtype_names_mean_what_they_mean_in_pytorch():
    assert autograd.float == np.float32 and autograd.double == np.float64
    assert autograd.long == np.int64 and autograd.int == np.int32 and autograd.bool == np.bool_
    x = Tensor([1.5, 2.5], requires_grad=True)
    assert x.float().dtype == np.float32 and x.float().double().dtype == np.float64
    assert x.to(autograd.float16).dtype == np.float16 and x.to(dtype=autograd.float).dtype == np.float32
    x.float().sum().backward()
    assert x.grad.dtype == np.float64  # the gradient is converted back to the leaf's dtype


def test_torch_autograd_names_reach_the_engine_itself():
    assert autograd.autograd is autograd
    assert autograd.autograd.Function is autograd.Function and autograd.autograd.grad is autograd.grad
    assert autograd.autograd.gradgradcheck is autograd.gradgradcheck


def test_inference_mode_false_changes_nothing():
    x = Tensor([1.0], requires_grad=True)
    with autograd.inference_mode(False):
        assert (x * 2).requires_grad
    with autograd.no_grad(), autograd.inference_mode(False):
        assert not (x * 2).requires_grad
