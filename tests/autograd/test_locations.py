"""`record_locations()`: where each operation was written, without anomaly mode."""

from __future__ import annotations

import inspect

import numpy as np

import autograd
from autograd import Tensor


def test_operations_record_no_location_by_default():
    x = Tensor(np.ones(2), requires_grad=True)
    assert (x * 2).grad_fn.created_at is None


def test_record_locations_keeps_the_file_and_line_of_the_users_code():
    x = Tensor(np.ones(2), requires_grad=True)
    with autograd.record_locations():
        y, line = x * 2, inspect.currentframe().f_lineno
    assert y.grad_fn.created_at == (__file__, line)
    assert not autograd.is_recording_locations()  # off again after the block


def test_backward_steps_carry_the_recorded_location():
    x = Tensor(2.0, requires_grad=True)
    with autograd.record_locations():
        y = (x * x).exp()
    locations = [step.created_at for step in y.backward_steps()]
    assert [file for file, _ in locations] == [__file__, __file__]
    assert locations[0][1] == locations[1][1]  # both operations were written on one line


def test_detect_anomaly_records_locations_too_and_restores_the_switch():
    x = Tensor(np.ones(2), requires_grad=True)
    with autograd.detect_anomaly():
        assert autograd.is_recording_locations()
        y = x * 2
    assert y.grad_fn.created_at[0] == __file__
    assert not autograd.is_recording_locations()


def test_record_locations_can_be_turned_off_inside_and_works_as_a_decorator():
    @autograd.record_locations()
    def forward(x):
        with autograd.record_locations(False):
            unrecorded = x * 3
        return x * 2, unrecorded

    recorded, unrecorded = forward(Tensor(np.ones(2), requires_grad=True))
    assert recorded.grad_fn.created_at[0] == __file__
    assert unrecorded.grad_fn.created_at is None
