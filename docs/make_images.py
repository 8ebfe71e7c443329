"""Regenerate every picture under docs/images (run from the repository root):

    python docs/make_images.py

The README and docs/tutorial.md show these files; they are made by the demos' own code, never by hand.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: the demos live in the clone

import nn.functional as F
import viz
from autograd import Tensor
from demos import digits, mnist, moons, xor

IMAGES = Path(__file__).resolve().parent / "images"


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    for path in xor.draw_first_step(0, IMAGES):
        print(f"wrote {path}")
    # One picture per chain-rule step of the blog's network, for the tutorial.
    steps = IMAGES / "steps"
    shutil.rmtree(steps, ignore_errors=True)
    values = xor.forward(*xor.build(0))
    viz.animate_backward(values["loss"], steps / "backward.gif", frames_dir=steps)
    (steps / "backward.gif").unlink()
    print(f"wrote {len(list(steps.glob('frame_*.png')))} step pictures in {steps}")
    for path in digits.plot(digits.train(0, progress=False), IMAGES):
        print(f"wrote {path}")
    print(f"wrote {moons.plot(moons.train(0), IMAGES)}")
    for path in convolution_by_hand(IMAGES):
        print(f"wrote {path}")
    for path in mnist.plot(mnist.train(0, progress=False), IMAGES):
        print(f"wrote {path}")


def convolution_by_hand(out: Path) -> list[Path]:
    """docs/cnn.md's 4×4 image and 2×2 kernel: the graph, then one picture per backward step."""
    image = np.array([[1.0, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 0], [1, 0, 1, 2]])
    x = Tensor(image.reshape(1, 1, 4, 4), requires_grad=True, name="x")
    W = Tensor(np.array([[1.0, 0], [-1, 2]]).reshape(1, 1, 2, 2), requires_grad=True, name="W")
    b = Tensor(np.array([0.5]), requires_grad=True, name="b")
    Y = F.conv2d(x, W, b)
    Y.name = "Y"
    Y.retain_grad()
    loss = 0.5 * (Y * Y).sum()
    loss.name = "loss"
    graph = viz.render(loss, out / "cnn_graph.png", title="conv2d on a 4×4 image: forward pass")
    steps = out / "cnn_steps"
    shutil.rmtree(steps, ignore_errors=True)
    viz.animate_backward(loss, steps / "backward.gif", frames_dir=steps, title="Backward pass, step by step")
    (steps / "backward.gif").unlink()
    return [graph, *sorted(steps.glob("frame_*.png"))]


if __name__ == "__main__":
    main()
