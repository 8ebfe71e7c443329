"""Every Python code block in the README and docs/ runs, so the docs cannot rot.

The blocks of one document run in order in one namespace, like the cells of a notebook.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def code_blocks(doc: Path) -> list[str]:
    return [match.group(1) for match in BLOCK.finditer(doc.read_text(encoding="utf-8"))]


WITH_CODE = [doc for doc in DOCS if code_blocks(doc)]


def test_readme_and_tutorial_have_code_to_run():
    assert {"README.md", "tutorial.md"} <= {doc.name for doc in WITH_CODE}


@pytest.mark.parametrize("doc", WITH_CODE, ids=[doc.name for doc in WITH_CODE])
def test_code_blocks_run_in_order(doc, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # blocks that write files write them here
    blocks = code_blocks(doc)
    namespace = {"__name__": "__doc_block__"}
    for number, code in enumerate(blocks):
        exec(compile(code, f"{doc.name}#{number}", "exec"), namespace)
