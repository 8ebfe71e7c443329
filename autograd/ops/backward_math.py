"""The math that backward rules share, each function taking numpy arrays or Tensors.

A plain backward pass works on numpy arrays (fast). With `create_graph=True` the same rules
receive Tensors, so the backward pass is itself recorded and can be differentiated again.
Operators (`*`, `/`, `@`, `.reshape`, indexing) already work on both; these cover the rest.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor


def log(x: Any) -> Any:
    """Natural logarithm of an array or a Tensor."""
    return x.log() if isinstance(x, Tensor) else np.log(x)


def exp(x: Any) -> Any:
    """e^x of an array or a Tensor."""
    return x.exp() if isinstance(x, Tensor) else np.exp(x)


def sin(x: Any) -> Any:
    """sin x of an array or a Tensor."""
    return x.sin() if isinstance(x, Tensor) else np.sin(x)


def cos(x: Any) -> Any:
    """cos x of an array or a Tensor."""
    return x.cos() if isinstance(x, Tensor) else np.cos(x)


def sigmoid(x: Any) -> Any:
    """σ(x) = 1 / (1 + e^-x) of an array or a Tensor."""
    return x.sigmoid() if isinstance(x, Tensor) else sigmoid_array(x)


def sigmoid_array(x: np.ndarray) -> np.ndarray:
    """numpy version of `sigmoid`: 1 / (1 + e^-x), computed as PyTorch computes it.

    NOTE: for x < -709, e^-x overflows to inf and 1 / (1 + inf) = 0 is the right limit, so only
    numpy's overflow warning is silenced. Four array passes instead of eight for the exp(-|x|)
    form: 11% of the LSTM benchmark's step.
    """
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def heaviside(x: Any) -> Any:
    """H(x): 0 where x <= 0, else 1 (relu's derivative). Also 1 where x is NaN, as in PyTorch,
    whose relu passes the gradient through NaN. A bool array for numpy (multiplies as 0 and 1)."""
    if isinstance(x, Tensor):
        from autograd.ops.elementwise import Heaviside

        return Heaviside.apply(x)
    return ~(x <= 0)


def masked(grad: Any, keep: Any) -> Any:
    """`grad` where `keep` is true (or nonzero), else exactly 0: the gradient of a selection.

    NOTE: not `grad * keep`: an element that was not selected gets no gradient even where `grad`
    is NaN or infinite (NaN * 0 is NaN), as with PyTorch's masks; so `sqrt(relu(x))` has slope
    0 at x < 0, not NaN. `keep` may be the Python bool True (nothing masked: `grad` itself).
    """
    if keep is True:
        return grad
    if isinstance(grad, Tensor) or isinstance(keep, Tensor):
        from autograd.ops.selection import Masked

        return Masked.apply(grad, keep)
    return np.where(keep, grad, 0.0)  # a float 0: numpy casts an int 0 first, a fifth of the call


def sign(x: Any) -> Any:
    """-1, 0 or 1 by the sign of each element of an array or a Tensor (0 at NaN, as in PyTorch)."""
    if isinstance(x, Tensor):
        from autograd.ops.elementwise import Sign

        return Sign.apply(x)
    return sign_array(x)


def sign_array(x: np.ndarray) -> np.ndarray:
    """numpy version of `sign`: numpy's sign of NaN is NaN, PyTorch's is 0."""
    return np.where(np.isnan(x), 0, np.sign(x)) if x.dtype.kind == "f" else np.sign(x)


def zeros_like(x: Any) -> Any:
    """Zeros of the shape and dtype of an array or a Tensor (a constant: its own derivative is 0)."""
    if isinstance(x, Tensor):
        return Tensor(np.zeros_like(x.data))
    return np.zeros_like(x)


def scatter_add(values: Any, index: Any, shape: tuple[int, ...]) -> Any:
    """Zeros of `shape` with `values` added at `index`: the adjoint of `x[index]`."""
    if isinstance(values, Tensor):
        from autograd.ops.shape import ScatterAdd

        return ScatterAdd.apply(values, index=index, shape=shape)
    return scatter_add_array(values, index, shape)


def scatter_add_array(values: np.ndarray, index: Any, shape: tuple[int, ...]) -> np.ndarray:
    """numpy version of `scatter_add`."""
    out = np.zeros(shape, dtype=values.dtype)
    if _picks_repeatable(index):
        np.add.at(out, index, values)  # an integer array may name the same element twice: add each time
    else:
        out[index] = values
    return out


def _picks_repeatable(index: Any) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(part, np.ndarray) and part.dtype.kind in "iu" for part in parts)
