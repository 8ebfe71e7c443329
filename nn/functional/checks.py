"""The argument checks that convolution, pooling and normalisation share: each error names the
function (or layer), the shapes or dtypes it got, and what to do."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from nn.functional.windows import Windows

LAYOUTS = {1: "(N, C, L)", 2: "(N, C, H, W)"}


def as_tensor(value: Any) -> Tensor:
    return value if isinstance(value, Tensor) else Tensor(value)


def check_input(name: str, input: Tensor, dims: int) -> None:
    """Refuse an input without its batch and channel axes, showing the fix."""
    if input.ndim == dims + 2:
        return
    layout = LAYOUTS[dims]
    if input.ndim == dims + 1:
        raise ValueError(
            f"{name}: expects a batch {layout}, got shape {input.shape}. For a single example, add the batch "
            f"axis: input.unsqueeze(0) has shape {(1, *input.shape)}"
        )
    raise ValueError(f"{name}: expects input of shape {layout} ({dims + 2} axes), got shape {input.shape}")


def check_floats(name: str, **tensors: Tensor | None) -> None:
    """Every tensor float32 or float64, and all of one dtype (as PyTorch requires)."""
    given = {key: t.dtype for key, t in tensors.items() if t is not None}
    for key, dtype in given.items():
        if dtype not in (np.float32, np.float64):
            raise TypeError(f"{name}: {key} has dtype {dtype}; it must be float32 or float64 (use .astype(np.float32))")
    if len(set(given.values())) > 1:
        described = ", ".join(f"{key} {dtype}" for key, dtype in given.items())
        raise TypeError(f"{name}: dtypes differ ({described}); convert them to one, e.g. input.astype(weight.dtype)")


def spatial(name: str, argument: str, value: Any, dims: int, smallest: int = 1) -> tuple[int, ...]:
    """An int or a tuple of `dims` ints, each at least `smallest`, as a tuple."""
    values = (value,) * dims if isinstance(value, (int, np.integer)) else tuple(value)
    if len(values) != dims or not all(isinstance(v, (int, np.integer)) and v >= smallest for v in values):
        raise ValueError(f"{name}: {argument} must be an int >= {smallest} or a tuple of {dims} of them, got {value!r}")
    return tuple(int(v) for v in values)


def padding_pairs(
    name: str, padding: Any, kernel: tuple[int, ...], stride: tuple[int, ...], dilation: tuple[int, ...]
) -> tuple[tuple[int, int], ...]:
    """(before, after) zeros for each spatial axis; "same" keeps the size (an odd total puts the
    extra zero after, as PyTorch does) and "valid" adds none."""
    if isinstance(padding, str):
        if padding == "valid":
            return tuple((0, 0) for _ in kernel)
        if padding != "same":
            raise ValueError(f'{name}: padding must be an int, a tuple, "same" or "valid", got {padding!r}')
        if any(s != 1 for s in stride):
            raise ValueError(
                f'{name}: padding="same" needs stride 1 (got stride={stride}); give the padding as numbers'
            )
        totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
        return tuple((total // 2, total - total // 2) for total in totals)
    return tuple((p, p) for p in spatial(name, "padding", padding, len(kernel), smallest=0))


def check_fits(name: str, input: Tensor, windows: Windows) -> None:
    """The (padded) input must hold at least one whole (dilated) kernel."""
    size = tuple(input.shape[2:])
    if min(windows.output_shape(size)) >= 1:
        return
    padding = tuple(before for before, _ in windows.padding)
    needed = tuple(d * (k - 1) + 1 for k, d in zip(windows.kernel, windows.dilation))
    raise ValueError(
        f"{name}: the input's spatial size {size} is too small for kernel {windows.kernel} with padding "
        f"{padding} and dilation {windows.dilation}: a dilated kernel spans {needed}, more than the padded "
        f"input. Use a smaller kernel, more padding, or a larger input"
    )
