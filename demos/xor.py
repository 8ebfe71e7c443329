"""The blog's XOR network, trained with glassgrad, then drawn.

2-3-1 network (Linear, ReLU, Linear), weights from N(0, 0.1), loss 0.5 * sum((y - ŷ)²), SGD with
learning rate 0.01, stop when the loss is below 0.001: the blog's loop, with the blog's names.
It prints the loss every 200 steps and the predictions, and writes the computation graph of the
first training step (xor_graph.png), the same graph after backward (xor_gradients.png) and the
backward pass as an animation (xor_backward.gif). With --explore it also writes
xor_explorer.html: the first step's forward and backward pass to step through in a browser.

    python -m demos.xor [--seed 0] [--steps 10000] [--out out/xor] [--explore]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import nn
import nn.functional as F
import viz
from autograd import Tensor, no_grad
from demos.common import out_folder, parser

train_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])  # the blog's data: integers
train_y = np.array([0.0, 1.0, 1.0, 0.0])


def build(seed: int) -> tuple[nn.Linear, nn.ReLU, nn.Linear]:
    """linear1 = LinearLayer(2,3), relu1 = Relu(), linear2 = LinearLayer(3,1), as in the blog."""
    nn.manual_seed(seed)
    linear1, relu1, linear2 = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    for parameter, name in zip([linear1.weight, linear1.bias, linear2.weight, linear2.bias], ["W1", "b1", "W2", "b2"]):
        nn.init.normal_(parameter, 0.0, 0.1)  # never all zeros
        parameter.name = name
    return linear1, relu1, linear2


def forward(linear1: nn.Linear, relu1: nn.ReLU, linear2: nn.Linear) -> dict[str, Tensor]:
    """O0 = X;  a1 = O0 W1 + b1;  O1 = relu(a1);  a2 = O1 W2 + b2;  y = O2 = a2;  loss = ½ Σ (y - ŷ)²."""
    values = {"O0": Tensor(train_X)}
    values["a1"] = linear1(values["O0"])
    values["O1"] = relu1(values["a1"])
    values["a2"] = linear2(values["O1"])
    values["y"] = values["a2"].reshape(-1)
    values["loss"] = 0.5 * F.mse_loss(values["y"], Tensor(train_y), reduction="sum")
    for name, tensor in values.items():
        tensor.name = name
    return values


def draw_first_step(seed: int, out: Path) -> list[Path]:
    """The pictures of the blog's figures: the graph with forward values, then with gradients."""
    values = forward(*build(seed))
    for name in ("a1", "O1", "a2", "y"):
        values[name].retain_grad()  # keep the intermediate gradients so the picture can show them
    graph = viz.render(values["loss"], out / "xor_graph.png", title="The blog's network: forward pass")
    animation = viz.animate_backward(values["loss"], out / "xor_backward.gif", title="Backward pass, step by step")
    gradients = viz.render(values["loss"], out / "xor_gradients.png", title="After loss.backward()")
    return [graph, animation, gradients]


def explore_first_step(seed: int, out: Path) -> Path:
    """The first training step's forward and backward pass as an explorer page."""
    values = forward(*build(seed))
    path = out / "xor_explorer.html"
    viz.explore(values["loss"], path, title="The blog's network: forward, then backward, step by step")
    return path


def train(seed: int = 0, steps: int = 10_000, lr: float = 0.01, verbose: bool = True) -> tuple[np.ndarray, int, float]:
    """The blog's training loop; returns the predictions, the steps taken and the last loss."""
    model = build(seed)  # linear1, relu1, linear2
    optimizer = nn.optim.SGD([p for layer in model for p in layer.parameters()], lr=lr)
    for i in range(steps):
        loss = forward(*model)["loss"]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if verbose and i % 200 == 0:
            print(loss.item())
        if loss.item() < 0.001:
            if verbose:
                print(f"training done! step {i}")
            break
    with no_grad():
        result = forward(*model)["y"].data.reshape(-1, 1)
    return np.where(result > 0.5, 1, 0), i, loss.item()


def main(argv: list[str] | None = None) -> None:
    command = parser(__doc__, "out/xor")
    command.add_argument("--steps", type=int, default=10_000, help="most training steps (default 10000)")
    command.add_argument("--no-pictures", action="store_true", help="skip the PNG and GIF")
    command.add_argument("--explore", action="store_true", help="also write xor_explorer.html, the interactive page")
    args = command.parse_args(argv)
    predictions, _, _ = train(args.seed, args.steps)
    print("-----")
    print("inputs")
    print(train_X)
    print("predictions")
    print(predictions)
    if not args.no_pictures:
        for path in draw_first_step(args.seed, out_folder(args.out)):
            print(f"wrote {path}")
    if args.explore:
        print(f"wrote {explore_first_step(args.seed, out_folder(args.out))}  (open it in a browser)")


if __name__ == "__main__":
    main()
