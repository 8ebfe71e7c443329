"""Layers: Linear, activations (ReLU, GELU, SiLU, ...), Sequential, ModuleList, Flatten, Dropout, Identity."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from autograd import Tensor
from nn import functional as F
from nn import init
from nn.module import Module
from nn.parameter import Parameter


class Linear(Module):
    """y = x @ weight + bias, with `weight` of shape (in_features, out_features), as in the blog.

    Initialised like PyTorch: weight and bias from U(-1/sqrt(in_features), 1/sqrt(in_features)).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        bound = 1 / math.sqrt(in_features) if in_features else 0.0
        self.weight = init.uniform_(Parameter(np.zeros((in_features, out_features))), -bound, bound)
        self.bias = init.uniform_(Parameter(np.zeros(out_features)), -bound, bound) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class ReLU(Module):
    """max(x, 0)."""

    def forward(self, x: Tensor) -> Tensor:
        return x.relu()


class LeakyReLU(Module):
    """x where x > 0, else negative_slope * x."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x: Tensor) -> Tensor:
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Sigmoid(Module):
    """1 / (1 + e^-x)."""

    def forward(self, x: Tensor) -> Tensor:
        return x.sigmoid()


class Tanh(Module):
    """tanh x."""

    def forward(self, x: Tensor) -> Tensor:
        return x.tanh()


class _AlongAxis(Module):
    """A layer that works along one axis (`dim` is PyTorch's name for it)."""

    def __init__(self, axis: int = -1, dim: int | None = None) -> None:
        super().__init__()
        self.axis = axis if dim is None else dim

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class Softmax(_AlongAxis):
    """e^x / Σ e^x along `axis`: probabilities."""

    def forward(self, x: Tensor) -> Tensor:
        return F.softmax(x, axis=self.axis)


class LogSoftmax(_AlongAxis):
    """x - ln Σ e^x along `axis`: log-probabilities, for `NLLLoss`."""

    def forward(self, x: Tensor) -> Tensor:
        return F.log_softmax(x, axis=self.axis)


class Identity(Module):
    """Returns its input."""

    def forward(self, x: Tensor) -> Tensor:
        return x


class GELU(Module):
    """x · Φ(x), Φ the standard normal's CDF (approximate="tanh": PyTorch's tanh form)."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, x: Tensor) -> Tensor:
        return F.gelu(x, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    """x · σ(x)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.silu(x)


class Softplus(Module):
    """(1/β) ln(1 + e^(βx)), linear above `threshold`."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, x: Tensor) -> Tensor:
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Flatten(Module):
    """Keep the first `start_axis` axes and flatten the rest: (N, 8, 8) -> (N, 64)."""

    def __init__(self, start_axis: int = 1) -> None:
        super().__init__()
        self.start_axis = start_axis

    def forward(self, x: Tensor) -> Tensor:
        return x.reshape(*x.shape[: self.start_axis], -1)

    def extra_repr(self) -> str:
        return f"start_axis={self.start_axis}"


class Dropout(Module):
    """In training, zero each element with probability p and scale the rest by 1/(1-p); in eval, identity."""

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"Dropout probability must be in [0, 1), got {p}")
        self.p = p

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout(x, self.p, training=self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class _ModuleSequence(Module):
    """Sub-modules registered as "0", "1", ...: indexable (a slice gives the same kind), iterable, `len`."""

    def append(self, module: Module) -> _ModuleSequence:
        self.add_module(str(len(self)), module)
        return self

    def __getitem__(self, index: int | slice) -> Any:
        modules = list(self._modules.values())
        if isinstance(index, slice):
            return self._of(modules[index])
        return modules[index]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    @classmethod
    def _of(cls, modules: list[Module]) -> _ModuleSequence:
        raise NotImplementedError


class Sequential(_ModuleSequence):
    """Modules applied one after the other; registered as "0", "1", ... Indexable, iterable, `len`."""

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        for module in modules:
            self.append(module)

    def forward(self, x: Any) -> Any:
        for module in self._modules.values():
            x = module(x)
        return x

    @classmethod
    def _of(cls, modules: list[Module]) -> Sequential:
        return cls(*modules)


class ModuleList(_ModuleSequence):
    """A list of modules whose parameters are registered (as "0", "1", ...), for layers made in a loop.

    It has no forward of its own: the module that holds it decides how to call them, as in PyTorch.
    """

    def __init__(self, modules: Iterable[Module] = ()) -> None:
        super().__init__()
        self.extend(modules)

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        for module in modules:
            self.append(module)
        return self

    @classmethod
    def _of(cls, modules: list[Module]) -> ModuleList:
        return cls(modules)
