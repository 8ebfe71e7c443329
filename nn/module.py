"""`Module`: the base of every layer. Parameters and sub-modules register themselves on assignment."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from autograd import Tensor, scope
from nn.parameter import Parameter


class Module:
    """Subclass it, assign `Parameter`s and `Module`s as attributes in `__init__`, define `forward`.

    Registration keeps assignment order, so `parameters()` is the same on every run.
    Calling the module runs `forward` inside a name scope, so `viz` can draw it as one box.
    """

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "training", True)

    # ------------------------------------------------------------------ registration

    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"cannot assign {name!r} before Module.__init__() is called (call super().__init__())")
        if name in self._buffers:  # a buffer stays a buffer when a new Tensor is assigned to it
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign {type(value).__name__} as buffer {name!r} (a Tensor or None is needed)")
            self._buffers[name] = value
            object.__setattr__(self, name, value)
            return
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
            if value.name is None or value.auto_named:
                value.name, value.auto_named = name, True
        elif isinstance(value, Module):
            self._modules[name] = value
            object.__setattr__(value, "_name_in_parent", name)
            for child_name, parameter in value.named_parameters():
                if parameter.auto_named:
                    parameter.name = f"{name}.{child_name}"
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        self._buffers.pop(name, None)
        object.__delattr__(self, name)

    def register_parameter(self, name: str, parameter: Parameter | None) -> None:
        """Register `parameter` under `name` (the same as assigning it as an attribute)."""
        setattr(self, name, parameter)

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register a Tensor that is state but not learned (BatchNorm's running statistics): it is in
        `state_dict()` (unless `persistent=False`), saved by `nn.save`, and converted by `to()`."""
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute {name!r} already exists; a buffer needs a name of its own")
        self._buffers[name] = None
        if not persistent:
            self._non_persistent.add(name)
        setattr(self, name, tensor)

    def add_module(self, name: str, module: Module) -> None:
        """Register `module` under `name` (the same as assigning it as an attribute)."""
        setattr(self, name, module)

    # ------------------------------------------------------------------ walking the tree

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) for this module's parameters, then its children's, each once."""
        seen: set[int] = set()
        for module_name, module in self.named_modules(prefix):
            for name, parameter in module._parameters.items():
                if id(parameter) not in seen:
                    seen.add(id(parameter))
                    yield (f"{module_name}.{name}" if module_name else name), parameter

    def parameters(self) -> Iterator[Parameter]:
        """Every parameter of this module and its children, in registration order."""
        for _, parameter in self.named_parameters():
            yield parameter

    def named_buffers(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        """(dotted name, buffer) for this module's buffers, then its children's."""
        for module_name, module in self.named_modules(prefix):
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    yield (f"{module_name}.{name}" if module_name else name), buffer

    def buffers(self) -> Iterator[Tensor]:
        """Every buffer of this module and its children (running statistics and the like)."""
        for _, buffer in self.named_buffers():
            yield buffer

    def named_children(self) -> Iterator[tuple[str, Module]]:
        yield from self._modules.items()

    def children(self) -> Iterator[Module]:
        """The direct sub-modules."""
        yield from self._modules.values()

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for this module and every module below it, depth first."""
        stack: list[tuple[str, Module]] = [(prefix, self)]
        seen: set[int] = set()
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{child}" if name else child, m) for child, m in module._modules.items()]
            stack.extend(reversed(children))

    def get_submodule(self, target: str) -> Module:
        """The module at a dotted name such as "0.conv" ("" is this module), as in PyTorch."""
        module = self
        for part in target.split(".") if target else []:
            if part not in module._modules:
                raise AttributeError(f"{type(module).__name__} has no submodule {part!r} (looking up {target!r})")
            module = module._modules[part]
        return module

    def modules(self) -> Iterator[Module]:
        """This module and every module below it."""
        for _, module in self.named_modules():
            yield module

    # ------------------------------------------------------------------ training helpers

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient."""
        for parameter in self.parameters():
            parameter.zero_grad(set_to_none)

    def train(self, mode: bool = True) -> Module:
        """Set training mode here and below (Dropout is active); returns self."""
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode here and below (Dropout is the identity); returns self."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Set `requires_grad` on every parameter (False freezes them: no gradient, no update); returns self."""
        for parameter in self.parameters():
            parameter.requires_grad_(requires_grad)
        return self

    def state_dict(self) -> dict[str, Tensor]:
        """A copy of every parameter's and persistent buffer's values by dotted name, module by
        module (each one's parameters, then its buffers), in PyTorch's order."""
        return {name: Tensor(tensor.data.copy()) for name, tensor in self._named_state()}

    def _named_state(self) -> Iterator[tuple[str, Tensor]]:
        seen: set[int] = set()
        for module_name, module in self.named_modules():
            prefix = f"{module_name}." if module_name else ""
            for name, parameter in module._parameters.items():
                if id(parameter) not in seen:
                    seen.add(id(parameter))
                    yield prefix + name, parameter
            for name, buffer in module._buffers.items():
                if buffer is not None and name not in module._non_persistent:
                    yield prefix + name, buffer

    def to(self, dtype: Any) -> Module:
        """Convert every floating-point parameter and buffer to `dtype` (in place; returns self), e.g.
        `model.to(np.float32)`. Gradients are dropped; build the optimiser after converting."""
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"{type(self).__name__}.to: expects a floating-point dtype, got {dtype}")
        for tensor in [*self.parameters(), *self.buffers()]:
            if tensor.dtype.kind == "f" and tensor.dtype != dtype:
                tensor.data = tensor.data.astype(dtype)
                tensor.grad = None
        return self

    def float(self) -> Module:
        """`to(np.float32)`."""
        return self.to(np.float32)

    def double(self) -> Module:
        """`to(np.float64)`."""
        return self.to(np.float64)

    def load_state_dict(self, state: dict[str, Any], strict: bool = True) -> None:
        """Copy values into the parameters and buffers (in place). Missing, unexpected or wrong-shaped keys are errors
        (RuntimeError, as in PyTorch); `strict=False` allows missing and unexpected keys."""
        own = dict(self._named_state())
        missing = [name for name in own if name not in state]
        unexpected = [name for name in state if name not in own]
        problems = []
        if strict and missing:
            problems.append(f"missing keys: {', '.join(missing)}")
        if strict and unexpected:
            problems.append(f"unexpected keys: {', '.join(unexpected)}")
        for name in own.keys() & state.keys():
            value = np.asarray(state[name].data if isinstance(state[name], Tensor) else state[name])
            if value.shape != own[name].shape:
                problems.append(f"{name}: shape {value.shape} in the state dict, {own[name].shape} in the model")
        if problems:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}: " + "; ".join(problems))
        for name in own.keys() & state.keys():
            value = state[name].data if isinstance(state[name], Tensor) else state[name]
            own[name].data[...] = value

    # ------------------------------------------------------------------ running

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with scope(self._scope_label()):
            return self.forward(*args, **kwargs)

    def _scope_label(self) -> str:
        """How viz labels this module's box: "0: Linear" inside a parent, else the class name."""
        name = self.__dict__.get("_name_in_parent")
        return f"{name}: {type(self).__name__}" if name is not None else type(self).__name__

    # ------------------------------------------------------------------ printing

    def extra_repr(self) -> str:
        """The text inside this module's parentheses in `repr` (override in layers)."""
        return ""

    def __repr__(self) -> str:
        if not self._modules:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        for name, module in self._modules.items():
            child = repr(module).replace("\n", "\n  ")
            lines.append(f"  ({name}): {child}")
        lines.append(")")
        return "\n".join(lines)
