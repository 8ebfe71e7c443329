"""An LSTM learns a noisy sine wave (generated, as DeZero's SinCurve) and predicts each next value;
then it is tested on a cosine it never saw. Backpropagation through time is the engine's plain
backward pass through the unrolled graph, truncated every `--bptt` steps by `detach()`.

Writes sine_prediction.png (the prediction against the truth on the held-out cosine).

    python -m demos.sine [--seed 0] [--epochs 30] [--bptt 30] [--hidden 32] [--out out/sine]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import nn
from autograd import Tensor, no_grad
from demos.common import out_folder, parser


def waves(seed: int, points: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """(training series: sin with N(0, 0.05) noise, test series: a clean cos), over 2 periods."""
    x = np.linspace(0, 4 * np.pi, points)
    noise = np.random.default_rng(seed).normal(0, 0.05, size=points)
    return np.sin(x) + noise, np.cos(x)


class NextValue(nn.Module):
    """LSTM(1, hidden) then Linear(hidden, 1): from the values so far, the next one."""

    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.lstm = nn.LSTM(1, hidden)
        self.head = nn.Linear(hidden, 1)

    def forward(self, series: Tensor, state: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, tuple]:
        output, state = self.lstm(series.reshape(-1, 1, 1), state)  # (L, batch 1, 1 feature)
        return self.head(output.reshape(-1, output.shape[-1])).reshape(-1), state


def train(seed: int = 0, epochs: int = 30, bptt: int = 30, hidden: int = 32, lr: float = 5e-3) -> dict:
    """Train on the noisy sine with truncated BPTT; returns the losses, test MSE and the test curve."""
    train_series, test_series = waves(seed)
    nn.manual_seed(seed)
    model = NextValue(hidden)
    optimizer = nn.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        state, total = None, 0.0
        for start in range(0, len(train_series) - 1, bptt):
            chunk = train_series[start : start + bptt + 1]
            prediction, state = model(Tensor(chunk[:-1]), state)
            loss = nn.functional.mse_loss(prediction, Tensor(chunk[1:]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            state = (state[0].detach(), state[1].detach())  # truncate: the next chunk starts from here
            total += loss.item() * (len(chunk) - 1)
        losses.append(total / (len(train_series) - 1))
    with no_grad():
        predicted, _ = model(Tensor(test_series[:-1]))
    test_mse = float(((predicted.data - test_series[1:]) ** 2).mean())
    return {"losses": losses, "test_mse": test_mse, "truth": test_series[1:], "predicted": predicted.data}


def plot(result: dict, out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6))
    left.plot(result["losses"], color="#1f5fbf", marker="o")
    left.set(title="training loss (MSE on the noisy sine)", xlabel="epoch", yscale="log")
    right.plot(result["truth"], color="#999999", linewidth=3, label="cos (never seen)")
    right.plot(result["predicted"], color="#f5a623", linewidth=1.5, label="LSTM's next-value prediction")
    right.set(title=f"held-out cosine: test MSE {result['test_mse']:.4f}", xlabel="step")
    right.legend(loc="lower left", fontsize=8)
    figure.tight_layout()
    path = out / "sine_prediction.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def main(argv: list[str] | None = None) -> dict:
    command = parser(__doc__, "out/sine")
    command.add_argument("--epochs", type=int, default=30, help="passes over the series (default 30)")
    command.add_argument("--bptt", type=int, default=30, help="steps between detach() (default 30)")
    command.add_argument("--hidden", type=int, default=32, help="LSTM hidden size (default 32)")
    args = command.parse_args(argv)
    result = train(args.seed, args.epochs, args.bptt, args.hidden)
    print(f"final training loss {result['losses'][-1]:.5f}; test MSE on the held-out cosine: {result['test_mse']:.5f}")
    print(f"wrote {plot(result, out_folder(args.out))}")
    return result


if __name__ == "__main__":
    main()
