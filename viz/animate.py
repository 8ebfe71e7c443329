"""`animate_backward`: the backward pass as an animated GIF, one frame per chain-rule step."""

from __future__ import annotations

import tempfile
from pathlib import Path

from autograd import BackwardStep, Tensor
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

    Frame 0 is the graph before backward; frame k+1 highlights step k (the node being processed,
    the gradient arriving at it, the gradients it sends to its inputs; gradients computed so far in
    orange, those still to come in red). Like `root.backward()`, this fills in `.grad`.
    With `frames_dir`, the frames are also kept there as numbered PNGs.
    """
    from PIL import Image

    steps: list[BackwardStep] = []
    widths: dict[int, int] = {}

    def widen(tensor: Tensor, grad: object) -> None:
        lines = preview(grad)
        widths[id(tensor)] = max(widths.get(id(tensor), 0), len("grad ") + max(len(line) for line in lines))

    before = Options(**options).__dict__ | {"step": None}  # a frame before any step
    for step in root.backward_steps():
        steps.append(step)
        widen(step.node, step.grad_output)
        for parent, grad in zip(step.parents, step.grad_inputs):
            if grad is not None:
                widen(parent, grad)
    for tensor_id in widths:  # every grad row as wide as its widest text, so frames keep one layout
        widths[tensor_id] = max(widths[tensor_id], len("grad ? (still to come)"), len("grad: not computed yet"))

    path = Path(path)
    folder = Path(frames_dir) if frames_dir is not None else Path(tempfile.mkdtemp(prefix="glassgrad-frames-"))
    folder.mkdir(parents=True, exist_ok=True)
    frame_paths = []
    for index in range(len(steps) + 1):
        settings = dict(before, pad_grads=widths)
        if index > 0:
            settings.update(step=steps[index - 1], history=steps[: index - 1])
        source = build_dot(root, Options(**settings)) if index > 0 else _before_backward(root, settings)
        frame = folder / f"frame_{index:03d}.png"
        render_source(source, frame, "png")
        frame_paths.append(frame)

    images = [Image.open(p).convert("RGB") for p in frame_paths]
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


def _before_backward(root: Tensor, settings: dict) -> str:
    """Frame 0: every gradient still to come (the leaves' .grad is already filled in by now)."""
    saved = {}
    for tensor in _leaves(root):
        saved[id(tensor)] = (tensor, tensor.grad)
        tensor.grad = None
    try:
        return build_dot(root, Options(**settings))
    finally:
        for tensor, grad in saved.values():
            tensor.grad = grad


def _leaves(root: Tensor) -> list[Tensor]:
    seen, stack, leaves = set(), [root], []
    while stack:
        tensor = stack.pop()
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        if tensor.is_leaf:
            leaves.append(tensor)
        stack.extend(tensor.parents)
    return leaves
