"""Which dtype an operation on mixed inputs computes in."""

from __future__ import annotations

import numpy as np


def promote(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Cast integer and bool inputs to the float dtype of the others, like PyTorch.

    numpy would compute `int64 @ float32` in float64; here an integer input (the blog's
    `X`, labels, masks) takes the float dtype of the parameters, so float32 stays float32.
    """
    if len(arrays) == 2 and arrays[0].dtype == arrays[1].dtype:  # the usual case, checked first
        return arrays
    first = arrays[0].dtype
    if all(array.dtype == first for array in arrays):
        return arrays
    floats = [array.dtype for array in arrays if array.dtype.kind in "fc"]
    if not floats or len(floats) == len(arrays):
        return arrays
    target = np.result_type(*floats)
    return tuple(array if array.dtype.kind in "fc" else array.astype(target) for array in arrays)
