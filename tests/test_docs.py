"""Every Python code block in the README and docs/ runs, so the docs cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def code_blocks() -> list[tuple[str, str]]:
    blocks = []
    for doc in DOCS:
        for number, match in enumerate(BLOCK.finditer(doc.read_text(encoding="utf-8"))):
            blocks.append((f"{doc.name}#{number}", match.group(1)))
    return blocks


@pytest.mark.parametrize(("where", "code"), code_blocks(), ids=[w for w, _ in code_blocks()])
def test_code_block_runs(where, code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # blocks that write files write them here
    exec(compile(code, where, "exec"), {"__name__": "__doc_block__"})
