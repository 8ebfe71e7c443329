"""One comparison with PyTorch (float64) as the oracle, shared by the tests that use it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType

import numpy as np

from autograd import Tensor


def assert_matches_pytorch(
    torch: ModuleType,
    ours: Callable,
    theirs: Callable,
    arrays: Sequence[np.ndarray],
    weights: np.ndarray | None = None,
    grad_rtol: float = 1e-12,
) -> None:
    """Same values (to 1e-12) and same gradients of a weighted sum of the output, input by input."""
    tensors = [Tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in arrays]
    torch_tensors = [torch.tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in arrays]
    out, torch_out = ours(*tensors), theirs(*torch_tensors)
    np.testing.assert_allclose(out.data, torch_out.detach().numpy(), rtol=1e-12, atol=1e-12)
    if weights is None:
        weights = np.linspace(0.5, 1.5, out.size).reshape(out.shape)
    (out * weights).sum().backward()
    (torch_out * torch.tensor(weights)).sum().backward()
    for mine, reference in zip(tensors, torch_tensors):
        np.testing.assert_allclose(mine.grad.data, reference.grad.numpy(), rtol=grad_rtol, atol=1e-12)
