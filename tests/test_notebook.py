"""The notebook in docs/notebooks runs from top to bottom (its code cells, in order).

Executed as plain Python in one namespace, as a kernel would, without Jupyter; the last
value of each cell is not displayed. The notebook file must equal what its source script
writes, so the two cannot drift apart.
"""

from __future__ import annotations

import importlib.util
import json
import os
import tempfile

import matplotlib

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "make_notebook.py"


def _source():
    spec = importlib.util.spec_from_file_location("make_notebook", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_notebook_file_is_what_its_script_writes():
    module = _source()
    on_disk = json.loads(module.TARGET.read_text(encoding="utf-8"))
    assert on_disk == module.notebook(), "run scripts/make_notebook.py"


def test_the_notebook_runs_and_draws_every_chart_and_a_comparison(tmp_path, monkeypatch):
    matplotlib.use("Agg")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the notebook's WORK folder
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    for kind, text in _source().CELLS:
        if kind == "code":
            exec(compile(text, "<notebook cell>", "exec"), namespace)
    figures = namespace["figures"]
    assert {"agreement", "survival", "distribution-final_tariff"} <= set(figures)
    assert all(fig.axes for fig in figures.values())
    comparison = namespace["comparison"]
    assert comparison.paired
    tariff = comparison.table[comparison.table["outcome"] == "final_tariff"]
    assert (tariff["difference"] > 0).all()  # threats raise the tariff in the deal (§4.4)
    assert (namespace["WORK"] / "threats_on.html").is_file()
    assert os.fspath(tmp_path) in os.fspath(namespace["WORK"])
