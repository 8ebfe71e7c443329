"""Devices, for code written for PyTorch: glassgrad computes with numpy, on the CPU only.

`device("cpu")`, `device=` on the factories, `set_default_device("cpu")` and `Tensor.to("cpu")`
are accepted so that such code runs as written; any other device says why it cannot be used.
"""

from __future__ import annotations

from typing import Any


class device:
    """A place where tensors live; here always the CPU (`device("cpu")`, `device("cpu:0")`)."""

    def __init__(self, type: str | device = "cpu", index: int | None = None) -> None:
        name = type.type if isinstance(type, device) else str(type)
        if name.split(":")[0] != "cpu":
            raise RuntimeError(
                f"device({name!r}): glassgrad runs on the CPU only (its arrays are numpy arrays). "
                "Use device='cpu', or leave the device out; `autograd.cuda.is_available()` is False"
            )
        self.type = "cpu"
        self.index = index

    def __repr__(self) -> str:
        return "device(type='cpu')"

    def __str__(self) -> str:
        return "cpu"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, (device, str)) and str(other).split(":")[0] == "cpu"

    __hash__ = object.__hash__


CPU = device("cpu")


def check_device(where: Any, caller: str) -> None:
    """Accept `None`, "cpu" or a cpu `device`; anything else raises, naming `caller`."""
    if where is None or isinstance(where, device):
        return
    try:
        device(where)
    except RuntimeError as error:
        raise RuntimeError(f"{caller}: {error}") from None


def set_default_device(where: Any) -> None:
    """PyTorch's `torch.set_default_device`: only "cpu" is possible here, so nothing changes."""
    check_device(where, "set_default_device")


def get_default_device() -> device:
    return CPU
