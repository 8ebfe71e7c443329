"""viz.explore in a real browser: Debian's headless Chromium, driven by selenium through Debian's
chromedriver (nothing is downloaded). Without them these tests skip and say how to install them;
under CI=true a missing browser is a failure."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
from PIL import Image, ImageStat

import nn
import viz
from autograd import Tensor
from tests.viz.test_explore import HOSTILE, page_data
from tests.viz.test_viz import blog_graph

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
INSTALL = "apt-get install chromium chromium-driver (Debian's packages) and pip install selenium"


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    if CHROMIUM is None or CHROMEDRIVER is None:
        return "no chromium / chromedriver on PATH"
    return None


@pytest.fixture(scope="module")
def browser():
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests must run under CI=true, but {missing}: {INSTALL}")
        pytest.skip(f"{missing}: {INSTALL} to run the explorer's browser tests")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",  # this machine's network is closed
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def open_page(browser, page: viz.Explorer, tmp_path, name: str = "page.html"):
    path = page.save(tmp_path / name)
    browser.get(path.as_uri())
    browser.execute_script("return window.glassgradReady")  # the script ran to its end
    assert browser.execute_script("return window.glassgradReady") is not None
    return page_data(page)


def severe_messages(browser) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def active_ids(browser) -> list[str]:
    return browser.execute_script("return Array.from(document.querySelectorAll('.gg-active')).map(g => g.id)")


def press(browser, button: str, times: int = 1) -> None:
    element = browser.find_element("id", button)
    for _ in range(times):
        element.click()


def test_stepping_to_the_end_highlights_each_steps_node_and_shows_its_gradient(browser, tmp_path):
    loss, _ = blog_graph()
    data = open_page(browser, viz.explore(loss), tmp_path)
    forward, steps = data["forward"], data["steps"]
    assert active_ids(browser)[0] == forward[0]
    assert browser.find_element("id", "counter").text == f"forward 1 / {len(forward)}"
    for position in range(1, len(forward) + len(steps)):
        press(browser, "next")
        if position < len(forward):
            assert forward[position] in active_ids(browser)
            continue
        step = steps[position - len(forward)]
        assert step["node"] in active_ids(browser)
        if data["nodes"][step["node"]]["op"] != "Reshape" and position % 3 == 0:  # chosen steps: the row it shows
            shown = browser.execute_script(f"return document.getElementById('{step['node']}').dataset.grad")
            assert shown == step["grad_output"]["preview"]
    press(browser, "next")  # at the end it stays at the end
    last = len(steps) - 1
    assert browser.find_element("id", "counter").text == f"backward step {last} ({len(steps)} / {len(steps)})"
    w1 = next(key for key, node in data["nodes"].items() if node["name"] == "W1")
    assert browser.execute_script(f"return document.getElementById('{w1}').dataset.grad").startswith("[[")
    press(browser, "first")
    assert browser.find_element("id", "counter").text == f"forward 1 / {len(forward)}"
    assert severe_messages(browser) == []


def test_clicking_a_node_shows_its_name_shape_and_whole_value_as_a_table(browser, tmp_path):
    loss, params = blog_graph()
    data = open_page(browser, viz.explore(loss), tmp_path)
    w1 = next(key for key, node in data["nodes"].items() if node["name"] == "W1")
    browser.find_element("id", "last").click()
    browser.find_element("css selector", f"#{w1} text").click()
    panel = browser.find_element("id", "details")
    assert panel.find_element("tag name", "h2").text == "W1"
    assert "(2, 3) · float64" in panel.text
    tables = panel.find_elements("css selector", ".numbers table")
    value_cells = [float(td.text) for td in tables[0].find_elements("css selector", "td:not(.index)")]
    np.testing.assert_allclose(value_cells, params[0].data.reshape(-1), rtol=1e-5)
    grad_cells = [float(td.text) for td in tables[1].find_elements("css selector", "td:not(.index)")]
    np.testing.assert_allclose(grad_cells, params[0].grad.data.reshape(-1), rtol=1e-5, atol=1e-12)
    assert "gg-selected" in browser.find_element("id", w1).get_attribute("class")


def test_an_op_node_shows_its_local_derivative_and_the_chain_rule_with_numbers(browser, tmp_path):
    x = Tensor([1.0, -2.0], requires_grad=True, name="x")
    y = Tensor([3.0, 0.5], requires_grad=True, name="y")
    z = x * y
    z.name = "z"
    loss = z.sum()
    data = open_page(browser, viz.explore(loss), tmp_path)
    z_id = next(key for key, node in data["nodes"].items() if node["name"] == "z")
    browser.find_element("id", "last").click()
    browser.find_element("css selector", f"#op{z_id[1:]}").click()
    text = browser.find_element("id", "details").text
    assert "z = x * y;  dz/dx = y,  dz/dy = x." in text
    assert "d loss/d x = d loss/d z · d z/d x" in text
    assert "= [1, 1] · d z/d x" in text and "= [3, 0.5]" in text  # d loss/d x = 1 · y
    assert "= [1, -2]" in text  # d loss/d y = 1 · x


def test_a_layer_box_collapses_to_one_node_and_expands_again(browser, tmp_path):
    nn.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    loss = model(Tensor(np.ones((4, 2)))).sum()
    data = open_page(browser, viz.explore(loss), tmp_path)
    boxes = list(data["boxes"])
    assert browser.find_elements("css selector", "g.node[id^=box]") == []  # small: it opens expanded
    nodes_before = len(browser.find_elements("css selector", "g.node"))
    browser.find_element("css selector", f"#frame_{boxes[0]} text").click()
    assert [g.get_attribute("id") for g in browser.find_elements("css selector", "g.node[id^=box]")] == [boxes[0]]
    assert len(browser.find_elements("css selector", "g.node")) < nodes_before
    press(browser, "next", 3)
    browser.find_element("id", boxes[0]).click()
    assert browser.find_elements("css selector", "g.node[id^=box]") == []
    assert len(browser.find_elements("css selector", "g.node")) == nodes_before
    assert browser.execute_script("return document.body.dataset.position") == "3"  # the step is kept
    press(browser, "collapse-all")
    assert len(browser.find_elements("css selector", "g.node[id^=box]")) == 3
    assert severe_messages(browser) == []


def test_arrow_keys_step_and_the_slider_jumps(browser, tmp_path):
    from selenium.webdriver.common.keys import Keys

    data = open_page(browser, viz.explore(blog_graph()[0]), tmp_path)
    body = browser.find_element("tag name", "body")
    body.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    assert browser.execute_script("return document.body.dataset.position") == "2"
    body.send_keys(Keys.ARROW_LEFT)
    assert browser.execute_script("return document.body.dataset.position") == "1"
    body.send_keys(Keys.END)
    last = len(data["forward"]) + len(data["steps"]) - 1
    assert browser.execute_script("return document.body.dataset.position") == str(last)
    browser.execute_script(
        "const s = document.getElementById('slider'); s.value = '4'; s.dispatchEvent(new Event('input'));"
    )
    assert data["forward"][4] in active_ids(browser)


def test_play_runs_through_the_steps_by_itself(browser, tmp_path):
    import time

    open_page(browser, viz.explore(blog_graph()[0]), tmp_path)
    browser.execute_script("document.getElementById('speed').value = '150'")
    press(browser, "play")
    time.sleep(1.0)
    press(browser, "play")  # pause
    position = int(browser.execute_script("return document.body.dataset.position"))
    assert position >= 3
    time.sleep(0.4)
    assert int(browser.execute_script("return document.body.dataset.position")) == position


def test_a_hostile_name_shows_as_text_and_runs_nothing(browser, tmp_path):
    x = Tensor([1.0, 2.0], requires_grad=True, name=HOSTILE)
    loss = (x * 2).sum()
    data = open_page(browser, viz.explore(loss), tmp_path)
    x_id = next(key for key, node in data["nodes"].items() if node["name"] == HOSTILE)
    browser.find_element("css selector", f"#{x_id} text").click()
    assert browser.find_element("css selector", "#details h2").text == HOSTILE
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert HOSTILE in browser.find_element("id", x_id).text  # drawn in the SVG as the text it is
    assert severe_messages(browser) == []


def test_a_thousand_node_graph_opens_and_steps(browser, tmp_path):
    x = Tensor(0.5, requires_grad=True, name="x")
    y = x
    for _ in range(200):  # 5 nodes each: the constant 1.001, the product and its op, the tanh and its op
        y = (y * 1.001).tanh()
    data = open_page(browser, viz.explore(y), tmp_path)
    assert len(data["nodes"]) + len(data["steps"]) > 1000  # values, and one operation per step
    opened = browser.execute_script("return window.glassgradReady")
    assert opened < 10_000  # milliseconds; measured in benchmarks/explorer.py, not here
    browser.find_element("tag name", "body").send_keys(*["\ue014"] * 20)  # arrow right
    assert browser.execute_script("return document.body.dataset.position") == "20"
    assert severe_messages(browser) == []


def test_the_screenshot_shows_the_graph_not_a_blank_page(browser, tmp_path):
    open_page(browser, viz.explore(blog_graph()[0]), tmp_path)
    press(browser, "next", 20)
    shot = tmp_path / "explorer.png"
    browser.save_screenshot(str(shot))
    with Image.open(shot) as image:
        graph = image.convert("RGB").crop((0, 100, 980, 700))
        colours = len(graph.getcolors(maxcolors=1 << 20) or [])
        spread = ImageStat.Stat(graph).stddev
    assert colours > 50 and min(spread) > 10  # the node colours, text and edges, not one flat colour
