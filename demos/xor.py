"""The blog's XOR network, trained with glassgrad: 2-3-1, ReLU, loss 0.5*sum((y-ŷ)²), SGD lr 0.01.

python -m demos.xor [--seed N] [--steps N] [--out DIR]
"""

from __future__ import annotations

import argparse

import numpy as np

from autograd import Tensor, no_grad

train_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
train_y = np.array([0.0, 1.0, 1.0, 0.0])


def train(seed: int = 0, steps: int = 10_000, lr: float = 0.01, verbose: bool = True) -> tuple[np.ndarray, int]:
    """Train until the loss is below 0.001 (or `steps` run out); return predictions and steps taken."""
    rng = np.random.default_rng(seed)
    W1 = Tensor(rng.normal(0, 0.1, (2, 3)), requires_grad=True, name="W1")  # the blog: N(0, 0.1), never all 0
    b1 = Tensor(rng.normal(0, 0.1, 3), requires_grad=True, name="b1")
    W2 = Tensor(rng.normal(0, 0.1, (3, 1)), requires_grad=True, name="W2")
    b2 = Tensor(rng.normal(0, 0.1, 1), requires_grad=True, name="b2")
    params = [W1, b1, W2, b2]
    O0, target = Tensor(train_X, name="O0"), Tensor(train_y)

    for i in range(steps):
        a1 = O0 @ W1 + b1
        O1 = a1.relu()
        a2 = O1 @ W2 + b2
        y = a2.reshape(-1)
        loss = 0.5 * ((y - target) ** 2).sum()
        for p in params:
            p.zero_grad()
        loss.backward()
        with no_grad():
            for p in params:
                p.data -= lr * p.grad.data
        if verbose and i % 200 == 0:
            print(loss.item())
        if loss.item() < 0.001:
            if verbose:
                print(f"training done! step {i}")
            break
    with no_grad():
        prediction = ((O0 @ W1 + b1).relu() @ W2 + b2).data
    return np.where(prediction > 0.5, 1, 0), i


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0, help="random seed for the initial weights")
    parser.add_argument("--steps", type=int, default=10_000, help="most training steps")
    parser.add_argument("--out", default="out/xor", help="folder for what the demo writes")
    args = parser.parse_args(argv)
    predictions, _ = train(args.seed, args.steps)
    print("-----")
    print("inputs")
    print(train_X)
    print("predictions")
    print(predictions)


if __name__ == "__main__":
    main()
