"""Two interleaving half-moons (scikit-learn's make_moons): a small tanh MLP learns to separate
them, and the picture a learner wants is written: the learned decision boundary over the data.

    python -m demos.moons [--seed 0] [--steps 600] [--out out/moons]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import nn
from autograd import Tensor, no_grad
from demos.common import out_folder, parser


def train(seed: int = 0, steps: int = 600, lr: float = 0.02) -> dict:
    """Full-batch Adam on binary cross-entropy from logits; returns the data, model and accuracy."""
    from sklearn.datasets import make_moons

    x, y = make_moons(n_samples=300, noise=0.2, random_state=seed)
    nn.manual_seed(seed)
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
    optimizer = nn.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.BCEWithLogitsLoss()
    inputs, targets = Tensor(x), Tensor(y.astype(float))
    losses = []
    for _ in range(steps):
        loss = loss_fn(model(inputs).reshape(-1), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with no_grad():
        predicted = (model(inputs).data.reshape(-1) > 0).astype(int)
    return {"x": x, "y": y, "model": model, "accuracy": float((predicted == y).mean()), "losses": losses}


def plot(result: dict, out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x, y = result["x"], result["y"]
    xs = np.linspace(x[:, 0].min() - 0.5, x[:, 0].max() + 0.5, 200)
    ys = np.linspace(x[:, 1].min() - 0.5, x[:, 1].max() + 0.5, 200)
    grid_x, grid_y = np.meshgrid(xs, ys)
    with no_grad():
        logits = result["model"](Tensor(np.column_stack([grid_x.ravel(), grid_y.ravel()]))).data
    probability = 1 / (1 + np.exp(-logits.reshape(grid_x.shape)))
    figure, axis = plt.subplots(figsize=(6, 4.6))
    axis.contourf(grid_x, grid_y, probability, levels=20, cmap="RdBu", alpha=0.6)
    axis.contour(grid_x, grid_y, probability, levels=[0.5], colors="black", linewidths=1.5)
    axis.scatter(x[:, 0], x[:, 1], c=y, cmap="RdBu", edgecolors="black", linewidths=0.5, s=18)
    axis.set(title=f"learned decision boundary (training accuracy {result['accuracy']:.1%})", xticks=[], yticks=[])
    figure.tight_layout()
    path = out / "moons_boundary.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def main(argv: list[str] | None = None) -> dict:
    command = parser(__doc__, "out/moons")
    command.add_argument("--steps", type=int, default=600, help="training steps (default 600)")
    args = command.parse_args(argv)
    result = train(args.seed, args.steps)
    print(f"final loss {result['losses'][-1]:.4f}, training accuracy {result['accuracy']:.1%}")
    print(f"wrote {plot(result, out_folder(args.out))}")
    return result


if __name__ == "__main__":
    main()
