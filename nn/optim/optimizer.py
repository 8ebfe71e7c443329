"""`Optimizer`: what SGD and Adam share: parameter groups, `zero_grad`, state dicts."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import Tensor


class Optimizer:
    """Holds `param_groups` (lists of parameters with their options, e.g. `lr`) and per-parameter state.

    `step()` updates `param.data` in place from `param.grad` and records no graph.
    """

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        self.defaults = defaults
        self.param_groups: list[dict[str, Any]] = []
        for group in groups:
            for p in group["params"]:
                # A frozen parameter (requires_grad=False) is accepted, as in PyTorch: it has no grad, so
                # step() leaves it; unfreezing it later makes it train.
                if not isinstance(p, Tensor):
                    raise TypeError(f"{type(self).__name__} can only optimise Tensors, got {type(p).__name__}: {p!r}")
                if not p.is_leaf:
                    raise ValueError(
                        f"{type(self).__name__} can't optimise a non-leaf Tensor ({p.op} result, shape {p.shape}): "
                        "pass the parameters themselves (model.parameters()), or detach() a computed value and "
                        "make it a leaf with requires_grad_()"
                    )
            self.param_groups.append({**defaults, **group, "params": list(group["params"])})
        self.state: dict[Tensor, dict[str, Any]] = {}

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradient of every parameter."""
        for group in self.param_groups:
            for p in group["params"]:
                p.zero_grad(set_to_none)

    def step(self) -> None:
        raise NotImplementedError

    def _parameters_with_grad(self) -> Iterable[tuple[dict[str, Any], Tensor, np.ndarray]]:
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    yield group, p, p.grad.data

    def state_dict(self) -> dict[str, Any]:
        """The options of each group and each parameter's state (by position), as plain values."""
        positions = {id(p): i for i, p in enumerate(p for g in self.param_groups for p in g["params"])}
        groups = []
        for group in self.param_groups:
            options = {k: v for k, v in group.items() if k != "params"}
            groups.append({**options, "params": [positions[id(p)] for p in group["params"]]})
        state = {positions[id(p)]: copy.deepcopy(s) for p, s in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what `state_dict()` returned (for the same parameters, in the same order)."""
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups) or any(
            len(g["params"]) != len(own["params"]) for g, own in zip(groups, self.param_groups)
        ):
            raise ValueError("load_state_dict: the saved optimiser has a different number of groups or parameters")
        params = [p for g in self.param_groups for p in g["params"]]
        for group, saved in zip(self.param_groups, groups):
            group.update({k: v for k, v in saved.items() if k != "params"})
        self.state = {params[int(i)]: copy.deepcopy(s) for i, s in state_dict["state"].items()}
