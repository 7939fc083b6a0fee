"""Write docs/notebooks/from_experiment_to_charts.ipynb from the cells below (nbformat 4).

The notebook is plain JSON; this script is its source, so a change is a diff of Python,
and tests/test_notebook.py runs the same cells. Run: .venv/bin/python scripts/make_notebook.py
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "notebooks" / "from_experiment_to_charts.ipynb"

CELLS: list[tuple[str, str]] = [
    (
        "markdown",
        """# From an experiment file to every chart and a comparison

This notebook runs a small sweep from an experiment file, loads it, draws every chart of
`negosim plot` as matplotlib figures, and compares it with a second sweep that differs in one
lever (the US tariff-threat probability) on the same seeds, so the comparison is paired.
Run it from the repository root with the project's kernel (`.venv/bin/python -m ipykernel`,
or paste the cells into `.venv/bin/python`). Nothing is downloaded; the two sweeps take
about a minute.""",
    ),
    (
        "code",
        """import tempfile
from pathlib import Path

import negosim
from negosim import plots
from negosim.plots import sweep as sweep_charts
from negosim.sweep.experiment import load_experiment
from negosim.sweep.runner import run_sweep

ROOT = Path(negosim.__file__).resolve().parents[2]   # the repository
WORK = Path(tempfile.mkdtemp(prefix="negosim-notebook-"))
print(WORK)""",
    ),
    (
        "markdown",
        """## 1. Two experiments that differ in one lever

Both start from the shipped baseline and vary China's ω (deterrence 0 … spiral 1) on a
grid; the second also sets the US tariff-threat probability to 0.5. Same master seed, same
design: replicate *r* of point *p* has the same seed in both, so runs pair one to one.""",
    ),
    (
        "code",
        """TEMPLATE = '''name: {name}
scenario: {scenario}
seed: 20250207
replicates: 200
rounds: 12
design:
  method: grid
  parameters:
    china.omega: {{values: [0.0, 0.5, 1.0]}}
    agents.us.tariff_threat.probability: {{values: [{threat}]}}
keep:
  runs: all
  rounds: [coercion_level, approval, deal_in_force, in_force_tariff]
report: [deal_reached, first_deal_round, final_tariff, china_max_level]
'''
paths = {}
for name, threat in (("threats_off", 0.0), ("threats_on", 0.5)):
    path = WORK / f"{name}.yaml"
    path.write_text(TEMPLATE.format(name=name, scenario=ROOT / "configs" / "baseline.yaml",
                                    threat=threat))
    paths[name] = path
print(paths["threats_on"].read_text())""",
    ),
    ("markdown", "## 2. Run both sweeps (the same code as `negosim sweep`)"),
    (
        "code",
        """dirs = {}
for name, path in paths.items():
    dirs[name] = WORK / name
    run_sweep(load_experiment(path), dirs[name], executor="inline", progress=False)
off = negosim.load_sweep(dirs["threats_off"])
on = negosim.load_sweep(dirs["threats_on"])
off   # a short summary: experiment, hash, design, points x replicates, agreement""",
    ),
    (
        "markdown",
        """## 3. The runs as a table

`runs` has one row per run with its point's parameter values; `rounds` one row per run
and month (only the kept columns).""",
    ),
    (
        "code",
        """runs = off.runs
runs.groupby("china.omega")[["deal_reached", "final_tariff", "china_max_level"]].mean()""",
    ),
    (
        "markdown",
        """## 4. Every chart of the sweep

`negosim.plots.sweep.charts(sweep)` lists what `negosim plot DIR` draws, each as a
function returning a matplotlib figure; in Jupyter the figure shows itself.""",
    ),
    (
        "code",
        """figures = {}
with plots.house_style():
    for stem, draw in sweep_charts.charts(off):
        figures[stem] = draw()
sorted(figures)""",
    ),
    ("code", """figures["survival"]"""),
    ("code", """figures["distribution-final_tariff"]"""),
    (
        "markdown",
        """## 5. One run's charts

`negosim run CONFIG --out DIR` saves a run; `plots.load_run(DIR)` reads it back.""",
    ),
    (
        "code",
        """from negosim.cli import main

run_dir = WORK / "one_run"
main(["run", str(ROOT / "configs" / "baseline.yaml"), "--out", str(run_dir), "--quiet"])
run = plots.load_run(run_dir)
with plots.house_style():
    space = plots.outcome_space_chart(run)
space""",
    ),
    (
        "markdown",
        """## 6. Compare: what does the threat change?

The points are matched on ω (the threat probability is what differs, so each side's value
of it is chosen); paired, since the seeds match replicate by replicate; Benjamini–Hochberg
control across outcomes and points. `table` is a DataFrame, ranked by what differs most.""",
    ),
    (
        "code",
        """from negosim.compare import compare

THREAT = "agents.us.tariff_threat.probability"
comparison = compare(dirs["threats_off"], dirs["threats_on"],
                     a_point={THREAT: 0.0}, b_point={THREAT: 0.5},  # matched on ω
                     outcomes=["deal_reached", "final_tariff", "first_deal_round",
                               "china_max_level"])
print(comparison.pairing.statement)
comparison.table[["outcome", "point", "mean_a", "mean_b", "difference", "ci95_low",
                  "ci95_high", "p_adjusted", "effect"]].head(8)""",
    ),
    ("code", """comparison.effects_figure()"""),
    (
        "markdown",
        """## 7. Reports

`negosim report DIR` and `negosim compare A B --report` write one self-contained HTML
file (images embedded) that prints to PDF from a browser.""",
    ),
    (
        "code",
        """report = WORK / "threats_on.html"
main(["report", str(dirs["threats_on"]), "--out", str(report)])""",
    ),
]


def notebook() -> dict:
    """The notebook's JSON document."""
    cells = []
    for kind, text in CELLS:
        cell = {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True)}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


if __name__ == "__main__":
    TARGET.write_text(json.dumps(notebook(), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {TARGET}")
