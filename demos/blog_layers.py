"""The blog's hand-written layers, plugged into glassgrad as `autograd.Function`s and checked.

The blog writes LinearLayer.backward and Relu.backward by hand. Here they keep their own numpy
code, become Functions, and `gradcheck` compares them with finite differences. The blog's
Relu.backward multiplies the incoming gradient by X (`np.where(X > 0, X, 0) * grad`) where its
derivation says by 1: gradcheck catches it, and training with each version shows what it costs.

    python -m demos.blog_layers [--seed 0] [--seeds 20] [--out out/blog_layers]
"""

from __future__ import annotations

import numpy as np

from autograd import Function, Tensor, gradcheck, no_grad
from demos.common import out_folder, parser

train_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
train_y = np.array([0.0, 1.0, 1.0, 0.0])


class LinearLayer(Function):
    """The blog's LinearLayer: forward X W + b, backward ① Xᵀ grad (stored), ② grad summed (stored),
    ③ grad Wᵀ (passed on). The bias is (out,) here; the blog's (1, out) needs its result reshaped."""

    @staticmethod
    def forward(ctx, X, W, b):
        ctx.save_for_backward(X, W)
        return np.matmul(X, W) + b

    @staticmethod
    def backward(ctx, grad):
        X, W = ctx.saved_tensors
        grad_W = np.matmul(X.T, grad)  # ① d loss / d W = Xᵀ · grad
        grad_b = np.matmul(grad.T, np.ones(X.shape[0]))  # ② d loss / d b = grad summed over the rows
        return np.matmul(grad, W.T), grad_W, grad_b  # ③ d loss / d X = grad · Wᵀ


class BlogRelu(Function):
    """The blog's Relu, exactly as its code has it."""

    @staticmethod
    def forward(ctx, X):
        ctx.save_for_backward(X)
        return np.where(X < 0, 0, X)

    @staticmethod
    def backward(ctx, grad):
        (X,) = ctx.saved_tensors
        return np.where(X > 0, X, 0) * grad  # the blog's line: multiplies by X


class Relu(BlogRelu):
    """The blog's Relu with the derivative its text derives: 1 where X > 0, else 0."""

    @staticmethod
    def backward(ctx, grad):
        (X,) = ctx.saved_tensors
        return np.where(X > 0, 1, 0) * grad


def check(relu: type[Function], seed: int) -> str:
    """gradcheck the whole network built from the blog's layers; the verdict as text."""
    rng = np.random.default_rng(seed)
    X = Tensor(rng.uniform(-2, 2, (4, 2)), requires_grad=True)
    W = Tensor(rng.uniform(-2, 2, (2, 3)), requires_grad=True)
    b = Tensor(rng.uniform(-1, 1, 3), requires_grad=True)
    try:
        gradcheck(lambda X, W, b: relu.apply(LinearLayer.apply(X, W, b)), [X, W, b])
    except AssertionError as failure:
        return f"FAILED: {failure}"
    return "passed"


def train(relu: type[Function], seed: int, steps: int = 10_000, lr: float = 0.01) -> int | None:
    """The blog's training loop with its own layers; the step at which loss < 0.001, or None."""
    rng = np.random.default_rng(seed)
    params = [Tensor(rng.normal(0, 0.1, shape), requires_grad=True) for shape in [(2, 3), (3,), (3, 1), (1,)]]
    W1, b1, W2, b2 = params
    O0, target = Tensor(train_X), Tensor(train_y)
    for i in range(steps):
        y = LinearLayer.apply(relu.apply(LinearLayer.apply(O0, W1, b1)), W2, b2).reshape(-1)
        loss = 0.5 * ((y - target) ** 2).sum()
        if loss.item() < 0.001:
            return i
        for p in params:
            p.zero_grad()
        loss.backward()
        with no_grad():
            for p in params:
                p.data -= lr * p.grad.data
    return None


def main(argv: list[str] | None = None) -> dict[str, list[int | None]]:
    command = parser(__doc__, "out/blog_layers")
    command.add_argument("--seeds", type=int, default=20, help="how many seeds to train with (default 20)")
    command.add_argument("--steps", type=int, default=10_000, help="most steps per run (default 10000)")
    args = command.parse_args(argv)

    print("gradcheck of LinearLayer + the blog's Relu:    ", check(BlogRelu, args.seed))
    print("gradcheck of LinearLayer + the corrected Relu: ", check(Relu, args.seed))

    seeds = list(range(args.seed, args.seed + args.seeds))
    results = {
        "blog": [train(BlogRelu, s, args.steps) for s in seeds],
        "corrected": [train(Relu, s, args.steps) for s in seeds],
    }
    print(f"\nsteps to reach loss < 0.001 (blog setting: N(0, 0.1) weights, SGD lr 0.01, at most {args.steps}):")
    print(f"{'seed':>6} {'blog Relu':>10} {'corrected':>10}")
    for seed, blog, fixed in zip(seeds, results["blog"], results["corrected"]):
        print(f"{seed:>6} {blog if blog is not None else '-':>10} {fixed if fixed is not None else '-':>10}")
    for name, runs in results.items():
        done = [r for r in runs if r is not None]
        median = f", median {int(np.median(done))} steps" if done else ""
        print(f"{name:>10}: {len(done)}/{len(runs)} runs converged{median}")
    report = out_folder(args.out) / "steps.csv"
    rows = [f"{s},{'' if b is None else b},{'' if f is None else f}\n" for s, b, f in zip(seeds, *results.values())]
    report.write_text("seed,blog_relu,corrected_relu\n" + "".join(rows))
    print(f"wrote {report}")
    return results


if __name__ == "__main__":
    main()
