"""The same workloads in the engines a learner would compare glassgrad with.

Run as a script, never imported by glassgrad: `python benchmarks/peers.py ENGINE WORKLOAD`
prints one JSON line like `benchmarks.run_one`. It imports only numpy, `workloads` (the shared data
and timing, which imports nothing of glassgrad) and the engine, so HIPS autograd (whose import name
is `autograd` too) can run from its own virtual environment. Engines: torch, mygrad, micrograd,
hips (HIPS autograd), dezero (the engine of the book "Deep Learning from Scratch 3").
`python benchmarks/peers.py ENGINE available` exits with status 0 when ENGINE can be imported.
"""

from __future__ import annotations

import functools
import importlib
import json
import resource
import sys
from pathlib import Path

import numpy as np
import workloads as w

LR = 0.01


def chain_of_products(leaf, total, factor, length):
    """The chain workload in an engine whose tensors multiply with `*` and have `.backward()`:
    `leaf(ones)` makes the input that needs a gradient, `total(y)` sums the output."""

    def run():
        y = leaf(np.ones(1))
        for _ in range(length):
            y = y * factor
        total(y).backward()
        return float(y.data[0])

    return w.timed(run, 1)


def tiny_ops(leaf, total, clear_grad, constant=np.asarray):
    """The tiny-op workload in an engine whose tensors multiply with `*` and have `.backward()`:
    1,000 products of 8 numbers and backward, 20 times; seconds per product."""
    rng = np.random.default_rng(0)
    x, c = leaf(rng.normal(size=8)), constant(rng.uniform(0.9, 1.1, size=8))

    def step():
        y = x
        for _ in range(1000):
            y = y * c
        loss = total(y)
        clear_grad(x)
        loss.backward()
        return float(loss.data)

    return w.timed(step, 20, per=1000)


# ---------------------------------------------------------------------- PyTorch (eager, float64, CPU)


def torch_xor():
    import torch

    params = [torch.tensor(p, requires_grad=True) for p in w.xor_parameters()]
    W1, b1, W2, b2 = params
    X, Y = torch.tensor(w.XOR_X, dtype=torch.float64), torch.tensor(w.XOR_Y)

    def step():
        y = ((X @ W1 + b1).relu() @ W2 + b2).reshape(-1)
        loss = 0.5 * ((y - Y) ** 2).sum()
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
        return loss.item()

    return w.timed(step, 3000)


def torch_tiny_op():
    import torch

    def clear_grad(x):
        x.grad = None

    return tiny_ops(functools.partial(torch.tensor, requires_grad=True), torch.sum, clear_grad, torch.tensor)


def torch_chain(length):
    import torch

    leaf = functools.partial(torch.tensor, requires_grad=True)
    return chain_of_products(leaf, torch.sum, torch.full((1,), 1.000001, dtype=torch.float64), length)


def torch_mlp(shape):
    import torch

    torch.set_num_threads(1)
    x, labels, values = w.mlp_data(shape=shape)
    params = [torch.tensor(v, requires_grad=True) for v in values]
    inputs, targets = torch.tensor(x), torch.tensor(labels)

    def step():
        W1, b1, W2, b2, W3, b3 = params
        logits = ((inputs @ W1 + b1).relu() @ W2 + b2).relu() @ W3 + b3
        loss = torch.nn.functional.cross_entropy(logits, targets)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
        return loss.item()

    return w.timed(step, w.MLP_SHAPES[shape][2])


def torch_lenet(dtype):
    """The MNIST demo's LeNet, one SGD step at batch 64, with torch.nn's layers (one thread)."""
    import lenet
    import torch

    torch.set_num_threads(1)
    images, labels, values = lenet.lenet_data(dtype)
    layers = torch.nn
    model = layers.Sequential(
        layers.Conv2d(1, 6, 5, padding=2), layers.ReLU(), layers.MaxPool2d(2),
        layers.Conv2d(6, 16, 5), layers.ReLU(), layers.MaxPool2d(2), layers.Flatten(),
        layers.Linear(400, 120), layers.ReLU(), layers.Linear(120, 84), layers.ReLU(), layers.Linear(84, 10),
    ).to(torch.float64 if dtype == np.float64 else torch.float32)  # fmt: skip
    with torch.no_grad():
        for parameter, value in zip(model.parameters(), values):
            parameter.copy_(torch.from_numpy(value.T if value.ndim == 2 else value))  # Linear: (out, in)
    optimizer = torch.optim.SGD(model.parameters(), lr=lenet.LR)
    inputs, targets = torch.from_numpy(images), torch.from_numpy(labels)

    def step():
        loss = torch.nn.functional.cross_entropy(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return w.timed(step, lenet.STEPS)


def torch_lstm():
    """The LSTM workload with torch.nn.LSTM and a Linear read-out (one thread)."""
    import sequences
    import torch

    torch.set_num_threads(1)
    x, y, values = sequences.lstm_data()
    lstm = torch.nn.LSTM(sequences.INPUTS, sequences.HIDDEN).double()
    head = torch.nn.Linear(sequences.HIDDEN, 1).double()
    with torch.no_grad():
        for parameter, value in zip([*lstm.parameters(), *head.parameters()], values):
            parameter.copy_(torch.from_numpy(value.T if value.shape == (sequences.HIDDEN, 1) else value))
    parameters = [*lstm.parameters(), *head.parameters()]
    optimizer = torch.optim.SGD(parameters, lr=sequences.LR)
    inputs, targets = torch.from_numpy(x), torch.from_numpy(y)

    def step():
        output, _ = lstm(inputs)
        loss = torch.nn.functional.mse_loss(head(output), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return w.timed(step, sequences.LSTM_STEPS)


def torch_sort():
    """demos/sort.py's transformer rebuilt from torch.nn with the same names, loaded with glassgrad's
    initial weights through nn.to_torch_state_dict (glassgrad's folder is appended to sys.path)."""
    import torch

    sys.path.append(str(Path(__file__).resolve().parent.parent))
    import sequences

    import nn

    torch.set_num_threads(1)
    layers = torch.nn

    class Block(layers.Module):
        def __init__(self, width, heads):
            super().__init__()
            self.norm1, self.norm2 = layers.LayerNorm(width), layers.LayerNorm(width)
            self.attention = layers.MultiheadAttention(width, heads, batch_first=True)
            self.mlp = layers.Sequential(
                layers.Linear(width, 4 * width), layers.GELU(), layers.Linear(4 * width, width)
            )

        def forward(self, x, blocked):
            normed = self.norm1(x)
            x = x + self.attention(normed, normed, normed, attn_mask=blocked, need_weights=False)[0]
            return x + self.mlp(self.norm2(x))

    class SortTransformer(layers.Module):
        def __init__(self, width=48, heads=3, depth=3):
            super().__init__()
            self.tokens, self.positions = layers.Embedding(3, width), layers.Embedding(11, width)
            self.blocks = layers.ModuleList([Block(width, heads) for _ in range(depth)])
            self.norm, self.head = layers.LayerNorm(width), layers.Linear(width, 3)

        def forward(self, tokens):
            x = self.tokens(tokens) + self.positions(torch.arange(tokens.shape[1]))
            blocked = torch.triu(torch.ones(tokens.shape[1], tokens.shape[1], dtype=torch.bool), diagonal=1)
            for block in self.blocks:
                x = block(x, blocked)
            return self.head(self.norm(x))

    model = SortTransformer().double()
    model.load_state_dict({k: torch.from_numpy(v) for k, v in nn.to_torch_state_dict(sequences.sort_model()).items()})
    inputs, targets = (torch.from_numpy(a) for a in sequences.sort_batch())
    optimizer = torch.optim.SGD(model.parameters(), lr=sequences.LR)

    def step():
        logits = model(inputs)
        loss = torch.nn.functional.cross_entropy(logits[:, 5:].reshape(-1, 3), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return w.timed(step, sequences.SORT_STEPS)


# ---------------------------------------------------------------------- MyGrad


def mygrad_xor():
    import mygrad as mg

    params = [mg.tensor(p) for p in w.xor_parameters()]
    X, Y = w.XOR_X.astype(float), w.XOR_Y

    def step():
        W1, b1, W2, b2 = params
        y = mg.reshape(mg.matmul(mg.maximum(mg.matmul(X, W1) + b1, 0), W2) + b2, -1)
        loss = 0.5 * mg.sum((y - Y) ** 2)
        loss.backward()
        for i, p in enumerate(params):
            params[i] = mg.tensor(p.data - LR * p.grad)
        return float(loss.data)

    return w.timed(step, 3000)


def mygrad_tiny_op():
    import mygrad as mg

    return tiny_ops(mg.tensor, mg.sum, mg.Tensor.null_grad)


def mygrad_chain(length):
    import mygrad as mg

    return chain_of_products(mg.tensor, mg.sum, np.full(1, 1.000001), length)


def mygrad_mlp(shape):
    import mygrad as mg
    from mygrad.nnet.losses import softmax_crossentropy

    x, labels, values = w.mlp_data(shape=shape)
    params = [mg.tensor(v) for v in values]

    def step():
        W1, b1, W2, b2, W3, b3 = params
        hidden = mg.maximum(mg.matmul(mg.maximum(mg.matmul(x, W1) + b1, 0), W2) + b2, 0)
        loss = softmax_crossentropy(mg.matmul(hidden, W3) + b3, labels)
        loss.backward()
        for i, p in enumerate(params):
            params[i] = mg.tensor(p.data - LR * p.grad)
        return float(loss.data)

    return w.timed(step, w.MLP_SHAPES[shape][2])


# ---------------------------------------------------------------------- micrograd (scalars only)


def micrograd_xor():
    from micrograd.engine import Value

    W1, b1, W2, b2 = ([[Value(v) for v in row] for row in np.atleast_2d(p)] for p in w.xor_parameters())
    params = [v for block in (W1, b1, W2, b2) for row in block for v in row]

    def step():
        loss = Value(0.0)
        for xs, target in zip(w.XOR_X, w.XOR_Y):
            hidden = [(sum((xs[i] * W1[i][j] for i in range(2)), b1[0][j])).relu() for j in range(3)]
            y = sum((hidden[j] * W2[j][0] for j in range(3)), b2[0][0])
            loss = loss + 0.5 * (y - target) ** 2
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= LR * p.grad
        return loss.data

    return w.timed(step, 3000)


def micrograd_tiny_op():
    from micrograd.engine import Value

    sys.setrecursionlimit(10_000)  # micrograd sorts the graph recursively
    rng = np.random.default_rng(0)
    xs, cs = [Value(v) for v in rng.normal(size=8)], [float(v) for v in rng.uniform(0.9, 1.1, size=8)]

    def step():
        ys = list(xs)
        for _ in range(1000):
            ys = [y * c for y, c in zip(ys, cs)]  # one elementwise op on 8 numbers = 8 Values
        loss = sum(ys, Value(0.0))
        for x in xs:
            x.grad = 0.0
        loss.backward()
        return loss.data

    return w.timed(step, 3, per=1000)


def micrograd_chain(length):
    from micrograd.engine import Value

    def run():
        x = Value(1.0)
        y = x
        for _ in range(length):
            y = y * 1.000001
        y.backward()  # recursive topological sort: fails on long chains
        return y.data

    return w.timed(run, 1)


# ---------------------------------------------------------------------- HIPS autograd (functional)


def hips_xor():
    from autograd import grad
    from autograd import numpy as anp

    X, Y = w.XOR_X.astype(float), w.XOR_Y

    def loss_of(params):
        W1, b1, W2, b2 = params
        y = anp.reshape(anp.dot(anp.maximum(anp.dot(X, W1) + b1, 0), W2) + b2, -1)
        return 0.5 * anp.sum((y - Y) ** 2)

    gradient = grad(loss_of)
    params = w.xor_parameters()

    def step():
        nonlocal params
        loss = loss_of(params)
        grads = gradient(params)
        params = [p - LR * g for p, g in zip(params, grads)]
        return float(loss)

    return w.timed(step, 3000)


def hips_tiny_op():
    from autograd import grad
    from autograd import numpy as anp

    rng = np.random.default_rng(0)
    x0, c = rng.normal(size=8), rng.uniform(0.9, 1.1, size=8)

    def loss_of(x):
        y = x
        for _ in range(1000):
            y = y * c
        return anp.sum(y)

    gradient = grad(loss_of)

    def step():
        gradient(x0)
        return float(loss_of(x0))

    return w.timed(step, 20, per=1000)


def hips_chain(length):
    from autograd import grad
    from autograd import numpy as anp

    factor = np.full(1, 1.000001)

    def loss_of(x):
        y = x
        for _ in range(length):
            y = y * factor
        return anp.sum(y)

    return w.timed(lambda: float(grad(loss_of)(np.ones(1))[0] * 0 + loss_of(np.ones(1))), 1)


def hips_mlp(shape):
    from autograd import grad
    from autograd import numpy as anp

    x, labels, params = w.mlp_data(shape=shape)
    rows = np.arange(len(labels))

    def loss_of(params):
        W1, b1, W2, b2, W3, b3 = params
        logits = anp.dot(anp.maximum(anp.dot(anp.maximum(anp.dot(x, W1) + b1, 0), W2) + b2, 0), W3) + b3
        shifted = logits - anp.max(logits, axis=1, keepdims=True)
        log_probs = shifted - anp.log(anp.sum(anp.exp(shifted), axis=1, keepdims=True))
        return -anp.mean(log_probs[rows, labels])

    gradient = grad(loss_of)

    def step():
        nonlocal params
        loss = loss_of(params)
        params = [p - LR * g for p, g in zip(params, gradient(params))]
        return float(loss)

    return w.timed(step, w.MLP_SHAPES[shape][2])


# ---------------------------------------------------------------------- DeZero (Deep Learning from Scratch 3)


def import_dezero():
    """DeZero 0.0.13 (2020) still names `np.int`, which numpy 1.24 removed; it meant the builtin int."""
    if "int" not in vars(np):
        np.int = int
    import dezero
    import dezero.functions as F

    return dezero, F


def dezero_sgd_step(loss, params):
    """Clear the gradients, backward, one SGD step; the loss as a float."""
    for p in params:
        p.cleargrad()
    loss.backward()
    for p in params:
        p.data -= LR * p.grad.data
    return float(loss.data)


def dezero_xor():
    dezero, F = import_dezero()

    params = [dezero.Variable(p) for p in w.xor_parameters()]
    X, Y = w.XOR_X.astype(float), w.XOR_Y

    def step():
        W1, b1, W2, b2 = params
        y = F.reshape(F.matmul(F.relu(F.matmul(X, W1) + b1), W2) + b2, (-1,))
        loss = 0.5 * F.sum((y - Y) ** 2)
        return dezero_sgd_step(loss, params)

    return w.timed(step, 3000)


def dezero_tiny_op():
    dezero, F = import_dezero()

    return tiny_ops(dezero.Variable, F.sum, dezero.Variable.cleargrad)


def dezero_chain(length):
    dezero, F = import_dezero()

    return chain_of_products(dezero.Variable, F.sum, np.full(1, 1.000001), length)


def dezero_mlp(shape):
    dezero, F = import_dezero()

    x, labels, values = w.mlp_data(shape=shape)
    params = [dezero.Variable(v) for v in values]

    def step():
        W1, b1, W2, b2, W3, b3 = params
        hidden = F.relu(F.matmul(F.relu(F.matmul(x, W1) + b1), W2) + b2)
        loss = F.softmax_cross_entropy(F.matmul(hidden, W3) + b3, labels)
        return dezero_sgd_step(loss, params)

    return w.timed(step, w.MLP_SHAPES[shape][2])


def dezero_lenet(dtype):
    """The same step with DeZero's im2col conv2d and pooling (float64: DeZero's own dtype)."""
    dezero, F = import_dezero()
    import lenet

    images, labels, values = lenet.lenet_data(dtype)
    params = [dezero.Variable(v) for v in values]

    def step():
        c1, cb1, c2, cb2, W3, b3, W4, b4, W5, b5 = params
        x = F.pooling(F.relu(F.conv2d(images, c1, cb1, stride=1, pad=2)), 2, 2)
        x = F.pooling(F.relu(F.conv2d(x, c2, cb2, stride=1, pad=0)), 2, 2)
        x = F.reshape(x, (len(images), -1))
        x = F.relu(F.matmul(F.relu(F.matmul(x, W3) + b3), W4) + b4)
        loss = F.softmax_cross_entropy(F.matmul(x, W5) + b5, labels)
        return dezero_sgd_step(loss, params)

    return w.timed(step, lenet.STEPS)


ENGINES = {
    "torch": {
        "xor": torch_xor,
        "tiny_op": torch_tiny_op,
        "chain_100k": lambda: torch_chain(100_000),
        "chain_1m": lambda: torch_chain(1_000_000),
        "mlp": lambda: torch_mlp("mlp"),
        "small_mlp": lambda: torch_mlp("small_mlp"),
        "lenet": lambda: torch_lenet(np.float64),
        "lenet_f32": lambda: torch_lenet(np.float32),
        "lstm": torch_lstm,
        "sort_transformer": torch_sort,
    },
    "mygrad": {
        "xor": mygrad_xor,
        "tiny_op": mygrad_tiny_op,
        "chain_100k": lambda: mygrad_chain(100_000),
        "mlp": lambda: mygrad_mlp("mlp"),
        "small_mlp": lambda: mygrad_mlp("small_mlp"),
    },
    "micrograd": {"xor": micrograd_xor, "tiny_op": micrograd_tiny_op, "chain_100k": lambda: micrograd_chain(100_000)},
    "hips": {
        "xor": hips_xor,
        "tiny_op": hips_tiny_op,
        "chain_100k": lambda: hips_chain(100_000),
        "mlp": lambda: hips_mlp("mlp"),
        "small_mlp": lambda: hips_mlp("small_mlp"),
    },
    "dezero": {
        "xor": dezero_xor,
        "tiny_op": dezero_tiny_op,
        "chain_100k": lambda: dezero_chain(100_000),
        "mlp": lambda: dezero_mlp("mlp"),
        "small_mlp": lambda: dezero_mlp("small_mlp"),
        "lenet": lambda: dezero_lenet(np.float64),
    },
}
IMPORTS = {
    "torch": lambda: importlib.import_module("torch"),
    "mygrad": lambda: importlib.import_module("mygrad"),
    "micrograd": lambda: importlib.import_module("micrograd.engine"),
    "hips": lambda: importlib.import_module("autograd"),
    "dezero": import_dezero,
}


def main(engine: str, workload: str) -> None:
    if workload == "available":
        IMPORTS[engine]()  # raises (exit status 1) when the engine is not installed
        return
    run = ENGINES[engine].get(workload)
    if run is None:
        print(json.dumps({"error": "not applicable"}))
        return
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        seconds, loss = run()
    except RecursionError:
        print(json.dumps({"error": "RecursionError"}))
        return
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    print(json.dumps({"seconds": seconds, "loss": loss, "peak_mb": peak, "page_faults": w.page_faults_per_step}))


if __name__ == "__main__":
    main(*sys.argv[1:])
