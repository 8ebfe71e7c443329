"""Functions applied element by element: exp, log, sqrt, abs, sign, sin, cos, tanh, sigmoid, relu, clip.
Each backward multiplies the incoming gradient by the local derivative f'(x)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Op
from autograd.ops.backward_math import cos, heaviside, masked, sigmoid, sigmoid_array, sign, sign_array, sin, zeros_like


class Exp(Op):
    """y = e^x;  dy/dx = e^x = y."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        out = np.exp(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad * out


class Log(Op):
    """y = ln x;  dy/dx = 1 / x."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.log(x)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad / x


class Sqrt(Op):
    """y = √x;  dy/dx = 1 / (2√x)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        out = np.sqrt(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad / (2 * out)


class Abs(Op):
    """y = |x|;  dy/dx = sign(x), which is 0 at x = 0 (as in PyTorch)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        # With create_graph, sign(x) is recorded: the second derivative is 0 rather than absent, as in PyTorch.
        return grad * sign(x)


class Sign(Op):
    """y = sign(x), that is -1, 0 or 1 (0 at NaN, as in PyTorch);  dy/dx = 0 (also at x = 0, as in PyTorch)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        return sign_array(x)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return zeros_like(grad)


class Sin(Op):
    """y = sin x;  dy/dx = cos x."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * cos(x)


class Cos(Op):
    """y = cos x;  dy/dx = -sin x."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return -(grad * sin(x))


class Tanh(Op):
    """y = tanh x;  dy/dx = 1 - y²."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        out = np.tanh(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad * (1 - out * out)


class Sigmoid(Op):
    """y = 1 / (1 + e^-x);  dy/dx = y (1 - y)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        out = sigmoid_array(x)  # without overflow for large |x|
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (out,) = ctx.saved_tensors
        return grad * out * (1 - out)


class LogSigmoid(Op):
    """y = ln σ(x) = -ln(1 + e^-x);  dy/dx = 1 - σ(x) = σ(-x)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        # NOTE: min(x, 0) - ln(1 + e^-|x|) is the same function, and e^-|x| never overflows.
        ctx.save_for_backward(x)
        return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        # σ(-x), not 1 - σ(x) = 1 - e^y: for large x that difference rounds to 0 (σ(-700) is 1e-304).
        return grad * sigmoid(-x)


class Relu(Op):
    """y = max(x, 0);  dy/dx = H(x): 1 where x > 0, else 0 (relu'(0) = 0, and 1 at NaN, as in PyTorch).

    NOTE: not `maximum(x, 0)`: that would split the gradient at the tie x = 0.
    """

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.maximum(x, 0)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        # With create_graph, H(x) is recorded: the second derivative is 0 rather than absent, as in PyTorch.
        return masked(grad, heaviside(x))


class Heaviside(Op):
    """y = H(x): 0 where x <= 0, else 1 (the derivative of relu, 1 at NaN as in PyTorch);  dy/dx = 0."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray) -> np.ndarray:
        return heaviside(x).astype(x.dtype)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        return zeros_like(grad)


class Clip(Op):
    """y = min(max(x, lo), hi);  dy/dx = 1 where lo <= x <= hi, else 0 (like `torch.clamp`)."""

    @staticmethod
    def forward(ctx: Function, x: np.ndarray, lo: float | None = None, hi: float | None = None) -> np.ndarray:
        if lo is None and hi is None:
            raise ValueError("clip needs at least one of lo and hi")
        inside = np.ones(x.shape, dtype=bool)
        if lo is not None:
            inside &= x >= lo
        if hi is not None:
            inside &= x <= hi
        ctx.save_for_backward(inside)
        return np.clip(x, lo, hi)

    @staticmethod
    def backward(ctx: Function, grad: Any) -> Any:
        (inside,) = ctx.saved_tensors
        return masked(grad, inside)
