"""The sequence workloads: one SGD step of an LSTM (batch 32, 50 time steps, 8 inputs, hidden 64,
a Linear read-out at every step, mean squared error), in hand-written numpy (the forward pass and
backpropagation through time written out: the floor) and in glassgrad; and one SGD step of
`demos/sort.py`'s transformer (batch 64, dropout off) in glassgrad. PyTorch's versions are in
peers.py, which imports this file from its folder."""

from __future__ import annotations

import numpy as np

LENGTH, BATCH, INPUTS, HIDDEN, LR = 50, 32, 8, 64, 0.01
LSTM_STEPS, SORT_STEPS = 10, 20


def lstm_data(seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Inputs (50, 32, 8), targets (50, 32, 1), and weight_ih (256, 8), weight_hh (256, 64),
    bias_ih, bias_hh (256,), then the read-out's weight (64, 1) and bias (1,)."""
    rng = np.random.default_rng(seed)
    bound = 1 / np.sqrt(HIDDEN)
    shapes = [(4 * HIDDEN, INPUTS), (4 * HIDDEN, HIDDEN), (4 * HIDDEN,), (4 * HIDDEN,), (HIDDEN, 1), (1,)]
    params = [rng.uniform(-bound, bound, shape) for shape in shapes]
    return rng.normal(size=(LENGTH, BATCH, INPUTS)), rng.normal(size=(LENGTH, BATCH, 1)), params


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def lstm_numpy(steps: int = LSTM_STEPS) -> tuple[float, float]:
    from benchmarks.workloads import timed

    x, y, params = lstm_data()
    H = HIDDEN

    def step() -> float:
        W_ih, W_hh, b_ih, b_hh, V, b_v = params
        h, c = np.zeros((BATCH, H)), np.zeros((BATCH, H))
        saved = []
        outputs = np.empty((LENGTH, BATCH, H))
        for t in range(LENGTH):
            gates = x[t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh
            i, f = _sigmoid(gates[:, :H]), _sigmoid(gates[:, H : 2 * H])
            g, o = np.tanh(gates[:, 2 * H : 3 * H]), _sigmoid(gates[:, 3 * H :])
            saved.append((h, c, i, f, g, o))
            c = f * c + i * g
            h = o * np.tanh(c)
            outputs[t] = h
        prediction = outputs @ V + b_v
        loss = ((prediction - y) ** 2).mean()
        grad_prediction = 2 * (prediction - y) / prediction.size
        grad_V = outputs.reshape(-1, H).T @ grad_prediction.reshape(-1, 1)
        grad_b_v = grad_prediction.sum(axis=(0, 1))
        grad_outputs = grad_prediction @ V.T
        grad_W_ih, grad_W_hh, grad_b = np.zeros_like(W_ih), np.zeros_like(W_hh), np.zeros_like(b_ih)
        grad_h, grad_c = np.zeros((BATCH, H)), np.zeros((BATCH, H))
        for t in reversed(range(LENGTH)):
            h_before, c_before, i, f, g, o = saved[t]
            c_now = f * c_before + i * g
            tanh_c = np.tanh(c_now)
            grad_h = grad_h + grad_outputs[t]
            grad_c = grad_c + grad_h * o * (1 - tanh_c**2)
            grad_gates = np.concatenate(
                [
                    grad_c * g * i * (1 - i),
                    grad_c * c_before * f * (1 - f),
                    grad_c * i * (1 - g**2),
                    grad_h * tanh_c * o * (1 - o),
                ],
                axis=1,
            )
            grad_W_ih += grad_gates.T @ x[t]
            grad_W_hh += grad_gates.T @ h_before
            grad_b += grad_gates.sum(axis=0)
            grad_h, grad_c = grad_gates @ W_hh, grad_c * f
        for p, grad in zip(params, [grad_W_ih, grad_W_hh, grad_b, grad_b, grad_V, grad_b_v]):
            p -= LR * grad
        return float(loss)

    return timed(step, steps)


def lstm_glassgrad(steps: int = LSTM_STEPS) -> tuple[float, float]:
    import nn
    from autograd import Tensor
    from benchmarks.workloads import timed

    x, y, params = lstm_data()
    lstm, head = nn.LSTM(INPUTS, HIDDEN), nn.Linear(HIDDEN, 1)
    for parameter, value in zip([*lstm.parameters(), *head.parameters()], params):
        parameter.data[...] = value
    optimizer = nn.optim.SGD([*lstm.parameters(), *head.parameters()], lr=LR)
    inputs, targets = Tensor(x), Tensor(y)

    def step() -> float:
        output, _ = lstm(inputs)
        loss = nn.functional.mse_loss(head(output), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return timed(step, steps)


def sort_batch(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """64 training examples of the sort task: (inputs (64, 11), targets of the sorted half (64·6,))."""
    from demos.sort import LENGTH as DIGITS_LENGTH
    from demos.sort import examples, split

    train_sequences, _ = split(seed)
    inputs, targets = examples(train_sequences[np.random.default_rng(seed).integers(0, len(train_sequences), 64)])
    return inputs, targets[:, DIGITS_LENGTH - 1 :].reshape(-1)


def sort_model(seed: int = 0):
    import nn
    from demos.sort import SortTransformer

    nn.manual_seed(seed)
    return SortTransformer(dropout=0.0)


def sort_glassgrad(steps: int = SORT_STEPS) -> tuple[float, float]:
    import nn
    from autograd import Tensor
    from benchmarks.workloads import timed
    from demos.sort import DIGITS
    from demos.sort import LENGTH as DIGITS_LENGTH

    model = sort_model()
    inputs, targets = sort_batch()
    optimizer = nn.optim.SGD(model.parameters(), lr=LR)
    labels = Tensor(targets)

    def step() -> float:
        logits, _ = model(inputs)
        loss = nn.functional.cross_entropy(logits[:, DIGITS_LENGTH - 1 :].reshape(-1, DIGITS), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return timed(step, steps)
