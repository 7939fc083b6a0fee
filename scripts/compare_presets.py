"""Measure every preset scenario against the baseline and print the tables of docs/scenarios.md.

Each row runs one scenario file (the decomposition rows, marked ↳, with some values replaced
or some entries added) for the same replicate seeds 0..N-1 and summarises the replicates.
Presets that run for 24 months are compared with the baseline run for the same 24 months
(deadline still month 12), because reversals and China's reaction to a deal only act after
the deal enters into force, and in the baseline that happens at the very end of month 12.

Usage::

    .venv/bin/python scripts/compare_presets.py                  # 2,000 replicates per row
    .venv/bin/python scripts/compare_presets.py --replicates 500 # quicker, noisier

Every random draw in negosim is a pure function of (seed, round, purpose), so the printed
numbers are reproducible bit for bit with the pinned environment.
"""

from __future__ import annotations

import argparse
import copy
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from negosim.model import NegotiationModel
from negosim.outcomes import summarize
from negosim.scenario import Scenario, apply_overrides, load_scenario, scenario_from_mapping

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
MIN_MONTHS = 500  # fewer replicate-months in a group than this: report "–"

Metrics = dict[str, float]


@dataclass(frozen=True)
class Row:
    """One line of the tables: a scenario file, optional changes, and a label.

    ``overrides`` replace values the file already has (``apply_overrides``); ``additions``
    add what it lacks: a new key of a mapping, or a new item appended to a list.
    """

    label: str
    config: str
    overrides: Mapping[str, object] = field(default_factory=dict)
    additions: Mapping[str, object] = field(default_factory=dict)


HAWK = "hawkish_successor.yaml"
INDIFFERENT = "indifferent_us.yaml"
CLASSROOM = "classroom_three_issues.yaml"

ROWS: tuple[Row, ...] = (
    Row("baseline", "baseline.yaml"),
    Row("baseline, 24 months", "baseline.yaml", {"protocol.rounds": 24}),
    Row("hawkish_successor", HAWK),
    Row(
        "↳ hawk without honeymoon",
        HAWK,
        {"politics.approval.initial": 0.34, "politics.approval.initial_honeymoon": 0.0},
    ),
    Row(
        "↳ centrist with honeymoon",
        "baseline.yaml",
        {"politics.approval.initial": 0.47, "politics.approval.initial_honeymoon": 0.13},
    ),
    Row("↳ hawk, r_J kept at 0.85", HAWK, {"politics.leader_types.hawk.reservation": 0.85}),
    Row("indifferent_us (24 months)", INDIFFERENT),
    Row(
        "↳ low commitment value only",
        INDIFFERENT,
        {
            "agents.us.reversal_hazard.trade": 0.08,
            "agents.us.reversal_hazard.security": 0.01,
            "china.us_indifference": 0.2,
        },
    ),
    Row(
        "↳ China's Ind 0.5 only",
        INDIFFERENT,
        {
            "agents.us.ideal.security_commitment": 2,
            "agents.us.commitment_cost": 0.1,
            "agents.us.reversal_hazard.trade": 0.08,
            "agents.us.reversal_hazard.security": 0.01,
        },
    ),
    Row(
        "↳ reversal hazards only",
        INDIFFERENT,
        {
            "agents.us.ideal.security_commitment": 2,
            "agents.us.commitment_cost": 0.1,
            "china.us_indifference": 0.2,
        },
    ),
    Row(
        "↳ + Diet cost of a downgrade",
        INDIFFERENT,
        additions={
            "politics.political_cost.security_commitment": {
                "reference": 2,
                "cost": 0.5,
                "direction": "down",
            }
        },
    ),
    Row(
        "↳ + red line at level 2",
        INDIFFERENT,
        additions={
            "politics.red_lines": {
                "issue": "security_commitment",
                "bound": 2,
                "breached_when": "below",
                "announced_round": 1,
            }
        },
    ),
    Row("spiral_china (24 months)", "spiral_china.yaml"),
    Row("deterrence_china (24 months)", "deterrence_china.yaml"),
    Row("classroom_three_issues (8 months)", CLASSROOM),
    Row("↳ three issues, 12 months", CLASSROOM, {"protocol.rounds": 12, "protocol.deadline": 12}),
    Row(
        "↳ reservations not re-anchored",
        CLASSROOM,
        {"agents.us.reservation": 0.5, "politics.leader_types.centrist.reservation": 0.85},
    ),
    Row("taiwan_statement", "taiwan_statement.yaml"),
)


def add_entries(data: dict[str, object], additions: Mapping[str, object]) -> dict[str, object]:
    """Add each value at its dotted path: appended if the path names a list, else set as a key.

    The parent mapping must exist; the result is validated like any scenario afterwards.
    """
    for path, value in additions.items():
        *parents, last = path.split(".")
        node: object = data
        for part in parents:
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"{path}: no mapping key '{part}' on the way")
            node = node[part]
        if not isinstance(node, dict):
            raise TypeError(f"{path}: the parent is not a mapping")
        target = node.get(last)
        if isinstance(target, list):
            target.append(copy.deepcopy(value))
        else:
            node[last] = copy.deepcopy(value)
    return data


def load(row: Row, configs: Path) -> Scenario:
    """The row's scenario: the file as validated, or its merged mapping with the changes.

    The merged mapping (``Scenario.data``), not the file's text: a preset is an overlay of
    the baseline, and a change may name a value it inherits.
    """
    path = configs / row.config
    scenario = load_scenario(path)
    if not row.overrides and not row.additions:
        return scenario
    data = copy.deepcopy(dict(scenario.data or {}))
    data = add_entries(apply_overrides(data, row.overrides), row.additions)
    return scenario_from_mapping(data, source=f"{path} + changes")


def commitment_response(model: NegotiationModel) -> tuple[float, float]:
    """How China's level in month t+1 differs with the commitment in force in month t.

    Returns (firmer, weaker): the mean next-month level when the commitment is above its
    status quo, minus the mean when it is at the status quo; and the same for below. Positive
    "firmer" means firmness provokes (spiral), negative means it deters. Descriptive, not
    causal: months with a changed commitment are also months after a deal. NaN when fewer
    than MIN_MONTHS replicate-months fall in a group.
    """
    grid = model.tables.grid
    axis = grid.axes[grid.commitment]
    column = f"in_force_{axis.name}"
    s = np.stack([rec.columns[column] for rec in model.history], axis=1)[:, :-1]
    level = np.stack([rec.columns["coercion_level"] for rec in model.history], axis=1)[:, 1:]
    at_quo = s == axis.spec.status_quo
    if at_quo.sum() < MIN_MONTHS:
        return float("nan"), float("nan")
    base = level[at_quo].mean()
    out: list[float] = []
    for group in (s > axis.spec.status_quo, s < axis.spec.status_quo):
        out.append(float(level[group].mean() - base) if group.sum() >= MIN_MONTHS else float("nan"))
    return out[0], out[1]


def measure(model: NegotiationModel) -> Metrics:
    """Per-scenario summary statistics over the replicates of a finished model."""
    s = summarize(model)
    grid = model.tables.grid
    nan = float("nan")
    first = s["first_deal_round"]
    dealt = first >= 1
    levels = np.stack([rec.columns["coercion_level"] for rec in model.history], axis=1)
    last = model.history[-1].columns
    firmer, weaker = commitment_response(model)

    def final(index: int | None, runs: NDArray[np.bool_] | None = None) -> float:
        if index is None or (runs is not None and not runs.any()):
            return float("nan")
        values = s[f"final_{grid.axes[index].name}"]
        return float(values[runs].mean() if runs is not None else values.mean())

    commitment = s[f"final_{grid.axes[grid.commitment].name}"]
    status_quo = grid.axes[grid.commitment].spec.status_quo

    return {
        "rounds": float(model.rounds),
        "deal_by_deadline": float(((first >= 1) & (first <= model.deadline)).mean()),
        "deal_any": float(dealt.mean()),
        "median_first": float(np.median(first[dealt])) if dealt.any() else nan,
        "mean_first": float(first[dealt].mean()) if dealt.any() else nan,
        "in_force_end": float((s["final_status"] != "status quo").mean()),
        "tariff": final(grid.tariff),
        "commitment": final(grid.commitment),
        "defense": final(grid.defense),
        "investment": final(grid.investment),
        "deal_tariff": final(grid.tariff, dealt),
        "deal_commitment": final(grid.commitment, dealt),
        "deal_downgraded": float((commitment[dealt] < status_quo).mean()) if dealt.any() else nan,
        "deal_defense": final(grid.defense, dealt),
        "deal_investment": final(grid.investment, dealt),
        "ratification_failures": float(s["ratification_failures"].mean()),
        "reversals": float((s["reversals_trade"] + s["reversals_security"]).mean()),
        "reopened": float(
            np.sum([rec.columns["reopened"] for rec in model.history], axis=0).mean()
        ),
        "tariff_letters": float(
            np.sum([rec.columns["tariff_letter"] for rec in model.history], axis=0).mean()
        ),
        "majority_lost": float(s["majority_lost"].mean()),
        "leader_replaced": float(s["leader_replaced"].mean()),
        "final_approval": float(s["final_approval"].mean()),
        "china_max": float(s["china_max_level"].mean()),
        "china_max_ge4": float((s["china_max_level"] >= 4).mean()),
        "china_mean": float(levels.mean()),
        "firmer_response": firmer,
        "weaker_response": weaker,
        "reversal_belief": float(np.mean(last["reversal_belief"])),
        "credibility": float(np.mean(last["credibility"])),
    }


def run_row(row: Row, configs: Path, replicates: int) -> Metrics:
    """Run one row for seeds 0..replicates-1 and measure it."""
    model = NegotiationModel(load(row, configs), seeds=range(replicates)).run()
    return measure(model)


Column = tuple[str, str, Callable[[float], str]]


def _fmt(digits: int) -> Callable[[float], str]:
    def fmt(x: float) -> str:
        return "–" if np.isnan(x) else f"{x:.{digits}f}"

    return fmt


def _signed(x: float) -> str:
    return "–" if np.isnan(x) else f"{x:+.2f}"


def _pct(x: float) -> str:
    return "–" if np.isnan(x) else f"{100 * x:.1f} %"


TABLES: tuple[tuple[str, tuple[Column, ...]], ...] = (
    (
        "Deal and terms",
        (
            ("months", "rounds", _fmt(0)),
            ("deal by deadline", "deal_by_deadline", _pct),
            ("deal at all", "deal_any", _pct),
            ("median first-deal round", "median_first", _fmt(0)),
            ("mean first-deal round", "mean_first", _fmt(2)),
            ("deal standing at end", "in_force_end", _pct),
            ("final tariff %", "tariff", _fmt(1)),
            ("final commitment s", "commitment", _fmt(2)),
            ("final defense % GDP", "defense", _fmt(2)),
            ("final pledge $bn", "investment", _fmt(0)),
            ("US tariff letters / run", "tariff_letters", _fmt(2)),
            ("Diet failures / run", "ratification_failures", _fmt(2)),
            ("US reversals / run", "reversals", _fmt(2)),
            ("deals reopened / run", "reopened", _fmt(2)),
        ),
    ),
    (
        "Terms of the deals struck (runs with a deal, final package)",
        (
            ("tariff %", "deal_tariff", _fmt(1)),
            ("commitment s", "deal_commitment", _fmt(2)),
            ("s below status quo", "deal_downgraded", _pct),
            ("defense % GDP", "deal_defense", _fmt(2)),
            ("pledge $bn", "deal_investment", _fmt(0)),
        ),
    ),
    (
        "Politics, China, credibility",
        (
            ("majority lost", "majority_lost", _pct),
            ("leader replaced", "leader_replaced", _pct),
            ("final approval", "final_approval", _pct),
            ("China max level", "china_max", _fmt(2)),
            ("China reaches ≥ 4", "china_max_ge4", _pct),
            ("China mean level", "china_mean", _fmt(2)),
            ("China after firmer s", "firmer_response", _signed),
            ("China after weaker s", "weaker_response", _signed),
            ("final ρ̂", "reversal_belief", _fmt(3)),
            ("final κ", "credibility", _fmt(3)),
        ),
    ),
)


def markdown_table(rows: Sequence[tuple[str, Metrics]], columns: Sequence[Column]) -> str:
    """A markdown table: one line per scenario row, one column per metric."""
    head = "| scenario | " + " | ".join(title for title, _, _ in columns) + " |"
    rule = "|---|" + "|".join("---:" for _ in columns) + "|"
    body = [
        f"| {label} | " + " | ".join(fmt(metrics[key]) for _, key, fmt in columns) + " |"
        for label, metrics in rows
    ]
    return "\n".join([head, rule, *body])


def main(argv: Sequence[str] | None = None) -> None:
    """Run every row and print the markdown tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--replicates", type=int, default=2000, help="seeds 0..N-1 (default 2000)")
    parser.add_argument("--configs", type=Path, default=CONFIGS, help="directory of scenario files")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    results = [(row.label, run_row(row, args.configs, args.replicates)) for row in ROWS]
    print(f"{args.replicates} replicates per row (seeds 0..{args.replicates - 1})\n")
    for title, columns in TABLES:
        print(f"### {title}\n")
        print(markdown_table(results, columns))
        print()
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
