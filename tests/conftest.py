"""Fixtures shared by the test folders."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture
def low_recursion_limit():
    """A recursion limit of 100, so that any recursive walk over a big graph fails loudly."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(100)
    yield
    sys.setrecursionlimit(previous)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--no-skips",
        action="store_true",
        help="fail any test that would be skipped (CI's oracle run, where torch must be there)",
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.config.getoption("--no-skips"):
        report.outcome = "failed"
        report.longrepr = f"skipped under --no-skips: {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> object:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and collector.config.getoption("--no-skips"):  # e.g. importorskip("torch")
        report.outcome = "failed"
