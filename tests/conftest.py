"""Shared paths, fixtures and helpers: everything relative to the repository root, not the cwd.

Test modules import the constants and helpers by name (``from conftest import BASELINE``);
the ``baseline`` fixture loads the shipped baseline once per session.
"""

from __future__ import annotations

import copy
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"
EXPERIMENTS = ROOT / "experiments"
BASELINE = CONFIGS / "baseline.yaml"
PRESETS = tuple(sorted(CONFIGS.glob("*.yaml")))
BASE_TEXT = BASELINE.read_text(encoding="utf-8")
# The console script of the interpreter running the tests (the venv's), else the repo's venv.
NEGOSIM = next(
    (
        p
        for p in (Path(sys.executable).parent / "negosim", ROOT / ".venv" / "bin" / "negosim")
        if p.exists()
    ),
    ROOT / ".venv" / "bin" / "negosim",
)


@pytest.fixture(scope="session")
def baseline():
    """The shipped baseline scenario, loaded once per test session."""
    from negosim.scenario import load_scenario

    return load_scenario(BASELINE)


@cache
def _baseline_mapping() -> dict[str, object]:
    return yaml.safe_load(BASE_TEXT)


def baseline_data() -> dict[str, object]:
    """The baseline's YAML mapping, a fresh deep copy per call (callers may edit it)."""
    return copy.deepcopy(_baseline_mapping())


def edit(text: str, old: str, new: str) -> str:
    """``text`` with its one occurrence of ``old`` replaced (a test edits a known anchor)."""
    assert text.count(old) == 1, f"anchor {old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, needle: str, after: str | None = None) -> int:
    """1-based line of the unique line containing ``needle`` (first one after ``after``)."""
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    hits = [i + 1 for i, line in enumerate(lines) if i >= start and needle in line]
    assert hits, f"{needle!r} not found"
    if after is None:
        assert len(hits) == 1, f"{needle!r} on lines {hits}"
    return hits[0]


def tiny_experiment(
    report: str | None = "[deal_reached, china_max_level]",
    *,
    name: str = "tiny",
    seed: int = 3,
    replicates: int = 3,
    rounds: int = 3,
    omega: str = "[0.0, 1.0]",
    runs: str | None = None,
    kept_rounds: str = "none",
) -> str:
    """A two-point (China's ω) experiment of the baseline; by default 3 replicates of 3
    rounds, every run column and no per-round table. ``report`` None: no report line."""
    text = f"""\
name: {name}
scenario: {BASELINE}
seed: {seed}
replicates: {replicates}
rounds: {rounds}
design:
  method: grid
  parameters:
    china.omega: {{values: {omega}}}
keep:
"""
    if runs is not None:
        text += f"  runs: {runs}\n"
    text += f"  rounds: {kept_rounds}\n"
    return text if report is None else text + f"report: {report}\n"


def write(directory: Path, text: str, name: str = "experiment.yaml") -> Path:
    """Write ``text`` to ``directory / name`` (UTF-8) and return the path."""
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """Run ``negosim`` in-process: (exit code, stdout, stderr)."""
    from negosim.cli import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# --- small Sobol sweeps (made by running the model), shared by the sweep statistics tests ----

# ω drives China's peak coercion; nothing in the model reads the markets (docs/model.md §7),
# so the Nikkei's move on a deal is inert for every outcome but the markets'.
SOBOL_DOMINANT = f"""\
name: dominant
scenario: {BASELINE}
seed: 6
replicates: 8
rounds: 12
design:
  method: sobol
  samples: 16
  parameters:
    china.omega: {{min: 0.0, max: 1.0}}
    markets.nikkei_on_deal: {{min: 0.0, max: 7.0}}
keep:
  rounds: none
report: [deal_reached, china_max_level, final_nikkei]
"""
# Independent seeds, on half the points (a cheaper fixture: the noise it shows needs no more).
SOBOL_INDEPENDENT = SOBOL_DOMINANT.replace(
    "seed: 6\n", "seed: 6\ncommon_random_numbers: false\n"
).replace("samples: 16", "samples: 8")


def _small_sweep(factory: pytest.TempPathFactory, name: str, text: str) -> tuple[object, object]:
    from negosim.sweep import load_experiment, load_sweep, run_sweep

    directory = factory.mktemp(name)
    experiment = load_experiment(write(directory, text))
    run_sweep(experiment, directory / "out", executor="inline", progress=False)
    return experiment, load_sweep(directory / "out")


@pytest.fixture(scope="session")
def crn_sobol(tmp_path_factory):
    """(experiment, sweep) of SOBOL_DOMINANT: 64 points x 8, common random numbers (default)."""
    return _small_sweep(tmp_path_factory, "crn", SOBOL_DOMINANT)


@pytest.fixture(scope="session")
def independent_sobol(tmp_path_factory):
    """(experiment, sweep) of SOBOL_INDEPENDENT: 32 points x 8, independent seeds."""
    return _small_sweep(tmp_path_factory, "independent", SOBOL_INDEPENDENT)
