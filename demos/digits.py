"""A real dataset: scikit-learn's 8x8 handwritten digits (shipped inside the package, nothing is
downloaded), classified by an MLP built with `nn` and trained with Adam on shuffled mini-batches.

Writes digits_curves.png (training loss and test accuracy per epoch) and digits_mistakes.png
(the test digits it gets wrong, with the true and predicted labels).

    python -m demos.digits [--seed 0] [--epochs 40] [--out out/digits]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import nn
from autograd import Tensor, no_grad
from demos.common import out_folder, parser
from nn.data import DataLoader, TensorDataset


def load(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Train/test split (80/20, stratified) of the digits, pixels scaled to [0, 1]."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x = digits.images.reshape(len(digits.images), -1) / 16.0
    return train_test_split(x, digits.target, test_size=0.2, random_state=seed, stratify=digits.target)


def accuracy(model: nn.Module, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    model.eval()
    with no_grad():
        predicted = model(Tensor(x)).data.argmax(axis=1)
    model.train()
    return float((predicted == y).mean()), predicted


def train(seed: int = 0, epochs: int = 40, batch_size: int = 32, lr: float = 2e-3, progress: bool = True) -> dict:
    """Train the MLP; returns the curves, the final test accuracy and what the pictures need."""
    from tqdm import tqdm

    x_train, x_test, y_train, y_test = load(seed)
    nn.manual_seed(seed)
    model = nn.Sequential(
        nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10)
    )
    optimizer = nn.optim.Adam(model.parameters(), lr=lr)
    schedule = nn.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    loss_fn = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=True, seed=seed)
    history = {"loss": [], "test_accuracy": []}
    bar = tqdm(range(epochs), desc="digits", unit="epoch", disable=not progress)
    for _ in bar:
        losses = []
        for images, labels in loader:
            loss = loss_fn(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        schedule.step()
        history["loss"].append(float(np.mean(losses)))
        history["test_accuracy"].append(accuracy(model, x_test, y_test)[0])
        bar.set_postfix(loss=f"{history['loss'][-1]:.3f}", test_acc=f"{history['test_accuracy'][-1]:.3f}")
    final, predicted = accuracy(model, x_test, y_test)
    return {"history": history, "accuracy": final, "x_test": x_test, "y_test": y_test, "predicted": predicted}


def plot(result: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    history = result["history"]
    epochs = np.arange(1, len(history["loss"]) + 1)
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    left.plot(epochs, history["loss"], color="#1f5fbf")
    left.set(title="training loss (cross-entropy)", xlabel="epoch", yscale="log")
    right.plot(epochs, history["test_accuracy"], color="#f5a623")
    right.axhline(0.97, color="#999999", linestyle="--", linewidth=1)
    right.set(title=f"test accuracy (final {result['accuracy']:.1%})", xlabel="epoch", ylim=(0.8, 1.0))
    figure.tight_layout()
    curves = out / "digits_curves.png"
    figure.savefig(curves, dpi=110)
    plt.close(figure)

    wrong = np.flatnonzero(result["predicted"] != result["y_test"])[:24]
    columns = 8
    rows = max(1, -(-len(wrong) // columns))
    figure, axes = plt.subplots(rows, columns, figsize=(columns * 1.2, rows * 1.45), squeeze=False)
    for axis in axes.ravel():
        axis.axis("off")
    for axis, index in zip(axes.ravel(), wrong):
        axis.imshow(result["x_test"][index].reshape(8, 8), cmap="gray_r")
        axis.set_title(f"{result['y_test'][index]} → {result['predicted'][index]}", fontsize=9, color="#d0021b")
    figure.suptitle(f"misclassified test digits (true → predicted): {len(wrong)} shown", fontsize=10)
    figure.tight_layout()
    mistakes = out / "digits_mistakes.png"
    figure.savefig(mistakes, dpi=110)
    plt.close(figure)
    return [curves, mistakes]


def main(argv: list[str] | None = None) -> dict:
    command = parser(__doc__, "out/digits")
    command.add_argument("--epochs", type=int, default=40, help="training epochs (default 40)")
    command.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    args = command.parse_args(argv)
    result = train(args.seed, args.epochs, progress=not args.no_progress)
    print(f"test accuracy: {result['accuracy']:.2%} on {len(result['y_test'])} held-out digits")
    for path in plot(result, out_folder(args.out)):
        print(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
