"""The page's controls as scenario overrides: each one a dotted path, its range and its unit.

A control changes one field of the scenario (the same dotted paths ``negosim sweep`` varies,
:mod:`negosim.scenario.overrides`), so whatever a student sets is validated by the same
checks as a file on the command line, and a problem comes back with the path of the control
that caused it. Japan's controls act on the sitting leader's type (``politics.leader``), the
only copy of the leader's priorities, ideal points and concession (docs/scenarios.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from negosim.core.concession import CONCESSION_STYLES
from negosim.scenario import Scenario

SIDES = ("japan", "us", "china")


@dataclass(frozen=True)
class Control:
    """One control: where it writes, how a person reads it, what it accepts."""

    path: str
    label: str
    group: str
    low: float = 0.0
    high: float = 1.0
    step: float = 0.05
    unit: str = ""
    options: tuple[str, ...] = ()

    @property
    def is_choice(self) -> bool:
        """A choice among named options (a concession style), not a number."""
        return bool(self.options)

    def check(self, value: object) -> str | None:
        """What is wrong with ``value`` from a browser (None: nothing)."""
        if self.is_choice:
            if value not in self.options:
                return f"{self.label}: choose one of {', '.join(self.options)}"
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{self.label}: a number is needed, got {str(value)[:40]!r}"
        if not math.isfinite(value) or not self.low - 1e-9 <= value <= self.high + 1e-9:
            return f"{self.label}: {value!r} is outside {self.low:g}..{self.high:g} {self.unit}"
        return None


def controls_for(scenario: Scenario) -> list[Control]:
    """Every control of the page for ``scenario``'s issues and sitting leader, by side."""
    spec = scenario.spec
    leader = f"politics.leader_types.{spec.politics.leader}"
    styles = tuple(CONCESSION_STYLES.names())
    controls: list[Control] = []
    for side, base in (("japan", leader), ("us", "agents.us")):
        for name, issue in spec.issues.items():
            if not issue.enabled:
                continue
            controls.append(
                Control(f"{base}.priorities.{name}", f"priority: {name.replace('_', ' ')}", side)
            )
        for name, issue in spec.issues.items():
            if not issue.enabled:
                continue
            controls.append(
                Control(
                    f"{base}.ideal.{name}",
                    f"ideal: {name.replace('_', ' ')}",
                    side,
                    issue.min,
                    issue.max,
                    issue.step,
                    issue.unit,
                )
            )
        controls.append(
            Control(f"{base}.concession.style", "concession style", side, options=styles)
        )
    controls += [
        Control("agents.japan.linkage", "linkage ℓ (trades across issues)", "japan"),
        Control(
            "politics.approval.initial", "starting approval", "japan", 0.05, 0.8, 0.01, "share"
        ),
        Control(
            "politics.approval.equilibrium",
            "approval it settles at (A*)",
            "japan",
            0.05,
            0.8,
            0.01,
            "share",
        ),
        Control("agents.us.linkage", "linkage ℓ (trades across issues)", "us"),
    ]
    tariff = next((i for i in spec.issues.values() if i.enabled and i.role == "tariff"), None)
    controls.append(
        Control("agents.us.tariff_threat.probability", "tariff letter, chance a month", "us")
    )
    if tariff is not None:
        controls.append(
            Control(
                "agents.us.tariff_threat.level",
                "tariff letter, level",
                "us",
                tariff.min,
                tariff.max,
                tariff.step,
                tariff.unit,
            )
        )
    controls += [
        Control(
            "agents.us.reversal_hazard.trade",
            "reversal hazard: trade",
            "us",
            0,
            0.5,
            0.01,
            "/month",
        ),
        Control(
            "agents.us.reversal_hazard.security",
            "reversal hazard: security",
            "us",
            0,
            0.1,
            0.005,
            "/month",
        ),
        Control("china.omega", "ω: deterrence (0) ↔ spiral (1)", "china"),
    ]
    return controls


def read_path(data: dict[str, Any], path: str) -> Any:
    """The value at a dotted path of a resolved scenario (integer-like keys by their text)."""
    node: Any = data
    for part in path.split("."):
        node = node[part] if part in node else {str(k): v for k, v in node.items()}[part]
    return node


def current_values(scenario: Scenario, controls: list[Control]) -> dict[str, Any]:
    """Each control's value in the resolved scenario."""
    resolved = scenario.resolved
    return {c.path: read_path(resolved, c.path) for c in controls}


def overrides_from(
    scenario: Scenario, controls: list[Control], values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """(overrides, problems by path) for the values a person set that differ from ``scenario``.

    Priorities moved by a slider no longer sum to 1, so a block with a moved priority gets
    ``normalize: true`` (docs/scenarios.md): the weights are read as shares. A new concession
    style keeps only the initial fraction ``k`` of the old parameters, so ``e`` becomes the
    new style's own.
    """
    by_path = {c.path: c for c in controls}
    base = current_values(scenario, controls)
    overrides: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for path, value in values.items():
        control = by_path.get(path)
        if control is None:
            problems[path] = "no such control"
            continue
        error = control.check(value)
        if error is not None:
            problems[path] = error
            continue
        if value == base[path]:
            continue
        overrides[path] = value if control.is_choice else float(value)
        if ".priorities." in path:
            overrides[path.split(".priorities.")[0] + ".normalize"] = True
        if path.endswith(".concession.style"):
            params = read_path(scenario.resolved, path.removesuffix(".style") + ".params")
            overrides[path.removesuffix(".style") + ".params"] = (
                {"k": params["k"]} if "k" in params else {}
            )
    return overrides, problems
