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
