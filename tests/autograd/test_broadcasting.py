"""Summing a gradient back to the shape of an input that forward broadcast (`sum_to`)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.broadcasting import sum_array_to


@st.composite
def broadcast_pairs(draw):
    """A shape, and a shape that broadcasts to it (leading axes dropped, some sizes made 1)."""
    big = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=4)))
    kept = big[draw(st.integers(0, len(big))) :]
    small = tuple(1 if draw(st.booleans()) else size for size in kept)
    return big, small


@given(broadcast_pairs(), st.integers(0, 2**32 - 1))
def test_sum_to_is_the_adjoint_of_broadcasting(pair, seed):
    """<sum_to(g), v> = <g, broadcast(v)> for every g and v: the definition of the gradient of a broadcast."""
    big, small = pair
    rng = np.random.default_rng(seed)
    g, v = rng.normal(size=big), rng.normal(size=small)
    summed = sum_array_to(g, small)
    assert np.shape(summed) == small
    np.testing.assert_allclose(np.sum(summed * v), np.sum(g * np.broadcast_to(v, big)), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("big", "small"), [((4, 3), (2, 3)), ((3,), (2, 3)), ((4, 3), (4, 1, 3)), ((2, 3), (3, 2))])
def test_sum_to_leaves_a_shape_that_does_not_broadcast_visibly_wrong(big, small):
    """The engine then raises a clear error naming the op (tests/autograd/test_function.py); never a silent reshape."""
    assert np.shape(sum_array_to(np.ones(big), small)) != small
