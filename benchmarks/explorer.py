"""`python -m benchmarks.explorer`: how big the explorer's page is and how fast it opens and steps.

For three graphs (the blog network; a 1,000-node chain with no layers; a 1,000-node network of
250 layers, which opens folded), it builds the page (`viz.explore`), opens it from file:// in
Debian's headless Chromium (through chromedriver and selenium, as the browser tests do) and
reports: the page's size, the seconds Python took to build it, the milliseconds from navigation
to the end of the page's script (time to open), and the milliseconds per step while pressing
"next". `--screenshots DIR` also saves a screenshot of each page there.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import nn
import viz
from autograd import Tensor
from demos import xor


def blog_network() -> Tensor:
    values = xor.forward(*xor.build(0))
    return values["loss"]


def chain_of_1000() -> Tensor:
    y = Tensor(0.5, requires_grad=True, name="x")
    for _ in range(200):  # 5 nodes each: the constant, the product and its op, the tanh and its op
        y = (y * 1.001).tanh()
    return y


def layers_250() -> Tensor:
    nn.manual_seed(0)
    layers = []
    for _ in range(125):  # 8 nodes each: weight, bias, matmul, add, tanh (values and ops)
        layers += [nn.Linear(4, 4), nn.Tanh()]
    return nn.Sequential(*layers)(Tensor(np.ones((2, 4)))).sum()


GRAPHS: dict[str, Callable[[], Tensor]] = {
    "blog network": blog_network,
    "1,000-node chain": chain_of_1000,
    "250 layers (folded)": layers_250,
}


def chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--window-size=1400,900",
    ):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)


def measure(name: str, make: Callable[[], Tensor], folder: Path, browser, shots: Path | None, rounds: int) -> dict:
    root = make()
    nodes = sum(1 for _ in _values(root))
    started = time.perf_counter()
    page = viz.explore(root, folder / "page.html")
    built = time.perf_counter() - started
    opened, stepping = [], []
    for round_number in range(rounds):
        page.save(folder / f"page{round_number}.html")  # a new address each time: a real load, not a cached one
        browser.get((folder / f"page{round_number}.html").as_uri())
        ready = browser.execute_script("return window.glassgradReady")
        if ready is None:
            raise RuntimeError(f"the page for {name} did not finish its script: {browser.get_log('browser')}")
        opened.append(ready)
        stepping.append(
            browser.execute_script(
                "const t = performance.now(); const next = document.getElementById('next');"
                "for (let i = 0; i < 20; i++) next.click(); return (performance.now() - t) / 20;"
            )
        )
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(shots / f"explorer_{name.split()[0].strip(',').lower()}.png"))
    return {
        "graph": name,
        "nodes": nodes,
        "page": len(page.html.encode()) / 1e6,
        "built": built,
        "opened": statistics.median(opened),
        "step": statistics.median(stepping),
    }


def _values(root: Tensor):
    """Every value and operation node of the graph (what the page draws)."""
    seen, stack = set(), [root]
    while stack:
        tensor = stack.pop()
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        yield tensor
        if not tensor.is_leaf:
            yield tensor.grad_fn
        stack.extend(tensor.parents)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="page loads per graph (default 3)")
    parser.add_argument("--screenshots", type=Path, help="save a screenshot of each page in this folder")
    args = parser.parse_args(argv)
    browser = chromium()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            rows = [
                measure(name, make, Path(scratch), browser, args.screenshots, args.rounds)
                for name, make in GRAPHS.items()
            ]
    finally:
        browser.quit()
    print("| graph | nodes | page | built in Python | time to open | per step |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['graph']} | {row['nodes']:,} | {row['page']:.2f} MB | {row['built']:.2f} s | "
            f"{row['opened']:.0f} ms | {row['step']:.1f} ms |"
        )


if __name__ == "__main__":
    main()
