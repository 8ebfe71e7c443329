"""`save` / `load`: a module's state dict as safetensors (PyTorch's layout) or `.npz` (glassgrad's),
read back without ever unpickling: nothing in a file can run."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from autograd import Tensor
from nn.interop import from_torch_state_dict, linear_weight_names, to_torch_state_dict
from nn.module import Module

TRANSPOSED = "glassgrad_transposed"  # metadata: the Linear weights stored in PyTorch's (out, in) layout
ORDER = "glassgrad_order"  # metadata: the state dict's order (safetensors sorts the names)


def save(obj: Module | dict[str, Any], path: str | os.PathLike) -> Path:
    """Write `obj.state_dict()` (or a state dict itself) to exactly `path`.

    A path ending in `.safetensors` gets safetensors in PyTorch's layout (every Linear weight
    transposed), with metadata naming glassgrad and the module's class: `safetensors.torch.load_file`
    reads it into PyTorch. Any other path gets numpy's `.npz`, one array per name, as it is.
    """
    path = Path(path)
    if isinstance(obj, Module):
        state = {name: tensor.data for name, tensor in obj.state_dict().items()}
        owner = type(obj).__name__
    else:
        state = {name: (value.data if isinstance(value, Tensor) else np.asarray(value)) for name, value in obj.items()}
        owner = "state_dict"
    if path.suffix == ".safetensors":
        from safetensors.numpy import save_file

        transposed = linear_weight_names(obj) if isinstance(obj, Module) else []
        arrays = to_torch_state_dict(obj) if isinstance(obj, Module) else _contiguous(state)
        metadata = {"format": "pt", "written_by": "glassgrad", "module": owner}
        metadata |= {TRANSPOSED: json.dumps(transposed), ORDER: json.dumps(list(arrays))}
        save_file(arrays, str(path), metadata=metadata)
        return path
    with open(path, "wb") as file:  # np.savez would append ".npz" to a path without it
        np.savez(file, **state)
    return path


def load(module_or_path: Module | str | os.PathLike, path: str | os.PathLike | None = None) -> Any:
    """`load(module, path)`: load a file written by `save` into `module` (in place) and return it.
    `load(path)`: return the file's state dict (glassgrad's layout), to pass to `load_state_dict`.

    Files are read without unpickling: `.npz` with `allow_pickle=False`, safetensors by its own
    parser, which only ever reads numbers.
    """
    module = module_or_path if isinstance(module_or_path, Module) else None
    path = Path(module_or_path if module is None else path)
    if not path.is_file():
        raise FileNotFoundError(f"nn.load: there is no file at {path}")
    if zipfile.is_zipfile(path):
        state, transposed = _read_npz(path), []
    else:
        state, transposed = _read_safetensors(path)
    if module is None:
        return {name: Tensor(value.T if name in transposed else value) for name, value in state.items()}
    if transposed:  # written from a module: PyTorch's layout
        return from_torch_state_dict(module, state)
    module.load_state_dict(state)
    return module


def _contiguous(state: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {name: np.array(value, order="C") for name, value in state.items()}


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except ValueError as error:
        raise ValueError(
            f"nn.load: {path} holds Python objects (pickled data), which glassgrad never loads because "
            f"unpickling can run code. Save the model again with nn.save. ({error})"
        ) from None


def _read_safetensors(path: Path) -> tuple[dict[str, np.ndarray], list[str]]:
    """The arrays and the names stored transposed, after checking the header ourselves so that a
    damaged file gets a message that says what is wrong with it."""
    from safetensors import safe_open

    size = path.stat().st_size
    with open(path, "rb") as file:
        start = file.read(8)
        if len(start) < 8:
            raise ValueError(f"nn.load: {path} is not a file written by nn.save (too short for .npz or safetensors)")
        header_length = int.from_bytes(start, "little")
        if header_length > size - 8:
            raise ValueError(
                f"nn.load: {path} is not a valid safetensors file: its header claims {header_length} bytes, "
                f"but the file has only {size - 8} after the length"
            )
        try:
            header = json.loads(file.read(header_length))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(
                f"nn.load: {path} is not a file written by nn.save: neither an .npz archive nor safetensors "
                f"(its header is not JSON: {error})"
            ) from None
    data_size = size - 8 - header_length
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype, offsets = entry.get("dtype"), entry.get("data_offsets", [0, 0])
        if dtype not in _SAFETENSORS_DTYPES:
            raise ValueError(f"nn.load: {path}: tensor {name!r} has dtype {dtype!r}, which glassgrad does not read")
        if offsets[1] > data_size or offsets[0] > offsets[1]:
            raise ValueError(
                f"nn.load: {path}: tensor {name!r} claims bytes {offsets[0]}-{offsets[1]} of the data, which has "
                f"only {data_size}: the file is truncated or damaged"
            )
    try:
        with safe_open(str(path), framework="numpy") as file:
            metadata = file.metadata() or {}
            names = file.keys()
            order = [name for name in json.loads(metadata.get(ORDER, "[]")) if name in names]
            state = {name: file.get_tensor(name) for name in order + sorted(set(names) - set(order))}
    except Exception as error:  # safetensors raises its own SafetensorError
        raise ValueError(f"nn.load: {path} is not a valid safetensors file: {error}") from None
    return state, json.loads(metadata.get(TRANSPOSED, "[]"))


_SAFETENSORS_DTYPES = {"F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL"}
