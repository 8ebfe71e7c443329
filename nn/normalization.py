"""Batch normalisation layers: `BatchNorm1d` and `BatchNorm2d`, with running statistics as buffers."""

from __future__ import annotations

import numpy as np

from autograd import Tensor
from nn import functional as F
from nn.module import Module
from nn.parameter import Parameter


class _BatchNorm(Module):
    """y = (x - μ) / √(σ² + eps) · weight + bias for each channel (axis 1).

    In `train()` μ and σ² are the batch's, and the buffers `running_mean`, `running_var` move
    toward them by `momentum` (None: their plain average over every batch so far), counting
    `num_batches_tracked`; in `eval()` the running statistics are used.
    """

    layouts: tuple[int, ...]
    layout_text: str

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1) -> None:
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight = Parameter(np.ones(num_features))
        self.bias = Parameter(np.zeros(num_features))
        self.register_buffer("running_mean", Tensor(np.zeros(num_features)))
        self.register_buffer("running_var", Tensor(np.ones(num_features)))
        self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))

    def forward(self, input: Tensor) -> Tensor:
        input = F.checks.as_tensor(input)
        if input.ndim not in self.layouts or input.shape[1] != self.num_features:
            raise ValueError(
                f"{self!r}: expects input {self.layout_text} with C = {self.num_features} channels, "
                f"got shape {input.shape}"
            )
        momentum = self.momentum
        if self.training:
            self.num_batches_tracked.data[...] += 1
            if momentum is None:  # the cumulative average of every batch statistic so far
                momentum = 1.0 / int(self.num_batches_tracked.data)
        return F.batch_norm(
            input, self.running_mean, self.running_var, self.weight, self.bias, self.training, momentum, self.eps
        )

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"


class BatchNorm1d(_BatchNorm):
    """Batch norm over (N, C) or (N, C, L): statistics per channel C."""

    layouts, layout_text = (2, 3), "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch norm over (N, C, H, W): statistics per channel C, over the batch and every position."""

    layouts, layout_text = (4,), "(N, C, H, W)"


class LayerNorm(Module):
    """y = (x - μ) / √(σ² + eps) · weight + bias over the last axes (`normalized_shape`), for each
    example on its own; `weight` starts at 1 and `bias` at 0, both of shape normalized_shape."""

    def __init__(
        self, normalized_shape: int | tuple[int, ...], eps: float = 1e-5, elementwise_affine: bool = True
    ) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.normalized_shape, self.eps = shape, eps
        self.weight = Parameter(np.ones(shape)) if elementwise_affine else None
        self.bias = Parameter(np.zeros(shape)) if elementwise_affine else None

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.weight is not None}"
