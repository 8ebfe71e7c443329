"""The `lenet` workloads: one SGD step of the MNIST demo's network (batch 64, 28×28 inputs), in
hand-written numpy (im2col and one matrix product per convolution: the floor) and in glassgrad.
The peers' versions (PyTorch, DeZero) are in peers.py, which imports this file from its folder."""

from __future__ import annotations

import numpy as np

BATCH, STEPS, LR = 64, 30, 0.01
#: (out_channels, in_channels, kernel, padding) of the two convolutions, then the Linear sizes.
CONVOLUTIONS = [(6, 1, 5, 2), (16, 6, 5, 0)]
LINEARS = [(400, 120), (120, 84), (84, 10)]


def lenet_data(dtype: type = np.float64, seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Images (64, 1, 28, 28), labels, and the parameters (PyTorch's uniform initialisation):
    conv weights (O, C, 5, 5) and biases, then Linear weights (in, out) and biases."""
    rng = np.random.default_rng(seed)
    images = rng.uniform(0, 1, size=(BATCH, 1, 28, 28)).astype(dtype)
    labels = rng.integers(0, 10, size=BATCH)
    params = []
    for out_channels, in_channels, kernel, _ in CONVOLUTIONS:
        bound = 1 / np.sqrt(in_channels * kernel * kernel)
        params += [
            rng.uniform(-bound, bound, (out_channels, in_channels, kernel, kernel)),
            rng.uniform(-bound, bound, out_channels),
        ]
    for fan_in, fan_out in LINEARS:
        bound = 1 / np.sqrt(fan_in)
        params += [rng.uniform(-bound, bound, (fan_in, fan_out)), rng.uniform(-bound, bound, fan_out)]
    return images, labels, [p.astype(dtype) for p in params]


# ---------------------------------------------------------------------- the numpy floor


def _columns(x: np.ndarray, kernel: int, padding: int) -> np.ndarray:
    """im2col: (N, C, H, W) -> (N, C·k·k, OH·OW)."""
    if padding:
        x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    n, c = x.shape[:2]
    windows = np.lib.stride_tricks.sliding_window_view(x, (kernel, kernel), axis=(2, 3))  # (N, C, OH, OW, k, k)
    return windows.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * kernel * kernel, -1)


def _col2im(grad_columns: np.ndarray, shape: tuple[int, ...], kernel: int, padding: int) -> np.ndarray:
    n, c, h, w = shape
    oh, ow = h + 2 * padding - kernel + 1, w + 2 * padding - kernel + 1
    grad_columns = grad_columns.reshape(n, c, kernel, kernel, oh, ow)
    padded = np.zeros((n, c, h + 2 * padding, w + 2 * padding), dtype=grad_columns.dtype)
    for p in range(kernel):
        for q in range(kernel):
            padded[:, :, p : p + oh, q : q + ow] += grad_columns[:, :, p, q]
    return padded[:, :, padding : padding + h, padding : padding + w]


CORNERS = [(0, 0), (0, 1), (1, 0), (1, 1)]  # the four elements of a 2×2 window, in row-major order


def _pool(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2×2 max pooling, stride 2: the output and which corner (0..3) won each window (the first on a tie)."""
    largest, winner = x[:, :, 0::2, 0::2].copy(), np.zeros(x[:, :, 0::2, 0::2].shape, dtype=np.intp)
    for k, (p, q) in enumerate(CORNERS[1:], start=1):
        candidate = x[:, :, p::2, q::2]
        better = candidate > largest
        np.copyto(largest, candidate, where=better)
        winner[better] = k
    return largest, winner


def _unpool(grad: np.ndarray, winner: np.ndarray) -> np.ndarray:
    n, c, h, w = grad.shape
    out = np.empty((n, c, 2 * h, 2 * w), dtype=grad.dtype)
    for k, (p, q) in enumerate(CORNERS):
        out[:, :, p::2, q::2] = np.where(winner == k, grad, 0.0)
    return out


def lenet_numpy(dtype: type = np.float64, steps: int = STEPS) -> tuple[float, float]:
    from benchmarks.workloads import timed

    images, labels, params = lenet_data(dtype)
    rows = np.arange(BATCH)

    def step() -> float:
        conv_w1, conv_b1, conv_w2, conv_b2, W3, b3, W4, b4, W5, b5 = params
        # forward: conv -> relu -> pool, twice, then three Linear layers
        cols1 = _columns(images, 5, 2)
        a1 = (conv_w1.reshape(6, -1) @ cols1).reshape(BATCH, 6, 28, 28) + conv_b1[:, None, None]
        o1 = np.maximum(a1, 0)
        p1, win1 = _pool(o1)
        cols2 = _columns(p1, 5, 0)
        a2 = (conv_w2.reshape(16, -1) @ cols2).reshape(BATCH, 16, 10, 10) + conv_b2[:, None, None]
        o2 = np.maximum(a2, 0)
        p2, win2 = _pool(o2)
        flat = p2.reshape(BATCH, -1)
        a3 = flat @ W3 + b3
        o3 = np.maximum(a3, 0)
        a4 = o3 @ W4 + b4
        o4 = np.maximum(a4, 0)
        logits = o4 @ W5 + b5
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_probs[rows, labels].mean()
        # backward
        grad = np.exp(log_probs)
        grad[rows, labels] -= 1
        grad /= BATCH
        grads = [o4.T @ grad, grad.sum(axis=0)]
        grad = (grad @ W5.T) * (a4 > 0)
        grads = [o3.T @ grad, grad.sum(axis=0), *grads]
        grad = (grad @ W4.T) * (a3 > 0)
        grads = [flat.T @ grad, grad.sum(axis=0), *grads]
        grad = (grad @ W3.T).reshape(p2.shape)
        grad = _unpool(grad, win2) * (a2 > 0)
        g2 = grad.reshape(BATCH, 16, -1)
        grads = [(g2 @ cols2.transpose(0, 2, 1)).sum(axis=0).reshape(conv_w2.shape), g2.sum(axis=(0, 2)), *grads]
        grad = _col2im(conv_w2.reshape(16, -1).T @ g2, p1.shape, 5, 0)
        grad = _unpool(grad, win1) * (a1 > 0)
        g1 = grad.reshape(BATCH, 6, -1)
        grads = [(g1 @ cols1.transpose(0, 2, 1)).sum(axis=0).reshape(conv_w1.shape), g1.sum(axis=(0, 2)), *grads]
        for p, g in zip(params, grads):
            p -= LR * g
        return float(loss)

    return timed(step, steps)


# ---------------------------------------------------------------------- glassgrad


def lenet_glassgrad(dtype: type = np.float64, steps: int = STEPS) -> tuple[float, float]:
    from autograd import Tensor
    from benchmarks.workloads import timed
    from demos.mnist import lenet
    from nn.functional import cross_entropy
    from nn.optim import SGD

    images, labels, params = lenet_data(dtype)
    model = lenet().to(dtype)
    for parameter, value in zip(model.parameters(), params):
        parameter.data[...] = value
    optimizer = SGD(model.parameters(), lr=LR)
    inputs, targets = Tensor(images), Tensor(labels)

    def step() -> float:
        loss = cross_entropy(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return timed(step, steps)
