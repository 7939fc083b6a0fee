"""The DuckDB (and pandas) examples in the docs run, on a sweep made by running the model.

The code blocks of docs/sweeps.md that use DuckDB and the example in ``negosim.sweep.load``'s
docstring are executed as written, in a directory whose ``runs/omega_commitment`` (and
``runs/omega``) hold a small sweep; each ``duckdb.sql(...)`` statement is fetched, so a
query that does not parse or bind fails here, and the agreement rates it returns must be
pandas' own. Skipped when DuckDB (the ``analysis`` extra) is not installed.
"""

from __future__ import annotations

import ast
import re
import textwrap

import pandas as pd
import pytest

import negosim.sweep.load
from conftest import BASELINE, ROOT, write
from negosim.sweep import load_experiment, run_sweep

duckdb = pytest.importorskip("duckdb")

SMALL = f"""\
name: omega_commitment
scenario: {BASELINE}
seed: 8
replicates: 6
rounds: 12
design:
  method: grid
  parameters:
    china.omega: {{values: [0.0, 1.0]}}
keep:
  rounds: [coercion_level, approval]
"""


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory):
    """A working directory with runs/omega_commitment (and runs/omega) holding a sweep."""
    cwd = tmp_path_factory.mktemp("docs")
    experiment = load_experiment(write(cwd, SMALL))
    run_sweep(experiment, cwd / "runs" / "omega_commitment", executor="inline", progress=False)
    (cwd / "runs" / "omega").symlink_to(cwd / "runs" / "omega_commitment")
    return cwd


def _fetching(code: str) -> str:
    """``code`` with each statement ``duckdb.sql(...)`` replaced by fetching its rows."""
    tree = ast.parse(code)
    for i, node in enumerate(tree.body):
        call = node.value if isinstance(node, ast.Expr) else None
        if isinstance(call, ast.Call) and ast.unparse(call.func) == "duckdb.sql":
            fetched = ast.parse(f"_results.append(({ast.unparse(call)}).fetchall())").body[0]
            tree.body[i] = ast.copy_location(fetched, node)
    return ast.unparse(tree)


def _docs_blocks() -> list[str]:
    text = (ROOT / "docs" / "sweeps.md").read_text(encoding="utf-8")
    return [b for b in re.findall(r"```python\n(.*?)```", text, flags=re.S) if "duckdb" in b]


def _docstring_block() -> str:
    doc = negosim.sweep.load.__doc__ or ""
    block = doc.split("::\n", 1)[1].split("\n\n")[0:2]  # the pandas lines, then DuckDB's
    return textwrap.dedent("\n".join(block))


def _run(code: str) -> list[list[tuple]]:
    results: list[list[tuple]] = []
    exec(compile(_fetching(code), "<docs>", "exec"), {"_results": results})
    return results


def test_the_docs_have_duckdb_examples():
    assert len(_docs_blocks()) == 1
    assert "duckdb.sql" in _docstring_block() and "pd.read_parquet" in _docstring_block()


def test_the_duckdb_examples_in_docs_sweeps_md_run(runs_dir, monkeypatch):
    monkeypatch.chdir(runs_dir)
    (block,) = _docs_blocks()
    agreement, joined = _run(block)
    runs = pd.read_parquet("runs/omega_commitment/runs")
    expected = runs.groupby("point")["deal_reached"].mean()
    assert expected.sum() > 0  # deals happen, so the rates are a real check
    assert [p for p, _ in agreement] == expected.index.tolist()
    assert [a for _, a in agreement] == pytest.approx(expected.tolist(), abs=1e-12)
    rounds = pd.read_parquet("runs/omega_commitment/rounds")
    assert len(joined) == len(rounds) == 2 * 6 * 12


def test_the_example_in_load_sweeps_docstring_runs(runs_dir, monkeypatch):
    monkeypatch.chdir(runs_dir)
    agreement, joined = _run(_docstring_block())
    runs = pd.read_parquet("runs/omega/runs")
    expected = runs.groupby("point")["deal_reached"].mean()
    assert [p for p, _ in sorted(agreement)] == expected.index.tolist()
    assert [a for _, a in sorted(agreement)] == pytest.approx(expected.tolist(), abs=1e-12)
    assert len(joined) == 2 * 6 * 12
