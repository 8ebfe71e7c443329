"""Which dtype an operation on mixed inputs computes in."""

from __future__ import annotations

import functools

import numpy as np


def promote(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cast an integer or bool input to the float dtype of the other, like PyTorch.

    numpy would compute `int64 @ float32` in float64; here an integer input (the blog's
    `X`, labels, masks) takes the float dtype of the parameters, so float32 stays float32.
    """
    x_dtype, y_dtype = x.dtype, y.dtype
    if x_dtype == y_dtype:  # the usual case, checked first: this runs for every binary operation
        return x, y
    target = _float_dtype_for_mixed((x_dtype, y_dtype))
    if target is None:
        return x, y
    return _as_float(x, target), _as_float(y, target)


def promote_all(arrays: list[np.ndarray]) -> list[np.ndarray]:
    """`promote` for any number of inputs (concatenate, stack)."""
    target = _float_dtype_for_mixed(tuple([array.dtype for array in arrays]))
    if target is None:
        return arrays
    return [_as_float(array, target) for array in arrays]


def _as_float(array: np.ndarray, target: np.dtype) -> np.ndarray:
    """`array` itself if it is already floating-point (or complex), else cast to `target`."""
    return array if array.dtype.kind in "fc" else array.astype(target)


@functools.cache  # a handful of dtype combinations occur; np.result_type costs a microsecond
def _float_dtype_for_mixed(dtypes: tuple[np.dtype, ...]) -> np.dtype | None:
    """The dtype non-float inputs are cast to, or None when nothing needs a cast."""
    floats = [dtype for dtype in dtypes if dtype.kind in "fc"]
    if not floats or len(floats) == len(dtypes):
        return None  # all floats (numpy's own promotion), or no float at all
    target = np.result_type(*floats)
    if np.result_type(*dtypes) == target:
        return None  # numpy computes in that dtype anyway (int64 with float64): no copy needed
    return target
