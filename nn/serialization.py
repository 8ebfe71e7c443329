"""`save` / `load`: a module's state dict as a `.npz` file, read back without ever unpickling."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from nn.module import Module


def save(module: Module, path: str | os.PathLike) -> Path:
    """Write `module.state_dict()` to `path` (numpy's `.npz`: one array per parameter name)."""
    path = Path(path)
    arrays = {name: tensor.data for name, tensor in module.state_dict().items()}
    with open(path, "wb") as file:  # np.savez would append ".npz" to a path without it
        np.savez(file, **arrays)
    return path


def load(module: Module, path: str | os.PathLike) -> Module:
    """Load parameters saved by `save` into `module` (in place) and return it.

    The file is read with `allow_pickle=False`: a file holding Python objects is refused and
    nothing in it runs.
    """
    if not zipfile.is_zipfile(path):
        raise ValueError(f"nn.load: {path} is not a file written by nn.save (an .npz archive)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            state = {name: archive[name] for name in archive.files}
    except ValueError as error:
        raise ValueError(
            f"nn.load: {path} holds Python objects (pickled data), which glassgrad never loads because "
            f"unpickling can run code. Save the model again with nn.save. ({error})"
        ) from None
    module.load_state_dict(state)
    return module
