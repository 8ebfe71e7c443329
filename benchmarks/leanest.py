"""The leanest eager engine the benchmark workloads can run on: a yardstick, not a library.

One small class, each operation's backward a closure, no checks of any kind: no dtype rules,
no error messages, no grad mode, hooks, anomaly checks or name scopes, and only the
operations and broadcasting cases the XOR step and the chains of multiplications use. What it
costs is about the least any eager Python engine of numpy arrays can cost, so glassgrad's time
against it is what its design and checks cost (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Backward = Callable[[np.ndarray], tuple[np.ndarray, ...]]


class Value:
    __slots__ = ("_backward", "_parents", "data", "grad")

    def __init__(self, data: np.ndarray, parents: tuple[Value, ...] = (), backward: Backward | None = None) -> None:
        self.data, self.grad, self._parents, self._backward = data, None, parents, backward

    def __matmul__(self, other: Value) -> Value:
        return Value(self.data @ other.data, (self, other), lambda g: (g @ other.data.T, self.data.T @ g))

    def __add__(self, other: Value) -> Value:  # other is a bias broadcast over the rows
        return Value(self.data + other.data, (self, other), lambda g: (g, g.sum(axis=0)))

    def __mul__(self, other: Value) -> Value:  # both of the same shape
        return Value(self.data * other.data, (self, other), lambda g: (g * other.data, g * self.data))

    def __sub__(self, other: Value) -> Value:
        return Value(self.data - other.data, (self, other), lambda g: (g, -g))

    def __pow__(self, k: float) -> Value:
        return Value(self.data**k, (self,), lambda g: (g * k * self.data ** (k - 1),))

    def __rmul__(self, k: float) -> Value:
        return Value(k * self.data, (self,), lambda g: (g * k,))

    def relu(self) -> Value:
        return Value(np.maximum(self.data, 0), (self,), lambda g: (g * (self.data > 0),))

    def reshape(self, *shape: int) -> Value:
        return Value(self.data.reshape(shape), (self,), lambda g: (g.reshape(self.data.shape),))

    def sum(self) -> Value:
        return Value(self.data.sum(), (self,), lambda g: (np.full(self.data.shape, g),))

    def backward(self) -> None:
        order, seen, stack = [], set(), [(self, False)]
        while stack:  # depth first: a node goes into `order` after all of its parents
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((parent, False) for parent in node._parents)
        grads = {self: np.ones(())}
        for node in reversed(order):
            grad = grads.pop(node, None)
            if grad is None:
                continue
            if node._backward is None:
                node.grad = grad
                continue
            for parent, parent_grad in zip(node._parents, node._backward(grad)):
                grads[parent] = grads[parent] + parent_grad if parent in grads else parent_grad
