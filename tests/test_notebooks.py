"""The evaluation notebook is executed on a tiny generated province so it never rots."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "evaluation.ipynb"


def test_evaluation_notebook_runs_and_writes_its_figures(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KIEMDIEM_NB_UNITS", "2")
    monkeypatch.setenv("KIEMDIEM_NB_MEMBERS", "3")
    monkeypatch.setenv("KIEMDIEM_NB_OUT", str(tmp_path))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    outputs = "".join(o.get("text", "") for cell in code_cells for o in cell.get("outputs", []))
    assert "ROC AUC of the formalism score" in outputs
    # Both labelled sets were measured: one table each, with a row per family.
    assert outputs.count("family        precision") == 2
    assert (tmp_path / "calibration.png").stat().st_size > 1000
    assert (tmp_path / "boilerplate-pr.png").stat().st_size > 1000
