"""The numbers quoted in docs/seminar.md, measured with the simulator (about a minute).

    .venv/bin/python scripts/seminar_figures.py

Each exercise's settings run 1,000 replicates on seeds 0-999 (the page's "compare with
baseline" uses the same seeds), through the same scenario overrides the page's controls
write (negosim.seminar.controls), so a class that moves the sliders sees these numbers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from negosim.model import NegotiationModel
from negosim.outcomes import summarize
from negosim.scenario import Scenario, apply_overrides, load_scenario, scenario_from_mapping

ROOT = Path(__file__).resolve().parent.parent
BASE = load_scenario(ROOT / "configs" / "baseline.yaml")
N = 1000


def measure(overrides: dict, base: Scenario = BASE) -> dict[str, float]:
    """Mean outcomes of N runs of ``base`` with ``overrides`` (the page's dotted paths)."""
    scenario = scenario_from_mapping(apply_overrides(base.data, overrides), "<figures>")
    summary = summarize(NegotiationModel(scenario, seeds=range(N)).run())
    first = np.asarray(summary["first_deal_round"], dtype=float)
    return {
        "deal": float(np.mean(summary["deal_reached"])),
        "ratification_failures": float(np.mean(summary["ratification_failures"])),
        "first_deal": float(np.nanmean(np.where(first < 0, np.nan, first))),
        "china_max": float(np.mean(summary["china_max_level"])),
        "p_coercion": float(np.mean(np.asarray(summary["china_max_level"]) >= 4)),
        "tariff": float(np.mean(summary["final_tariff"])),
        "defense": float(np.mean(summary["final_defense_budget"])),
        "us_utility": float(np.mean(summary["us_utility"])),
        "japan_utility": float(np.mean(summary["japan_utility"])),
        "approval": float(np.mean(summary["final_approval"])),
    }


def line(label: str, m: dict[str, float]) -> str:
    """One printed row of measured outcomes."""
    return (
        f"{label:<38} deal {m['deal']:.2f}  failed votes {m['ratification_failures']:.2f}  "
        f"first deal {m['first_deal']:.1f}  China max {m['china_max']:.2f} "
        f"P(>=4) {m['p_coercion']:.2f}  tariff {m['tariff']:.1f}  defense {m['defense']:.2f}  "
        f"U_US {m['us_utility']:.3f}  U_J {m['japan_utility']:.3f}  approval {m['approval']:.3f}"
    )


def main() -> None:
    """Print every table of docs/seminar.md."""
    print(line("baseline", measure({})))
    print("\nExercise 1: starting approval (politics.approval.initial)")
    for a in (0.15, 0.20, 0.25, 0.30, 0.34, 0.40, 0.50):
        print(line(f"  approval {a:.2f}", measure({"politics.approval.initial": a})))
    print("\nExercise 2: omega x commitment in force (issues.security_commitment.status_quo)")
    for omega in (0.1, 0.5, 0.9):
        for s in (2, 3):
            overrides = {"china.omega": omega, "issues.security_commitment.status_quo": s}
            print(line(f"  omega {omega} commitment {s}", measure(overrides)))
    print("\nExercise 3: US linkage (agents.us.linkage)")
    for ell in (0.0, 0.3, 0.7, 1.0):
        print(line(f"  US linkage {ell}", measure({"agents.us.linkage": ell})))
    print("\nInstructor events at round 3 (events list)")
    for kind, value in (
        ("taiwan_statement", 1.0),
        ("tariff_letter", 25.0),
        ("legal_shock", 1.0),
        ("coalition_collapse", -0.3),
        ("collision_at_sea", 5.0),
    ):
        event = {"round": 3, "kind": kind, "value": value}
        print(line(f"  {kind} in round 3", measure({"events": [event]})))


if __name__ == "__main__":
    main()
