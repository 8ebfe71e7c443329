"""Hypothesis builds random expression trees over a few inputs; each one is gradchecked."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Tensor, gradcheck

SHAPES = [(3,), (2, 3), (1, 3), (2, 1)]

UNARY = {
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "exp_small": lambda a: (a * 0.3).exp(),
    "square": lambda a: a * a,
    "log_softplus": lambda a: (a.exp() + 1).log(),
    "sqrt_positive": lambda a: (a * a + 1).sqrt(),
    "neg": lambda a: -a,
    "mean_keep": lambda a: a.mean(axis=-1, keepdims=True),
    "sum_keep": lambda a: a.sum(axis=0, keepdims=True),
    "transpose_back": lambda a: a.T.T,
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1),
    "pow": lambda a, b: (a * a + 0.5) ** (b * 0.5),
    # A fixed condition: one computed from the values (a > b) can sit at a tie, where the function
    # jumps and finite differences see a spike (hypothesis found where(x1 > x0 + (x1 - x0), ...)).
    "where": lambda a, b: autograd.where(np.array([True, False, True]), a, b * 2),
}


@st.composite
def expressions(draw, depth=3, unary=tuple(UNARY), binary=tuple(BINARY)):
    """A random expression tree as nested tuples: ("x", i) leaves, (name, child...) nodes."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return ("x", draw(st.integers(0, 2)))
    if draw(st.booleans()):
        return (draw(st.sampled_from(unary)), draw(expressions(depth - 1, unary, binary)))
    left, right = draw(expressions(depth - 1, unary, binary)), draw(expressions(depth - 1, unary, binary))
    return (draw(st.sampled_from(binary)), left, right)


def evaluate(tree, inputs, unary=UNARY, binary=BINARY):
    """The tree's value for these inputs, with the operations named in `unary` and `binary`."""
    if tree[0] == "x":
        return inputs[tree[1]]
    if tree[0] in unary:
        return unary[tree[0]](evaluate(tree[1], inputs, unary, binary))
    return binary[tree[0]](evaluate(tree[1], inputs, unary, binary), evaluate(tree[2], inputs, unary, binary))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tree=expressions(),
    shapes=st.lists(st.sampled_from(SHAPES), min_size=3, max_size=3),
    seed=st.integers(0, 2**16),
)
def test_random_expression_trees_pass_gradcheck(tree, shapes, seed):
    rng = np.random.default_rng(seed)
    inputs = [Tensor(rng.uniform(-1.5, 1.5, size=shape), requires_grad=True) for shape in shapes]

    def fn(*xs):
        out = evaluate(tree, xs)
        # Reduce against fixed weights so every output element matters and the result always needs grad.
        return (out * np.linspace(0.5, 1.5, out.size).reshape(out.shape)).sum() + sum(x.sum() * 0 for x in xs)

    assert gradcheck(fn, inputs)
