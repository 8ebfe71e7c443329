"""`animate_backward`: the backward pass as an animated GIF, one frame per chain-rule step."""

from __future__ import annotations

import tempfile
from pathlib import Path

from autograd import Tensor
from viz.dot import Options, build_dot
from viz.labels import preview
from viz.render import render_source


def animate_backward(
    root: Tensor,
    path: str | Path,
    frames_dir: str | Path | None = None,
    seconds_per_frame: float = 1.2,
    **options: object,
) -> Path:
    """Run the backward pass of `root` step by step and write it to `path` as an animated GIF.

    Frame k highlights step k: the node being processed, the gradient arriving at it and the
    gradients it sends to its inputs; gradients computed so far are orange, those still to come
    red (the blog's colours). Like `root.backward()`, this fills in `.grad` of the leaves.
    With `frames_dir`, the frames are also kept there as numbered PNGs.
    """
    from PIL import Image

    widths: dict[int, int] = {}

    def widen(tensor: Tensor, grad: object) -> None:
        lines = preview(grad)
        widths[id(tensor)] = max(widths.get(id(tensor), 0), len("grad ") + max(len(line) for line in lines))

    settings = Options(**options).__dict__
    steps = list(root.backward_steps())
    if not steps:
        raise ValueError("animate_backward: the tensor has no operations to step through (it is a leaf)")
    # Every grad row is padded to its widest text over all frames, so every frame has one layout.
    known: dict[int, object] = {}
    for step in steps:
        known[id(step.node)] = step.grad_output
        widen(step.node, step.grad_output)
        for parent, grad in zip(step.parents, step.grad_inputs):
            if grad is not None:
                known[id(parent)] = known.get(id(parent), 0) + grad
                widen(parent, known[id(parent)])
    for tensor_id in widths:
        widths[tensor_id] = max(widths[tensor_id], len("grad computed (see history=)"))

    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="glassgrad-frames-") as scratch:
        folder = Path(frames_dir) if frames_dir is not None else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        images = []
        for index, step in enumerate(steps):
            frame_options = {**settings, "step": step, "history": steps[:index], "pad_grads": widths}
            frame = render_source(build_dot(root, Options(**frame_options)), folder / f"frame_{index:03d}.png", "png")
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
    canvas[0].save(
        path, format="GIF", save_all=True, append_images=canvas[1:], duration=int(seconds_per_frame * 1000), loop=0
    )
    return path
