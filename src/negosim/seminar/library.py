"""The presets a seminar offers: the scenario files beside the one the server started with.

Presets are loaded and checked once, when the server starts (a broken preset is reported
then, not in front of a class), and shared read-only by every session.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from negosim.scenario import Scenario, ScenarioError, load_scenario


@dataclass(frozen=True)
class Preset:
    """One shipped scenario: its file name, what it teaches, and the checked scenario."""

    name: str
    path: Path
    scenario: Scenario

    @property
    def title(self) -> str:
        """The file name without .yaml: how the page and the instructor view name it."""
        return self.path.stem

    @property
    def description(self) -> str:
        """The scenario's own one-paragraph description."""
        return " ".join(self.scenario.spec.description.split())


class PresetLibrary:
    """The scenario files of one directory, the server's CONFIG first."""

    def __init__(self, first: Path) -> None:
        self.first = first.name
        self.presets: dict[str, Preset] = {}
        self.problems: list[str] = []
        paths = [first, *sorted(p for p in first.parent.glob("*.yaml") if p.name != first.name)]
        for path in paths:
            try:
                self.presets[path.name] = Preset(path.name, path, load_scenario(path))
            except ScenarioError as err:
                if path == first:
                    raise
                self.problems.append(f"{path.name}: skipped, {len(err.problems)} problem(s)")

    def names(self) -> list[str]:
        """Preset file names, the server's CONFIG first."""
        return list(self.presets)

    def __getitem__(self, name: str) -> Preset:
        return self.presets[name]

    def __contains__(self, name: object) -> bool:
        return name in self.presets

    def paths(self) -> dict[str, Path]:
        """File name → path, what an upload's ``extends`` may name."""
        return {name: preset.path for name, preset in self.presets.items()}
