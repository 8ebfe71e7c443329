"""Regenerate every picture under docs/images (run from the repository root):

    python docs/make_images.py

The README and docs/tutorial.md show these files; they are made by the demos' own code, never by hand.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: the demos live in the clone

import nn.functional as F
import viz
from autograd import Tensor
from demos import digits, mnist, moons, sine, sort, xor

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
    for path in rnn_by_hand(IMAGES):
        print(f"wrote {path}")
    print(f"wrote {sine.plot(sine.train(0), IMAGES)}")
    print(f"wrote {sort.plot(sort.train(0, progress=False), IMAGES)}")
    for path in explorer_screenshots(IMAGES):
        print(f"wrote {path}")


def explorer_screenshots(out: Path) -> list[Path]:
    """The explorer in headless Chromium (Debian's, through selenium): the blog network at
    backward step 3 with (Sub output) chosen, and the 250-layer network, folded."""
    from benchmarks.explorer import chromium, layers_250

    browser = chromium()
    written = []
    try:
        with tempfile.TemporaryDirectory() as scratch:
            pages = {
                "explorer_blog.png": (xor.forward(*xor.build(0))["loss"], 20),  # 17 forward values, then step 3
                "explorer_layers.png": (layers_250(), 40),
            }
            for name, (loss, steps) in pages.items():
                viz.explore(loss, Path(scratch) / "page.html")
                browser.get((Path(scratch) / "page.html").as_uri())
                browser.execute_script(f"for (let i = 0; i < {steps}; i++) document.getElementById('next').click();")
                browser.save_screenshot(str(out / name))
                written.append(out / name)
    finally:
        browser.quit()
    return written


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


def rnn_by_hand(out: Path) -> list[Path]:
    """docs/rnn.md's one-unit RNN cell over three steps: the unrolled graph and the backward steps."""
    import autograd
    import nn

    cell = nn.RNNCell(1, 1)
    for parameter, value in zip(cell.parameters(), [0.5, -1.0, 0.1, 0.0]):
        parameter.data[...] = value
    h = Tensor(np.zeros((1, 1)), name="h0")
    for t, x in enumerate([1.0, 0.5, -1.0], start=1):
        with autograd.scope(f"t = {t}"):
            h = cell(Tensor(np.array([[x]]), name=f"x{t}"), h)
        h.name = f"h{t}"
        h.retain_grad()
    loss = 0.5 * ((h - 0.5) ** 2).sum()
    loss.name = "loss"
    # Top to bottom: three time steps side by side stay readable at a page's width.
    graph = viz.render(loss, out / "rnn_graph.png", rankdir="TB", title="An RNN cell unrolled over three time steps")
    steps = out / "rnn_steps"
    shutil.rmtree(steps, ignore_errors=True)
    viz.animate_backward(
        loss, out / "rnn_backward.gif", frames_dir=steps, rankdir="TB", title="Backpropagation through time"
    )
    kept = [steps / f"frame_{index:03d}.png" for index in (5, 13, 21)]  # the tanh steps (0: before backward)
    for frame in steps.glob("frame_*.png"):
        if frame not in kept:
            frame.unlink()
    return [graph, out / "rnn_backward.gif", *kept]


if __name__ == "__main__":
    main()
