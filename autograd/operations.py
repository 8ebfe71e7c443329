"""The operations as module-level functions, as in PyTorch: `autograd.exp(x)`, `autograd.where(c, a, b)`,
`autograd.stack([...])`, ..."""

from __future__ import annotations

from collections.abc import Sequence

from autograd.ops import elementwise, selection, shape
from autograd.ops import matmul as matmul_ops
from autograd.tensor import ArrayLike, Tensor, _pytorch_axis, as_operand


def _tensor(value: ArrayLike) -> Tensor:
    return value if isinstance(value, Tensor) else Tensor(value)


def _pair(a: ArrayLike, b: ArrayLike) -> tuple[Tensor, Tensor]:
    """Both operands as Tensors; a Python number takes the dtype of the other operand."""
    if isinstance(a, Tensor):
        return a, as_operand(b, a)
    if isinstance(b, Tensor):
        return as_operand(a, b), b
    return Tensor(a), Tensor(b)


def exp(x: ArrayLike) -> Tensor:
    """e^x elementwise."""
    return elementwise.Exp.apply(_tensor(x))


def log(x: ArrayLike) -> Tensor:
    """Natural logarithm elementwise."""
    return elementwise.Log.apply(_tensor(x))


def sqrt(x: ArrayLike) -> Tensor:
    """√x elementwise."""
    return elementwise.Sqrt.apply(_tensor(x))


def abs(x: ArrayLike) -> Tensor:
    """|x| elementwise."""
    return elementwise.Abs.apply(_tensor(x))


def sin(x: ArrayLike) -> Tensor:
    """sin x elementwise (like `torch.sin`)."""
    return elementwise.Sin.apply(_tensor(x))


def cos(x: ArrayLike) -> Tensor:
    """cos x elementwise (like `torch.cos`)."""
    return elementwise.Cos.apply(_tensor(x))


def tanh(x: ArrayLike) -> Tensor:
    """Hyperbolic tangent elementwise."""
    return elementwise.Tanh.apply(_tensor(x))


def sigmoid(x: ArrayLike) -> Tensor:
    """1 / (1 + e^-x) elementwise, without overflow."""
    return elementwise.Sigmoid.apply(_tensor(x))


def relu(x: ArrayLike) -> Tensor:
    """max(x, 0) elementwise, relu'(0) = 0."""
    return elementwise.Relu.apply(_tensor(x))


def clip(
    x: ArrayLike,
    lo: float | None = None,
    hi: float | None = None,
    *,
    min: float | None = None,
    max: float | None = None,
) -> Tensor:
    """Limit values to [lo, hi] (`min=`, `max=` as in `torch.clamp(x, min=0.0)`)."""
    return _tensor(x).clip(lo, hi, min=min, max=max)


clamp = clip


def maximum(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Elementwise larger of a and b; ties split the gradient evenly (like `torch.maximum`)."""
    return selection.Maximum.apply(*_pair(a, b))


def minimum(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Elementwise smaller of a and b; ties split the gradient evenly (like `torch.minimum`)."""
    return selection.Minimum.apply(*_pair(a, b))


def where(condition: ArrayLike, a: ArrayLike, b: ArrayLike) -> Tensor:
    """`a` where `condition` is true, else `b`; the gradient goes to the chosen side."""
    return selection.Where.apply(_tensor(condition), *_pair(a, b))


def matmul(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Matrix product `a @ b` (numpy's rules for vectors and batches)."""
    return matmul_ops.MatMul.apply(*_pair(a, b))


def concatenate(tensors: Sequence[ArrayLike], axis: int = 0, *, dim: int | None = None) -> Tensor:
    """Join tensors along an existing axis (`dim` is PyTorch's name for it, as in `torch.cat`)."""
    axis = _axis_or_dim("concatenate", axis, dim)
    return shape.Concatenate.apply(*[_tensor(t) for t in tensors], axis=axis)


def stack(tensors: Sequence[ArrayLike], axis: int = 0, *, dim: int | None = None) -> Tensor:
    """Join tensors of one shape along a new axis (`dim` is PyTorch's name for it)."""
    axis = _axis_or_dim("stack", axis, dim)
    return shape.Stack.apply(*[_tensor(t) for t in tensors], axis=axis)


def _axis_or_dim(op: str, axis: int, dim: int | None) -> int:
    if dim is None:
        return axis
    # axis=0 is the default, so only another value says that axis was given as well as dim.
    return _pytorch_axis(op, axis or None, False, dim, None)[0]


cat = concatenate
