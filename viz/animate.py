"""`animate_backward`: the backward pass as an animated GIF, one frame per chain-rule step."""

from __future__ import annotations

import tempfile
from pathlib import Path

from autograd import Tensor
from viz.dot import Options, build_dot
from viz.graph import grad_widths, run_backward_steps
from viz.render import render_source


def animate_backward(
    root: Tensor,
    path: str | Path,
    frames_dir: str | Path | None = None,
    seconds_per_frame: float = 1.2,
    **options: object,
) -> Path:
    """Run the backward pass of `root` step by step and write it to `path` as an animated GIF.

    The first frame is the graph before backward; then frame k highlights step k: the node being
    processed, the gradient arriving at it and the gradients it sends to its inputs; gradients
    computed so far are orange, those still to come red (the blog's colours). The last frame is
    held three times as long. It runs the backward pass itself (call it instead of
    `root.backward()`): it fills in `.grad` of the leaves. With `frames_dir`, the frames are also
    kept there as numbered PNGs. Options: those of `viz.render`.
    """
    from PIL import Image

    settings = Options(**options).__dict__
    steps = run_backward_steps(root, "animate_backward")
    # Every grad row is padded to its widest text over all frames, so every frame has one layout.
    widths = grad_widths(steps, shortest="grad computed (see history=)")

    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="glassgrad-frames-") as scratch:
        folder = Path(frames_dir) if frames_dir is not None else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        frames = [Options(**{**settings, "before_backward": True, "pad_grads": widths})]
        for index, step in enumerate(steps):
            frames.append(Options(**{**settings, "step": step, "history": steps[:index], "pad_grads": widths}))
        images = []
        for index, frame_options in enumerate(frames):
            frame = render_source(build_dot(root, frame_options), folder / f"frame_{index:03d}.png", "png")
            with Image.open(frame) as image:
                images.append(image.convert("RGB"))
    width = max(image.width for image in images)
    height = max(image.height for image in images)
    canvas = []
    for image in images:
        padded = Image.new("RGB", (width, height), "white")
        padded.paste(image, (0, 0))
        canvas.append(padded)
    path.parent.mkdir(parents=True, exist_ok=True)
    durations = [int(seconds_per_frame * 1000)] * len(canvas)
    durations[-1] *= 3  # time to read the finished gradients before the loop starts again
    canvas[0].save(path, format="GIF", save_all=True, append_images=canvas[1:], duration=durations, loop=0)
    return path
