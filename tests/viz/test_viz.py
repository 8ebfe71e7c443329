"""viz: DOT text (golden files, escaping, determinism, size limits) and real pictures."""

from __future__ import annotations

import inspect
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import numpy as np
import pygraphviz
import pytest
from PIL import Image

import nn
import nn.functional as F
import viz
from autograd import Function, Tensor

GOLDEN = Path(__file__).parent / "golden"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def blog_graph():
    """The blog's network with the blog's names, fixed weights."""
    nn.manual_seed(0)
    linear1, relu1, linear2 = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    for p, name in zip([linear1.weight, linear1.bias, linear2.weight, linear2.bias], ["W1", "b1", "W2", "b2"]):
        p.name = name
    O0 = Tensor(np.array([[0, 0], [0, 1], [1, 0], [1, 1]]), name="O0")
    a1 = linear1(O0)
    O1 = relu1(a1)
    a2 = linear2(O1)
    y = a2.reshape(-1)
    loss = 0.5 * F.mse_loss(y, Tensor([0.0, 1.0, 1.0, 0.0]), reduction="sum")
    for tensor, name in zip([a1, O1, a2, y, loss], ["a1", "O1", "a2", "y", "loss"]):
        tensor.name = name
    return loss, [linear1.weight, linear1.bias, linear2.weight, linear2.bias]


def small_graph():
    x = Tensor([1.0, -2.0], requires_grad=True, name="x")
    w = Tensor([[0.5], [0.25]], requires_grad=True, name="w")
    return ((x - 1) @ w).tanh().sum()


GRAPHS = {"blog_net": lambda: blog_graph()[0], "small": small_graph}


def shown(text: str) -> str:
    """Text as it appears in a label (spaces kept with non-breaking spaces)."""
    return text.replace(" ", "&#160;")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.dot"
    if os.environ.get("GLASSGRAD_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"DOT for {name} changed; GLASSGRAD_UPDATE_GOLDEN=1 rewrites it"


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_dot_matches_golden_file_before_and_after_backward(name):
    root = GRAPHS[name]()
    check_golden(f"{name}_forward", viz.to_dot(root))
    root.backward()
    check_golden(f"{name}_backward", viz.to_dot(root))


def test_same_graph_gives_the_same_dot_text():
    assert viz.to_dot(small_graph()) == viz.to_dot(small_graph())
    root = small_graph()
    assert viz.to_dot(root) == viz.to_dot(root)


def test_blog_names_shapes_and_previews_appear():
    loss, _ = blog_graph()
    dot = viz.to_dot(loss)
    for name in ["O0", "a1", "O1", "a2", "y", "loss", "W1", "b2"]:
        assert f"<B>{name}</B>" in dot
    assert "(4, 2) int64" in dot and "(2, 3) float64" in dot
    assert shown("grad: not computed yet") in dot and "grad&#160;[" not in dot


def test_gradients_appear_after_backward_instead_of_not_computed():
    loss, _ = blog_graph()
    loss.backward()
    dot = viz.to_dot(loss)
    assert "grad&#160;[" in dot and shown("not computed yet") not in dot


def test_parameters_inside_modules_are_named_from_named_parameters():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    dot = viz.to_dot(model(Tensor(np.ones((1, 2)))).sum())
    for name in ["0.weight", "0.bias", "2.weight", "2.bias"]:
        assert f"<B>{name}</B>" in dot


def test_each_module_call_is_one_labelled_box():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    dot = viz.to_dot(model(Tensor(np.ones((1, 2)))).sum())
    assert dot.count("subgraph cluster_") == 4  # Sequential around 0: Linear, 1: ReLU, 2: Linear
    for label in ["Sequential", "0: Linear", "1: ReLU", "2: Linear"]:
        assert f"<B>{label}</B>" in dot
    assert "subgraph" not in viz.to_dot(model(Tensor(np.ones((1, 2)))).sum(), group_modules=False)


def test_a_plus_a_draws_two_edges_and_ordered_ops_name_their_inputs():
    a = Tensor(1.0, requires_grad=True, name="a")
    dot = viz.to_dot(a + a)
    assert dot.count("v0 -> op1 [") == 2
    b = Tensor(2.0, requires_grad=True)
    dot = viz.to_dot(a - b)
    assert 'label="left"' in dot and 'label="right"' in dot


NASTY = 'evil" <b>name</b> {x|y} \\ back\nslash ]; digraph { node'


def test_every_user_string_is_escaped_and_the_dot_still_parses():
    x = Tensor([1.0, 2.0], requires_grad=True, name=NASTY)
    y = (x * 3).sum()
    y.name = NASTY
    dot = viz.to_dot(y)
    graph = pygraphviz.AGraph(string=dot)  # raises on invalid DOT
    assert len(graph.nodes()) == 6  # x, the constant 3, x * 3 and its op, the sum and its op
    assert NASTY not in dot and "&lt;b&gt;" in dot and "&quot;" in dot


def test_nan_and_inf_get_their_own_colour_not_the_red_of_gradients_still_to_come():
    x = Tensor([np.nan, 1.0, np.inf], requires_grad=True)
    dot = viz.to_dot(x * 2)
    assert 'color="#8e24aa", penwidth=3' in dot and 'COLOR="#8e24aa"' in dot
    assert 'color="#d0021b", penwidth=3' not in dot
    assert "NaN or inf" in dot and "gradient still to come" in dot  # the legend says which colour is which


def test_output_shows_gradient_one_and_unretained_gradients_say_so_after_backward():
    loss, _ = blog_graph()
    loss.backward()
    dot = viz.to_dot(loss)
    loss_node = next(line for line in dot.splitlines() if "<B>loss</B>" in line)
    assert shown("grad 1") in loss_node
    a1_node = next(line for line in dot.splitlines() if "<B>a1</B>" in line)
    assert shown("grad not retained") in a1_node


def test_a_collapsed_layer_box_is_one_node_and_keeps_the_edges_between_boxes():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    out = model(Tensor(np.ones((1, 2)))).sum()
    dot = viz.to_dot(out, collapse=True)
    graph = pygraphviz.AGraph(string=dot)
    assert "subgraph" not in dot and "<B>Sequential</B>" in dot
    assert len(graph.nodes()) == 4  # the input, the box, the sum and its result
    box = next(n for n in graph.nodes() if n.startswith("box"))
    assert [str(n) for n in graph.predecessors(box)] == ["v0"]  # the input goes in
    assert next(str(n) for n in graph.successors(box)).startswith("op")  # the layer's output comes out
    assert viz.to_dot(out, collapse=["Sequential"]) == dot
    with pytest.raises(TypeError, match="collapse=\\['Sequential'\\]"):
        viz.to_dot(out, collapse="Sequential")


def test_render_help_lists_its_options():
    for function in (viz.render, viz.to_dot, viz.draw, viz.animate_backward):
        for option in ("show_data", "rankdir", "max_nodes", "collapse", "preview_lines", "title"):
            assert option in function.__doc__, (function.__name__, option)


def test_animating_a_graph_whose_backward_ran_says_it_runs_backward_itself(tmp_path):
    loss, _ = blog_graph()
    loss.backward()
    with pytest.raises(RuntimeError, match=r"runs the backward pass itself.*instead of loss.backward\(\)"):
        viz.animate_backward(loss, tmp_path / "backward.gif")


def test_rendering_prints_no_fontconfig_warning(tmp_path):
    import subprocess

    script = "import viz, autograd; viz.render((autograd.Tensor([1.0], requires_grad=True) * 2).sum(), 'x.png')"
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert (tmp_path / "x.png").exists() and "Fontconfig" not in done.stderr


def test_options_change_what_is_shown():
    root = small_graph()
    assert "rankdir=TB" in viz.to_dot(root, rankdir="TB")
    without = viz.to_dot(root, show_data=False, show_grad=False, show_shapes=False, legend=False)
    assert "float64</FONT>" not in without and "grad&#160;" not in without and "parameter" not in without
    with pytest.raises(ValueError, match="rankdir"):
        viz.to_dot(root, rankdir="sideways")


def test_twenty_thousand_node_graph_draws_without_recursion(low_recursion_limit):
    y = Tensor(1.0, requires_grad=True)
    for _ in range(10_000):
        y = y * 1.0001
    dot = viz.to_dot(y, max_nodes=None, show_data=False)
    assert dot.count("->") >= 20_000


def test_graph_over_max_nodes_is_refused_with_a_clear_message():
    y = Tensor(1.0, requires_grad=True)
    for _ in range(100):
        y = y + 1.0
    with pytest.raises(viz.GraphTooLargeError, match=r"more than 50 nodes.*max_nodes=None"):
        viz.to_dot(y, max_nodes=50)


def test_step_highlight_shows_node_arriving_and_leaving_gradients():
    loss, _ = blog_graph()
    steps = list(loss.backward_steps())
    matmul_step = next(s for s in steps if s.op == "MatMul" and s.parents[0].name == "O1")
    index = steps.index(matmul_step)
    dot = viz.to_dot(loss, step=matmul_step, history=steps[:index])
    assert "#1f5fbf" in dot  # the active node
    assert dot.count("xlabel=") == 2  # gradients leaving to O1 and W2
    assert shown("grad ? (still to come)") in dot  # W1, b1 not reached yet
    assert f"step {index}: @" in dot
    single = viz.to_dot(loss, step=matmul_step)  # without history, earlier gradients are just "computed"
    assert shown("grad computed") in single


def test_render_png_with_path_emptied_gives_a_real_picture(tmp_path, monkeypatch):
    loss, _ = blog_graph()
    monkeypatch.setenv("PATH", "")
    out = viz.render(loss, tmp_path / "blog.png")
    assert out == tmp_path / "blog.png"
    assert out.read_bytes()[:8] == PNG_SIGNATURE
    with Image.open(out) as image:
        extrema = image.convert("L").getextrema()
        assert image.width > 200 and image.height > 100 and extrema[0] < 100 < extrema[1]  # not blank


def test_render_svg_parses_as_xml_and_dot_is_saved_on_request(tmp_path):
    out = viz.render(small_graph(), tmp_path / "graph.svg", save_dot=True)
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    assert (tmp_path / "graph.dot").read_text().startswith("digraph")
    assert viz.render(small_graph(), tmp_path / "picture", format="png").read_bytes()[:8] == PNG_SIGNATURE


def test_render_error_says_what_failed_and_where_the_dot_went(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pygraphviz", None)  # import fails
    monkeypatch.setenv("PATH", "")
    with pytest.raises(viz.RenderError, match=r"pygraphviz could not be imported.*no Graphviz 'dot' program") as info:
        viz.render(small_graph(), tmp_path / "graph.png")
    assert isinstance(info.value, RuntimeError)
    assert str(tmp_path / "graph.dot") in str(info.value) and (tmp_path / "graph.dot").exists()
    assert "pip install" in str(info.value)


def test_unknown_format_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="unknown format"):
        viz.render(small_graph(), tmp_path / "graph.xyz")


def test_draw_returns_a_digraph_that_shows_inline_without_dot(monkeypatch):
    picture = viz.draw(small_graph())
    assert isinstance(picture, graphviz.Digraph)
    monkeypatch.setenv("PATH", "")
    bundle = picture._repr_mimebundle_()
    ET.fromstring(bundle["image/svg+xml"].encode())
    assert picture.pipe(format="png")[:8] == PNG_SIGNATURE


def test_drawn_digraph_renders_to_a_file_without_dot(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    out = viz.draw(small_graph()).render(outfile=tmp_path / "drawn.png")
    assert Path(out).read_bytes()[:8] == PNG_SIGNATURE


def test_animation_has_one_frame_per_backward_step_and_fills_grads(tmp_path):
    loss, params = blog_graph()
    reference, _ = blog_graph()
    step_count = len(list(reference.backward_steps()))
    out = viz.animate_backward(loss, tmp_path / "backward.gif", frames_dir=tmp_path / "frames")
    with Image.open(out) as gif:
        assert gif.format == "GIF" and gif.n_frames == step_count + 1  # the graph before backward, then each step
        durations = []
        for frame in range(gif.n_frames):
            gif.seek(frame)
            durations.append(gif.info["duration"])
    assert durations[-1] == 3 * durations[0]  # the finished gradients are held longer
    assert len(list((tmp_path / "frames").glob("frame_*.png"))) == step_count + 1
    assert all(p.grad is not None for p in params)


def test_operation_nodes_show_where_they_were_written_when_locations_were_recorded():
    import autograd

    x = Tensor(np.ones(2), requires_grad=True, name="x")
    with autograd.record_locations():
        y, line = (x * 2).sum(), inspect.currentframe().f_lineno
    source = viz.to_dot(y)
    assert f"test_viz.py:{line}" in source  # in the label, for the picture
    assert f"written at {__file__}:{line}" in source  # and the whole path in the tooltip
    assert "test_viz.py:" not in viz.to_dot((x * 2).sum())  # nothing when none was recorded


def test_a_function_with_several_outputs_is_drawn_as_one_node_and_an_unpack_per_output():
    class LowHigh(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.min(), x.max()

        @staticmethod
        def backward(ctx, grad_low, grad_high):
            (x,) = ctx.saved_tensors
            return grad_low * (x == x.min()) + grad_high * (x == x.max())

    x = Tensor(np.array([3.0, 1.0, 2.0]), requires_grad=True)
    low, high = LowHigh.apply(x)
    loss = high - low
    source = viz.to_dot(loss)
    assert source.count('label="lowHigh"') == 1 and source.count('label="unpack"') == 2
    loss.backward()
    assert "grad" in viz.to_dot(loss) and x.grad.tolist() == [1.0, -1.0, 0.0]
