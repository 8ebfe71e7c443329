"""docs/notebooks/explore.ipynb runs top to bottom in a real Jupyter kernel (nbclient + ipykernel)."""

from __future__ import annotations

from pathlib import Path

import nbclient
import nbformat

NOTEBOOK = Path(__file__).parents[2] / "docs" / "notebooks" / "explore.ipynb"


def test_the_explore_notebook_runs_and_shows_the_explorer_and_a_picture():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parents[2])}}
    )
    client.execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]  # no red boxes
    shown = [output.data for output in outputs if output.output_type == "execute_result"]
    assert len(shown) == 2
    explorer, picture = shown
    assert "text/html" in explorer and explorer["text/html"].startswith("<iframe srcdoc=")
    assert "image/svg+xml" in picture or "image/png" in picture
    printed = "".join(o.text for o in outputs if o.output_type == "stream")
    assert "loss after 100 steps" in printed
