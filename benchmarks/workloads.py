"""The benchmark workloads, each written twice: hand-written numpy (the same math with no engine)
and glassgrad. Every workload returns (seconds per step, final loss) so runs can be compared."""

from __future__ import annotations

import functools
import gc
import itertools
import resource
import time
from collections.abc import Callable
from typing import Any

import numpy as np

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
XOR_Y = np.array([0.0, 1.0, 1.0, 0.0])


def xor_parameters(seed: int = 0) -> list[np.ndarray]:
    """The blog's initialisation: N(0, 0.1) for W1 (2x3), b1 (3), W2 (3x1), b2 (1)."""
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 0.1, size) for size in [(2, 3), (3,), (3, 1), (1,)]]


#: Minor page faults per step in the last `timed` loop: each is the kernel handing the process a
#: fresh page of memory, which costs microseconds on a virtual machine and which instruction counts
#: do not see (see "Page faults" in docs/benchmarks.md).
page_faults_per_step = 0.0


def timed(step: Callable[[], float], steps: int, per: int = 1) -> tuple[float, float]:
    """Seconds per step of `steps` steps after one warm-up step, and the last loss; with `per`,
    a step is `per` operations and the time (and page faults) are given per operation."""
    global page_faults_per_step
    loss = step()  # warm-up (first-call costs)
    faults_before = minor_page_faults()
    start = time.perf_counter()
    for _ in range(steps):
        loss = step()
    seconds = (time.perf_counter() - start) / (steps * per)
    page_faults_per_step = (minor_page_faults() - faults_before) / (steps * per)
    return seconds, float(loss)


def minor_page_faults() -> int:
    """Page faults of this process so far that the kernel served without reading from disk."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


# ---------------------------------------------------------------------- blog XOR, 2-3-1, SGD lr 0.01


class BlogLinearLayer:
    """The blog's LinearLayer, as the post writes it (W is input_D x output_D, b is 1 x output_D)."""

    def __init__(self, W: np.ndarray, b: np.ndarray) -> None:
        self._W, self._b = W.copy(), b.reshape(1, -1).copy()

    def forward(self, X: np.ndarray) -> np.ndarray:
        return np.matmul(X, self._W) + self._b

    def backward(self, X: np.ndarray, grad: np.ndarray) -> np.ndarray:
        self._grad_W = np.matmul(X.T, grad)
        self._grad_b = np.matmul(grad.T, np.ones(X.shape[0]))
        return np.matmul(grad, self._W.T)

    def update(self, learn_rate: float) -> None:
        self._W = self._W - self._grad_W * learn_rate
        self._b = self._b - self._grad_b * learn_rate


class BlogRelu:
    """The blog's Relu, with the derivative the post derives (1 where X > 0; its code multiplies by X)."""

    def forward(self, X: np.ndarray) -> np.ndarray:
        return np.where(X < 0, 0, X)

    def backward(self, X: np.ndarray, grad: np.ndarray) -> np.ndarray:
        return np.where(X > 0, 1, 0) * grad


def xor_blog_numpy(steps: int = 3000, lr: float = 0.01) -> tuple[float, float]:
    """The blog's own training loop and layers: the hand-written numpy a learner starts from."""
    W1, b1, W2, b2 = xor_parameters()
    linear1, relu1, linear2 = BlogLinearLayer(W1, b1), BlogRelu(), BlogLinearLayer(W2, b2)
    train_X, train_y = XOR_X, XOR_Y

    def step() -> float:
        o0 = train_X
        a1 = linear1.forward(o0)
        o1 = relu1.forward(a1)
        a2 = linear2.forward(o1)
        y = a2.reshape(a2.shape[0])
        loss = 0.5 * ((y - train_y) ** 2).sum()
        grad = (y - train_y).reshape(y.shape[0], 1)
        grad = linear2.backward(o1, grad)
        grad = relu1.backward(a1, grad)
        linear1.backward(o0, grad)
        linear1.update(lr)
        linear2.update(lr)
        return loss

    return timed(step, steps)


def xor_numpy(steps: int = 3000, lr: float = 0.01) -> tuple[float, float]:
    """The same math as tight as numpy allows (fused, no classes)."""
    W1, b1, W2, b2 = xor_parameters()
    X, Y = XOR_X.astype(np.float64), XOR_Y

    def step() -> float:
        nonlocal W1, b1, W2, b2
        a1 = X @ W1 + b1
        O1 = np.maximum(a1, 0)
        y = (O1 @ W2 + b2).reshape(-1)
        loss = 0.5 * ((y - Y) ** 2).sum()
        grad_y = (y - Y).reshape(-1, 1)
        grad_W2, grad_b2 = O1.T @ grad_y, grad_y.sum(axis=0)
        grad_a1 = (grad_y @ W2.T) * (a1 > 0)
        grad_W1, grad_b1 = X.T @ grad_a1, grad_a1.sum(axis=0)
        W1, b1, W2, b2 = W1 - lr * grad_W1, b1 - lr * grad_b1, W2 - lr * grad_W2, b2 - lr * grad_b2
        return loss

    return timed(step, steps)


def xor_loss(X: Any, Y: Any, W1: Any, b1: Any, W2: Any, b2: Any) -> Any:  # Tensors, or the yardstick's Values
    """The blog's forward pass and loss, written once for every engine whose values have these operators."""
    O1 = (X @ W1 + b1).relu()
    y = (O1 @ W2 + b2).reshape(-1)
    return 0.5 * ((y - Y) ** 2).sum()


def xor_glassgrad(steps: int = 3000, lr: float = 0.01) -> tuple[float, float]:
    from autograd import Tensor, no_grad

    params = [Tensor(p, requires_grad=True) for p in xor_parameters()]
    X, Y = Tensor(XOR_X), Tensor(XOR_Y)

    def step() -> float:
        loss = xor_loss(X, Y, *params)
        for p in params:
            p.grad = None
        loss.backward()
        with no_grad():
            for p in params:
                p.data -= lr * p.grad.data
        return loss.item()

    return timed(step, steps)


# ---------------------------------------------------------------------- a chain of tiny ops


def tiny_ops_numpy(ops: int = 1000, repeats: int = 20) -> tuple[float, float]:
    rng = np.random.default_rng(0)
    x, c = rng.normal(size=8), rng.uniform(0.9, 1.1, size=8)

    def step() -> float:
        y = x
        for _ in range(ops):
            y = y * c
        return float(y.sum())

    return timed(step, repeats, per=ops)


def tiny_ops_glassgrad(ops: int = 1000, repeats: int = 20) -> tuple[float, float]:
    from autograd import Tensor

    rng = np.random.default_rng(0)
    x, c = Tensor(rng.normal(size=8), requires_grad=True), Tensor(rng.uniform(0.9, 1.1, size=8))

    def step() -> float:
        y = x
        for _ in range(ops):
            y = y * c
        loss = y.sum()
        x.grad = None
        loss.backward()
        return loss.item()

    return timed(step, repeats, per=ops)


# ---------------------------------------------------------------------- a long chain of scalar ops


def chain_numpy(length: int = 100_000) -> tuple[float, float]:
    """Forward keeps every intermediate (as an engine must), backward multiplies the local derivatives."""
    factor = np.full(1, 1.000001)

    def step() -> float:
        values = [np.ones(1)]
        for _ in range(length):
            values.append(values[-1] * factor)
        grad = np.ones(1)
        for _ in range(length):
            grad = grad * factor
        return float(values[-1][0])

    return timed(step, 1)


def chain_glassgrad(length: int = 100_000, collector_off: bool = False) -> tuple[float, float]:
    """With `collector_off`, the user's choice of `gc.disable()` around the forward loop (see docs/benchmarks.md)."""
    from autograd import Tensor

    factor = Tensor(np.full(1, 1.000001))

    def step() -> float:
        x = Tensor(np.ones(1), requires_grad=True)
        y = x
        if collector_off:
            gc.disable()
        try:
            for _ in range(length):
                y = y * factor
        finally:
            gc.enable()
        y.sum().backward()
        return float(y.data[0])

    return timed(step, 1)


def chain_glassgrad_collector_off() -> tuple[float, float]:
    return chain_glassgrad(collector_off=True)


def chain_1m_glassgrad() -> tuple[float, float]:
    return chain_glassgrad(1_000_000)


def chain_1m_numpy() -> tuple[float, float]:
    return chain_numpy(1_000_000)


# ---------------------------------------------------------------------- ReLU MLPs with cross-entropy, SGD

#: Each MLP workload: the sizes of its layers, its batch and the steps timed. `mlp` is MNIST-sized
#: (the matrix products dominate); `small_mlp` is the network of demos/digits.py (8x8 digits, a
#: batch of 32), the size of net a learner trains, where what each engine adds per operation shows.
MLP_SHAPES: dict[str, tuple[tuple[int, int, int, int], int, int]] = {
    "mlp": ((784, 256, 256, 10), 128, 30),
    "small_mlp": ((64, 128, 64, 10), 32, 1000),
}


def mlp_data(seed: int = 0, shape: str = "mlp") -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Inputs, labels and the parameters W1, b1, W2, b2, W3, b3 (PyTorch's uniform initialisation)."""
    sizes, batch, _ = MLP_SHAPES[shape]
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, sizes[0]))
    labels = rng.integers(0, sizes[-1], size=batch)
    params = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        bound = 1 / np.sqrt(fan_in)
        params += [rng.uniform(-bound, bound, (fan_in, fan_out)), rng.uniform(-bound, bound, fan_out)]
    return x, labels, params


def mlp_numpy(steps: int | None = None, lr: float = 0.01, shape: str = "mlp") -> tuple[float, float]:
    x, labels, (W1, b1, W2, b2, W3, b3) = mlp_data(shape=shape)
    rows = np.arange(len(labels))

    def step() -> float:
        a1 = x @ W1 + b1
        O1 = np.maximum(a1, 0)
        a2 = O1 @ W2 + b2
        O2 = np.maximum(a2, 0)
        logits = O2 @ W3 + b3
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_probs[rows, labels].mean()
        grad = np.exp(log_probs)
        grad[rows, labels] -= 1
        grad /= len(labels)
        grad_W3, grad_b3 = O2.T @ grad, grad.sum(axis=0)
        grad = (grad @ W3.T) * (a2 > 0)
        grad_W2, grad_b2 = O1.T @ grad, grad.sum(axis=0)
        grad = (grad @ W2.T) * (a1 > 0)
        grad_W1, grad_b1 = x.T @ grad, grad.sum(axis=0)
        for p, g in ((W1, grad_W1), (b1, grad_b1), (W2, grad_W2), (b2, grad_b2), (W3, grad_W3), (b3, grad_b3)):
            p -= lr * g
        return float(loss)

    return timed(step, steps or MLP_SHAPES[shape][2])


def mlp_glassgrad(steps: int | None = None, lr: float = 0.01, shape: str = "mlp") -> tuple[float, float]:
    import nn
    from autograd import Tensor
    from nn.optim import SGD

    x, labels, params = mlp_data(shape=shape)
    n_in, n_hidden1, n_hidden2, n_out = MLP_SHAPES[shape][0]
    model = nn.Sequential(
        nn.Linear(n_in, n_hidden1), nn.ReLU(), nn.Linear(n_hidden1, n_hidden2), nn.ReLU(), nn.Linear(n_hidden2, n_out)
    )
    for parameter, value in zip(model.parameters(), params):
        parameter.data[...] = value
    optimizer = SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    inputs, targets = Tensor(x), Tensor(labels)

    def step() -> float:
        loss = loss_fn(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return timed(step, steps or MLP_SHAPES[shape][2])


# ---------------------------------------------------------------------- drawing a large graph


def to_dot_glassgrad(nodes: int = 10_000) -> tuple[float, float]:
    """`viz.to_dot` on a graph of `nodes` nodes (values and operations); returns the nodes drawn."""
    import viz
    from autograd import Tensor

    x = Tensor(np.ones(3), requires_grad=True, name="x")
    factor = Tensor(np.full(3, 1.0001), name="factor")
    y = x
    for _ in range((nodes - 2) // 2):  # x and factor, then a value node and an operation node per step
        y = y * factor

    def step() -> float:
        source = viz.to_dot(y, max_nodes=nodes, legend=False)
        return sum(1 for line in source.splitlines() if " label=" in line and "->" not in line)

    return timed(step, 3)


WORKLOADS: dict[str, dict[str, Callable[[], tuple[float, float]]]] = {
    "xor": {
        "numpy": xor_blog_numpy,
        "numpy_fused": xor_numpy,
        "glassgrad": xor_glassgrad,
    },
    "tiny_op": {"numpy": tiny_ops_numpy, "glassgrad": tiny_ops_glassgrad},
    "chain_100k": {
        "numpy": chain_numpy,
        "glassgrad": chain_glassgrad,
        "glassgrad_gc_off": chain_glassgrad_collector_off,  # the user's gc.disable() around forward
    },
    "chain_1m": {"numpy": chain_1m_numpy, "glassgrad": chain_1m_glassgrad},
    "mlp": {"numpy": mlp_numpy, "glassgrad": mlp_glassgrad},
    "small_mlp": {
        "numpy": functools.partial(mlp_numpy, shape="small_mlp"),
        "glassgrad": functools.partial(mlp_glassgrad, shape="small_mlp"),
    },
    "to_dot": {"glassgrad": to_dot_glassgrad},  # glassgrad's own pictures: no numpy or peer equivalent
}


def _lenet(engine: str, dtype: type) -> tuple[float, float]:
    from benchmarks import lenet  # imported when run: peers.py imports this file outside the package

    return getattr(lenet, f"lenet_{engine}")(dtype)


WORKLOADS["lenet"] = {engine: functools.partial(_lenet, engine, np.float64) for engine in ("numpy", "glassgrad")}
WORKLOADS["lenet_f32"] = {engine: functools.partial(_lenet, engine, np.float32) for engine in ("numpy", "glassgrad")}


def _sequences(name: str) -> tuple[float, float]:
    from benchmarks import sequences  # imported when run, as lenet

    return getattr(sequences, name)()


WORKLOADS["lstm"] = {engine: functools.partial(_sequences, f"lstm_{engine}") for engine in ("numpy", "glassgrad")}
WORKLOADS["sort_transformer"] = {"glassgrad": functools.partial(_sequences, "sort_glassgrad")}
