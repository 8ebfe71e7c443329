"""Moving models to PyTorch and back: the state dict in PyTorch's layouts.

The names are the same on both sides; only `Linear` differs (the blog's weight is
(in_features, out_features), PyTorch's is (out_features, in_features)), so every `Linear`
weight is transposed, including one inside another module such as `MultiheadAttention.out_proj`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from nn.layers import Linear
from nn.module import Module


def linear_weight_names(module: Module) -> list[str]:
    """The state-dict names of every `Linear` weight in `module` (the ones PyTorch stores transposed)."""
    return [
        f"{name}.weight" if name else "weight" for name, child in module.named_modules() if isinstance(child, Linear)
    ]


def to_torch_state_dict(module: Module) -> dict[str, np.ndarray]:
    """`module.state_dict()` as numpy arrays in PyTorch's layouts, ready for
    `torch_module.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()})`."""
    transposed = set(linear_weight_names(module))
    return {
        name: (value.data.T if name in transposed else value.data).copy(order="C")  # 0-d stays 0-d
        for name, value in module.state_dict().items()
    }


def from_torch_state_dict(module: Module, state: dict[str, Any]) -> Module:
    """Load a PyTorch state dict (torch Tensors or arrays, PyTorch's layouts) into `module` of the
    same architecture, in place; returns it. Missing, unexpected or wrong-shaped keys are errors."""
    transposed = set(linear_weight_names(module))
    arrays = {name: _as_array(value) for name, value in state.items()}
    module.load_state_dict({name: value.T if name in transposed else value for name, value in arrays.items()})
    return module


def _as_array(value: Any) -> np.ndarray:
    if isinstance(value, Tensor):
        return value.data
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch.Tensor, without importing torch
        return value.detach().cpu().numpy()
    return np.asarray(value)
