"""Values elsewhere in the file that must lie on an issue's scale or a unit interval.

A tariff threat of 80 % on a 0–50 % issue, or a Taiwan statement of weight 3, would be
silently clipped or snapped inside the model; here they are named instead.
"""

from __future__ import annotations

from negosim.scenario.problems import Reporter
from negosim.schema import IssueSpec, ScenarioSpec


def _issue_with_role(spec: ScenarioSpec, role: str) -> tuple[str, IssueSpec] | None:
    for name, issue in spec.issues.items():
        if issue.enabled and issue.role == role:
            return name, issue
    return None


def _in_range(r: Reporter, path: str, value: float, low: float, high: float, what: str) -> None:
    if not low <= value <= high:
        r.add(path, "out of range", f"{value:g}", f"{what} in [{low:g}, {high:g}]")


def check_scales(spec: ScenarioSpec, r: Reporter) -> None:
    """Threat level and spiral reference against their scales (event values: registry)."""
    tariff = _issue_with_role(spec, "tariff")
    if tariff is not None:
        name, issue = tariff
        _in_range(
            r,
            "agents.us.tariff_threat.level",
            spec.agents.us.tariff_threat.level,
            issue.min,
            issue.max,
            f"a level of issue '{name}' ({issue.unit})",
        )
    reference = spec.china.spiral_reference
    for role, value, field in (
        ("commitment", reference.commitment, "commitment"),
        ("defense", reference.defense, "defense"),
    ):
        held = _issue_with_role(spec, role)
        if value is not None and held is not None:
            name, issue = held
            _in_range(
                r,
                f"china.spiral_reference.{field}",
                value,
                issue.min,
                issue.max,
                f"a level of issue '{name}' ({issue.unit})",
            )
