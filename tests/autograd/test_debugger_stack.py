"""The README's promise: a breakpoint inside a backward rule shows a stack that reads like the chain rule."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from autograd import Function, Tensor
from autograd.ops import arithmetic, matmul

README = Path(__file__).resolve().parents[2] / "README.md"

pytestmark = pytest.mark.skipif(sys.version_info < (3, 11), reason="frame qualnames (co_qualname) are Python 3.11+")


def stack_inside(monkeypatch, op: type[Function], run) -> list[str]:
    """The qualified names of the frames on the stack while `op.backward` runs during `run()`."""
    seen: list[list[str]] = []
    original = op.backward

    def backward(ctx, grad):
        # The frames from the outermost to this one, as a debugger lists them; the last is the rule itself.
        frame, names = sys._getframe(1), []
        while frame is not None:
            names.append(frame.f_code.co_qualname)
            frame = frame.f_back
        seen.append([*reversed(names), f"{op.__name__}.backward"])
        return original(ctx, grad)

    monkeypatch.setattr(op, "backward", staticmethod(backward))
    run()
    assert seen, f"{op.__name__}.backward never ran"
    return seen[0]


def readme_stack() -> list[str]:
    """The frames the README lists, e.g. `_chain_rule` → `BackwardPass.apply_backward` → `MatMul.backward`."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    match = re.search(r"the stack then reads like the chain rule: (.*?), where", text)
    assert match, "the README no longer describes the debugger stack"
    return [name.strip("` ") for name in re.findall(r"`[\w.]+`", match.group(1)) if not name.endswith(".py`")]


def xor_like_loss():
    X = Tensor(np.array([[0.0, 1.0], [1.0, 0.0]]))
    W = Tensor(np.full((2, 3), 0.5), requires_grad=True)
    return ((X @ W) * Tensor(np.ones(3))).sum()


@pytest.mark.parametrize("op", [matmul.MatMul, arithmetic.Mul])
def test_a_breakpoint_in_a_backward_rule_shows_the_frames_the_readme_lists(monkeypatch, op):
    listed = [name.replace("MatMul", op.__name__) for name in readme_stack()]
    stack = stack_inside(monkeypatch, op, lambda: xor_like_loss().backward())
    assert listed == ["_chain_rule", "BackwardPass.apply_backward", "MatMul.backward".replace("MatMul", op.__name__)]
    # The listed frames are the innermost ones, in this order, with nothing between them.
    assert stack[-len(listed) :] == listed
    assert "Tensor.backward" in stack  # and the user's loss.backward() call is where it starts
