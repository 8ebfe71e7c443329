"""PyTorch's dtype names as numpy dtypes, so that `dtype=torch.float` in PyTorch code works.

As in PyTorch, `float` is float32 and `double` is float64 (glassgrad's own default for Python
floats stays float64, as the contract says).
"""

from __future__ import annotations

import numpy as np

float16 = half = np.dtype(np.float16)
float32 = np.dtype(np.float32)
float64 = double = np.dtype(np.float64)
int8 = np.dtype(np.int8)
int16 = short = np.dtype(np.int16)
int32 = np.dtype(np.int32)
int64 = long = np.dtype(np.int64)
uint8 = np.dtype(np.uint8)
bool_ = np.dtype(np.bool_)  # `autograd.bool`, like `float` (float32) and `int` (int32), is set in __init__
