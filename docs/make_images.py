"""Regenerate every picture under docs/images (run from the repository root):

    python docs/make_images.py

The README and docs/tutorial.md show these files; they are made by the demos' own code, never by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import viz
from demos import digits, moons, xor

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


if __name__ == "__main__":
    main()
