"""viz.explore: the page's contents, checked in Python (the browser tests drive it in Chromium)."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import autograd
import nn
import viz
from autograd import Tensor
from tests.viz.test_viz import blog_graph

HOSTILE = "</script><img src=x onerror=alert(1)>"


def page_data(page: viz.Explorer) -> dict:
    """The JSON the page carries, read back as the browser's JSON.parse reads it."""
    found = re.search(r'<script type="application/json" id="glassgrad-data">(.*?)</script>', page.html, re.S)
    return json.loads(found.group(1))


def numbers(array: dict) -> np.ndarray:
    return np.array([float(v) for v in array["numbers"]]).reshape(array["shape"])


def test_explore_returns_an_explorer_and_writes_the_page_when_given_a_path(tmp_path):
    loss, params = blog_graph()
    page = viz.explore(loss, tmp_path / "blog.html")
    assert isinstance(page, viz.Explorer)
    assert (tmp_path / "blog.html").read_text(encoding="utf-8") == page.html
    assert all(p.grad is not None for p in params)  # it ran the backward pass, as backward() would
    assert page.save(tmp_path / "again" / "copy.html").read_text(encoding="utf-8") == page.html


def test_the_page_loads_nothing_from_outside():
    page = viz.explore(blog_graph()[0]).html
    loads = re.findall(r"""(?:src|href)\s*=\s*["']?\s*([^"'\s>]+)""", page, re.I)
    assert not [url for url in loads if re.match(r"(https?:)?//", url)]
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page  # and the page's own policy forbids the browser to fetch anything


def test_the_step_list_matches_backward_steps_in_order_and_value():
    loss, _ = blog_graph()
    data = page_data(viz.explore(loss))
    reference, _ = blog_graph()
    steps = list(reference.backward_steps())
    assert [s["op"] for s in data["steps"]] == [s.op for s in steps]
    for shown, step in zip(data["steps"], steps):
        np.testing.assert_array_equal(numbers(shown["grad_output"]), step.grad_output)
        sent = [s for s in shown["sent"] if s is not None]
        expected = [g for g in step.grad_inputs if g is not None]
        assert len(sent) == len(expected)
        for got, want in zip(sent, expected):
            np.testing.assert_array_equal(numbers(got["grad"]), want)
    by_name = {node["name"]: key for key, node in data["nodes"].items() if node["name"]}
    last_w1 = [s["total"] for step in data["steps"] for s in step["sent"] if s and s["to"] == by_name["W1"]][-1]
    np.testing.assert_array_equal(numbers(last_w1), _w1_grad())  # the sum over W1's uses is its .grad


def _w1_grad() -> np.ndarray:
    loss, params = blog_graph()
    loss.backward()
    return params[0].grad.data


def test_the_forward_order_is_creation_order_with_each_leaf_just_before_its_first_use():
    data = page_data(viz.explore(blog_graph()[0]))
    names = [data["nodes"][key]["name"] for key in data["forward"]]
    named = [name for name in names if name]
    assert named == ["O0", "W1", "b1", "a1", "O1", "W2", "b2", "a2", "y", "loss"]
    assert sorted(data["forward"]) == sorted(data["nodes"])  # every value appears once


def test_op_nodes_carry_their_local_derivative_and_where_they_were_written():
    x = Tensor([1.0, 2.0], requires_grad=True, name="x")
    with autograd.record_locations():
        y = (x * x).sum()
    data = page_data(viz.explore(y))
    mul = next(node for node in data["nodes"].values() if node.get("op") == "Mul")
    assert "dz/dx = y" in mul["rule"] and mul["where"].startswith(__file__ + ":")


def test_hostile_names_come_out_escaped_in_the_svg_and_the_json():
    x = Tensor([1.0, 2.0], requires_grad=True, name=HOSTILE)
    with autograd.scope(HOSTILE):
        y = x * 2
    z = y.sum()
    z.name = HOSTILE
    page = viz.explore(z).html
    assert HOSTILE not in page and "<img" not in page and "</script><" not in page.replace("</script>\n</body>", "")
    assert page.count("</script>") == 2  # the JSON's and the script's own: no name closed either early
    data = page_data(viz.explore(_hostile_again()))
    assert HOSTILE in [node["name"] for node in data["nodes"].values()]  # the name itself is kept, as text
    for view in data["views"]:
        ET.fromstring(view["svg"])  # every SVG is well-formed: the names are entity-escaped inside it
        assert "<img" not in view["svg"]


def _hostile_again() -> Tensor:
    x = Tensor([1.0, 2.0], requires_grad=True, name=HOSTILE)
    return (x * 2).sum()


def test_large_arrays_are_summarised_and_nan_travels_as_text():
    x = Tensor(np.arange(2500.0).reshape(50, 50), requires_grad=True, name="big")
    y = (x * Tensor(np.where(np.eye(50) > 0, np.nan, 1.0))).sum()
    data = page_data(viz.explore(y))
    big = next(node for node in data["nodes"].values() if node["name"] == "big")
    assert big["value"]["size"] == 2500 and len(big["value"]["numbers"]) == 1000
    assert (big["value"]["min"], big["value"]["max"], big["value"]["mean"]) == (0.0, 2499.0, 1249.5)
    product = data["steps"][1]["node"]
    assert data["nodes"][product]["value"]["nonfinite"] == 50 and "NaN" in data["nodes"][product]["value"]["numbers"]


def collapsed_edges(svg: str) -> set[tuple[str, str]]:
    """(source, target) of every edge drawn in an SVG (from the ids viz gives edges)."""
    tree = ET.fromstring(svg)
    ids = [g.get("id") for g in tree.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "edge"]
    return {tuple(edge.split("_")[:2]) for edge in ids}


def test_collapsed_views_keep_every_edge_between_boxes():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
    loss = model(Tensor(np.ones((3, 2)))).sum()
    data = page_data(viz.explore(loss))
    assert len(data["boxes"]) == 5  # the layers inside the Sequential fold, not the Sequential itself
    nodes = data["nodes"]
    for view in data["views"]:
        edges = collapsed_edges(view["svg"])
        members = view["members"]

        for child, node in nodes.items():
            for parent in node.get("parents", []):
                source = members.get(parent, parent)
                target = members.get(child, "op" + child[1:])
                if source != target:
                    assert (source, target) in edges, (view["expanded"], parent, child)


def test_a_big_graph_opens_collapsed_and_a_small_one_expanded():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
    small = page_data(viz.explore(model(Tensor(np.ones((3, 2)))).sum()))
    assert len(small["views"][small["first_view"]]["expanded"]) == 3
    big = page_data(viz.explore(model(Tensor(np.ones((3, 2)))).sum(), collapse_above=5))
    assert big["views"][big["first_view"]]["expanded"] == []


def test_exploring_a_graph_whose_backward_ran_says_to_call_explore_instead():
    loss, _ = blog_graph()
    loss.backward()
    with pytest.raises(RuntimeError, match=r"explore runs the backward pass itself.*instead of loss.backward"):
        viz.explore(loss)
    with pytest.raises(ValueError, match="leaf"):
        viz.explore(Tensor(1.0, requires_grad=True))
    with pytest.raises(TypeError, match="chosen in the page"):
        viz.explore(blog_graph()[0], step=None)


def test_jupyter_shows_the_page_inline_in_its_own_frame():
    page = viz.explore(blog_graph()[0])
    shown = page._repr_html_()
    assert shown.startswith("<iframe srcdoc=")
    assert html.unescape(re.search(r'srcdoc="(.*?)"', shown, re.S).group(1)) == page.html


def test_the_xor_demo_writes_the_blog_networks_page(tmp_path):
    from demos import xor

    xor.main(["--steps", "3", "--no-pictures", "--explore", "--out", str(tmp_path)])
    data = page_data(viz.Explorer((tmp_path / "xor_explorer.html").read_text(encoding="utf-8")))
    assert {"W1", "b1", "W2", "b2", "O0", "a1", "O1", "a2", "y", "loss"} <= {n["name"] for n in data["nodes"].values()}
