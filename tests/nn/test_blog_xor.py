"""The blog end to end: Sequential(Linear(2,3), ReLU(), Linear(3,1)) learns XOR on integer inputs.

A 2-3-1 ReLU network this small can die (hidden units inactive on every input) or stall at a
plateau (loss 1/3 or 1/2); with the blog's setting (N(0, 0.1) weights, SGD lr 0.01) only 16 of
the seeds 0..29 reach loss < 0.001 within 10,000 steps. The seeds below are the first ten that
do; the test asserts they all still do, so a change that alters the arithmetic shows up here.
"""

from __future__ import annotations

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor
from nn.optim import SGD

X = Tensor(np.array([[0, 0], [0, 1], [1, 0], [1, 1]]))  # integers, as in the blog
Y = Tensor(np.array([0.0, 1.0, 1.0, 0.0]))
CONVERGING_SEEDS = [0, 2, 3, 4, 6, 8, 9, 12, 13, 14]


def train(seed: int, steps: int = 10_000, lr: float = 0.01):
    nn.manual_seed(seed)
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    for p in model.parameters():
        nn.init.normal_(p, 0.0, 0.1)  # the blog's initialisation
    optimizer = SGD(model.parameters(), lr=lr)
    for _ in range(steps):
        loss = 0.5 * F.mse_loss(model(X).reshape(-1), Y, reduction="sum")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if loss.item() < 0.001:
            break
    return model, loss.item()


@pytest.mark.parametrize("seed", CONVERGING_SEEDS)
def test_blog_network_learns_xor(seed):
    model, loss = train(seed)
    assert loss < 0.001
    np.testing.assert_array_equal(np.where(model(X).data > 0.5, 1, 0).ravel(), [0, 1, 1, 0])
