"""Shared paths and fixtures: everything relative to the repository root, not the cwd."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"
EXPERIMENTS = ROOT / "experiments"
BASELINE = CONFIGS / "baseline.yaml"
PRESETS = tuple(sorted(CONFIGS.glob("*.yaml")))


@pytest.fixture(scope="session")
def baseline():
    """The shipped baseline scenario, loaded once per test session."""
    from negosim.scenario import load_scenario

    return load_scenario(BASELINE)
