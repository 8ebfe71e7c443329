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
