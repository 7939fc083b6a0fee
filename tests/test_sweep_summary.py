"""What a loaded sweep shows: ``repr``, ``summary()`` and the HTML Jupyter renders.

The counts must be the sweep's own (points, replicates, chunks on disk, runs and deals as
pandas counts them from the files); an interrupted sweep says "incomplete: N of M chunks".
"""

from __future__ import annotations

import html
import re
import shutil

import pandas as pd
import pytest

from conftest import BASELINE, write
from negosim.sweep import load_experiment, load_sweep, run_sweep
from negosim.sweep.stats import wilson_interval

GRID = f"""\
name: summary <grid>
scenario: {BASELINE}
seed: 2
replicates: 3
rounds: 4
design:
  method: grid
  parameters:
    china.omega: {{values: [0.0, 0.5, 1.0]}}
    politics.leader: {{values: [dove, hawk]}}
"""


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    directory = tmp_path_factory.mktemp("summary")
    experiment = load_experiment(write(directory, GRID))
    run_sweep(experiment, directory / "out", executor="inline", chunk_runs=4, progress=False)
    return experiment, load_sweep(directory / "out")


def test_repr_of_a_sobol_sweep_has_its_counts(crn_sobol):
    experiment, sweep = crn_sobol
    text = repr(sweep)
    assert text == sweep.summary()
    assert text.startswith(f"Sweep {sweep.root}\n")
    assert f"experiment: dominant (sha256 {experiment.sha256[:12]})" in text
    assert "design:     sobol, 64 points × 8 replicates, 12 rounds" in text
    assert "seeds:      common random numbers" in text
    assert "status:     complete" in text
    runs = pd.read_parquet(sweep.root / "runs")
    deals = int(runs["deal_reached"].sum())
    low, high = wilson_interval([deals], [len(runs)])
    rate = (
        f"{deals / len(runs):.3f} [{low[0]:.3f}, {high[0]:.3f}] ({deals:,} of {len(runs):,} runs)"
    )
    assert f"agreement:  {rate}" in text
    omega = sweep.parameters["china.omega"]
    assert re.search(
        rf"china\.omega\s+{omega.min():.4g} … {omega.max():.4g} \({omega.nunique()} values\)", text
    )
    outcomes = [c for c in runs.columns if c not in ("point", "replicate", "seed")]
    assert f"outcomes:   {len(outcomes)}: deal_reached" in text
    assert all(name in " ".join(text.split()) for name in outcomes)


def test_a_grid_lists_its_values_and_the_html_escapes_them(grid):
    _, sweep = grid
    text = sweep.summary()
    assert "grid, 6 points × 3 replicates, 4 rounds" in text
    assert re.search(r"china\.omega\s+values 0, 0\.5, 1\n", text)
    assert re.search(r"politics\.leader\s+values dove, hawk", text)
    assert "seeds:      independent per point" in text
    page = sweep._repr_html_()
    assert "summary &lt;grid&gt;" in page and "<grid>" not in page  # the name, escaped
    assert "6 points × 3 replicates" in page and "<table>" in page
    assert html.escape("values dove, hawk") in page
    assert "incomplete" not in page


def test_an_interrupted_sweep_says_how_many_chunks_are_there(grid, tmp_path):
    _, sweep = grid
    copy = shutil.copytree(sweep.root, tmp_path / "partial")
    for part in sorted((copy / "runs").glob("part-*.parquet"))[:2]:
        part.unlink()  # as if those chunks had not finished
    partial = load_sweep(copy)
    chunks = sweep.manifest["chunks"]
    assert chunks == 5  # 18 runs in chunks of 4
    assert f"status:     incomplete: {chunks - 2} of {chunks} chunks" in partial.summary()
    assert f"<strong>incomplete: {chunks - 2} of {chunks} chunks</strong>" in partial._repr_html_()
    runs = pd.read_parquet(copy / "runs")
    assert f"of {len(runs):,} runs)" in partial.summary()
    for part in (copy / "runs").glob("part-*.parquet"):
        part.unlink()
    empty = load_sweep(copy).summary()
    assert "incomplete: 0 of 5 chunks" in empty
    assert "agreement:  no runs on disk yet" in empty and "outcomes:   none on disk yet" in empty


def test_the_repr_of_a_damaged_directory_does_not_raise(grid, tmp_path):
    _, sweep = grid
    copy = shutil.copytree(sweep.root, tmp_path / "damaged")
    (copy / "parameters.parquet").unlink()
    text = repr(load_sweep(copy))
    assert text.startswith(f"Sweep({str(copy)!r}) (no summary: ")
    assert "parameters.parquet" in text
