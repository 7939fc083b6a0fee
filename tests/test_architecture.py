"""The layers and what each may import (docs/architecture.md), checked on the source.

schema and registry are leaves; core reads only them; the scenario boundary may use the
core's registries; the Mesa shell (agents, model) orders core rules; outcomes, files, the
account, sweeps and the command line sit on top. An import against these arrows is how an
import cycle starts, so it fails here first.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

SRC = ROOT / "src" / "negosim"
MODULES = sorted(SRC.rglob("*.py"))

#: For each layer (a module or package of negosim), the layers it may import.
ALLOWED = {
    "schema": set(),
    "provenance": set(),  # which code and command produced a result: a leaf
    "exit_codes": set(),  # the exit status table every command returns from: a leaf
    "registry": set(),
    "core": {"schema", "registry", "core"},
    "scenario": {"schema", "registry", "core", "scenario"},
    "agents": {"schema", "registry", "core", "agents"},
    # Explanations read a run (the model's record, the core's rules); nothing reads them
    # but the command line and pages on top.
    "explain": {"schema", "registry", "core", "agents", "model", "explain"},
    # A top layer, like sweep: everything below it, nothing of the command line.
    "levers": {
        "schema",
        "registry",
        "core",
        "scenario",
        "agents",
        "model",
        "mesa_conventions",
        "columns",
        "outcomes",
        "results",
        "provenance",
        "exit_codes",
        "sweep",
        "levers",
    },
    # The seminar page's logic and layout: the model and its outputs, never the command line.
    "seminar": {
        "schema",
        "registry",
        "core",
        "scenario",
        "agents",
        "model",
        "mesa_conventions",
        "columns",
        "outcomes",
        "results",
        "account",
        "outcome_space",
        "plots",
        "report",
        "explain",
        "seminar",
    },
}


def _layer(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return parts[0]


def _imports(path: Path) -> set[str]:
    """The negosim layers a module imports (at any depth, type-checking imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "negosim" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_module_imports_only_the_layers_below_it(path: Path) -> None:
    layer = _layer(path)
    if layer not in ALLOWED:
        return
    wrong = _imports(path) - ALLOWED[layer]
    if layer == "agents":  # agents are typed against the model they belong to
        wrong -= {"model"}
    assert not wrong, f"{path.relative_to(SRC)} ({layer}) imports {sorted(wrong)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_is_over_400_lines(path: Path) -> None:
    lines = len(path.read_text().splitlines())
    assert lines <= 400, f"{path.relative_to(SRC)} has {lines} lines: split it by concept"


def test_the_core_loads_without_the_scenario_loader() -> None:
    code = (
        "import sys, negosim.core.china, negosim.core.concession, negosim.core.events;"
        "print(sorted(m for m in sys.modules if m.startswith('negosim.scenario')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
