"""Measure every preset scenario against the baseline and print the tables of docs/scenarios.md.

Each row runs one scenario file (the decomposition rows, marked ↳, with some values replaced
or some entries added) for the same replicate seeds 0..N-1 and summarises the replicates.
Presets that run for 24 months are compared with the baseline run for the same 24 months
(planning horizon still month 12): reversals and China's reading of a deal act only on a
deal in force, and in the baseline first deals are ratified in months 8-12 (most in month 8)
and enter into force the month after, so a 12-month run leaves a deal in force for only two
or three months.

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

from negosim.levers.stats import paired_effect
from negosim.model import NegotiationModel
from negosim.outcomes import summarize
from negosim.scenario import Scenario, apply_overrides, load_scenario, scenario_from_mapping

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
MIN_MONTHS = 500  # fewer replicate-months in a group than this: report "–"

Metrics = dict[str, float]
PerRun = dict[str, NDArray[np.float64]]


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
SPIRAL = "spiral_china.yaml"
DETERRENCE = "deterrence_china.yaml"
CLASSROOM = "classroom_three_issues.yaml"
TAIWAN = "taiwan_statement.yaml"

#: Japan accepts nothing: its outside option at the top of its [0, 1] scale (docs/model.md
#: §4.5). The same months are played (threats included), but no deal is ever struck.
NO_DEAL: Mapping[str, object] = {"agents.japan.outside_option": 1.0}
#: The US never reverses an item of a deal in force (docs/model.md §6).
NO_REVERSALS: Mapping[str, object] = {
    "agents.us.reversal_hazard.trade": 0.0,
    "agents.us.reversal_hazard.security": 0.0,
    "agents.us.reversal_hazard.per_shortfall": 0.0,
}

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
    Row(
        "↳ hawk conceding as the centrist",
        HAWK,
        {"politics.leader_types.hawk.concession.params.e": 1.5},
    ),
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
    Row("↳ Japan links freely (ℓ_J 1)", INDIFFERENT, {"agents.japan.linkage": 1.0}),
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
    Row("spiral_china (24 months)", SPIRAL),
    Row("↳ spiral, no deal", SPIRAL, NO_DEAL),
    Row("↳ spiral, no reversals", SPIRAL, NO_REVERSALS),
    Row("↳ spiral, no reversals, no deal", SPIRAL, {**NO_REVERSALS, **NO_DEAL}),
    Row("deterrence_china (24 months)", DETERRENCE),
    Row("↳ deterrence, no deal", DETERRENCE, NO_DEAL),
    Row("↳ deterrence, no reversals", DETERRENCE, NO_REVERSALS),
    Row("↳ deterrence, no reversals, no deal", DETERRENCE, {**NO_REVERSALS, **NO_DEAL}),
    Row("classroom_three_issues (8 months)", CLASSROOM),
    Row("↳ three issues, 12 months", CLASSROOM, {"protocol.rounds": 12, "protocol.deadline": 12}),
    Row("↳ four issues, 8 months", "baseline.yaml", {"protocol.rounds": 8, "protocol.deadline": 8}),
    Row("taiwan_statement", TAIWAN),
    Row(
        "↳ statement in May (round 4)",
        TAIWAN,
        {
            "events": [
                {
                    "round": 4,
                    "kind": "taiwan_statement",
                    "value": 0.8,
                    "note": "hypothetical: PM answers in the Diet's ordinary session",
                }
            ]
        },
    ),
)


@dataclass(frozen=True)
class Contrast:
    """A paired difference ``high - low`` of one per-run outcome between two rows (same seeds)."""

    group: str
    low: str
    high: str
    outcome: str


#: Per-run outcomes the contrasts can use; "given deal" ones are NaN in runs without a deal
#: and are compared over the pairs in which both runs struck one.
OUTCOMES: Mapping[str, str] = {
    "deal": "deal reached (share)",
    "first_round": "first-deal month, given deal",
    "deal_tariff": "tariff of the first deal %, given deal",
    "deal_commitment": "commitment s of the first deal, given deal",
    "deal_defense": "defense of the first deal % GDP, given deal",
    "deal_japan_utility": "U_J of the first deal, given deal",
    "deal_us_utility": "U_US of the first deal, given deal",
    "ratification_failures": "Diet failures / run",
    "standing": "deal standing at end (share)",
    "months_in_force": "months with a deal in force",
    "reversals": "US reversals / run",
    "majority_lost": "majority lost in July (share)",
    "final_approval": "final approval",
    "credibility": "final κ",
    "china_mean": "China mean level",
    "china_second_year": "China mean level, months 13-24",
    "china_ge4": "China reaches ≥ 4 (share)",
}


def _contrasts(group: str, low: str, high: str, *outcomes: str) -> tuple[Contrast, ...]:
    return tuple(Contrast(group, low, high, outcome) for outcome in outcomes)


BASE24 = "baseline, 24 months"
CONTRASTS: tuple[Contrast, ...] = (
    *_contrasts(
        "hawkish_successor",
        "baseline",
        "hawkish_successor",
        "deal",
        "first_round",
        "deal_tariff",
        "deal_defense",
        "deal_us_utility",
        "majority_lost",
    ),
    *_contrasts(
        "hawkish_successor",
        "baseline",
        "↳ hawk without honeymoon",
        "deal",
        "first_round",
        "deal_tariff",
        "deal_defense",
        "deal_us_utility",
    ),
    *_contrasts(
        "hawkish_successor",
        "baseline",
        "↳ centrist with honeymoon",
        "deal",
        "deal_tariff",
        "deal_defense",
        "deal_us_utility",
        "majority_lost",
    ),
    *_contrasts(
        "hawkish_successor",
        "hawkish_successor",
        "↳ hawk conceding as the centrist",
        "deal",
        "first_round",
        "deal_tariff",
        "deal_defense",
    ),
    *_contrasts(
        "hawkish_successor",
        "↳ centrist with honeymoon",
        "↳ hawk conceding as the centrist",
        "deal",
        "deal_tariff",
        "deal_defense",
        "deal_us_utility",
    ),
    *_contrasts(
        "indifferent_us",
        BASE24,
        "indifferent_us (24 months)",
        "deal",
        "deal_tariff",
        "deal_commitment",
        "reversals",
        "standing",
        "months_in_force",
        "credibility",
        "china_mean",
        "china_ge4",
    ),
    *_contrasts(
        "indifferent_us",
        "indifferent_us (24 months)",
        "↳ Japan links freely (ℓ_J 1)",
        "deal",
        "deal_commitment",
        "deal_tariff",
    ),
    *_contrasts(
        "indifferent_us",
        "indifferent_us (24 months)",
        "↳ + red line at level 2",
        "deal",
        "standing",
        "months_in_force",
    ),
    *_contrasts("spiral and deterrence", BASE24, "spiral_china (24 months)", "china_mean"),
    *_contrasts("spiral and deterrence", BASE24, "deterrence_china (24 months)", "china_mean"),
    *_contrasts(
        "spiral and deterrence",
        "↳ spiral, no reversals, no deal",
        "↳ spiral, no reversals",
        "china_second_year",
    ),
    *_contrasts(
        "spiral and deterrence",
        "↳ deterrence, no reversals, no deal",
        "↳ deterrence, no reversals",
        "china_second_year",
    ),
    *_contrasts(
        "spiral and deterrence",
        "↳ spiral, no deal",
        "spiral_china (24 months)",
        "china_second_year",
    ),
    *_contrasts(
        "spiral and deterrence",
        "↳ deterrence, no deal",
        "deterrence_china (24 months)",
        "china_second_year",
    ),
    *_contrasts(
        "spiral and deterrence",
        "spiral_china (24 months)",
        "deterrence_china (24 months)",
        "deal",
        "deal_defense",
        "deal_japan_utility",
    ),
    *_contrasts(
        "classroom_three_issues",
        "↳ four issues, 8 months",
        "classroom_three_issues (8 months)",
        "deal",
        "deal_tariff",
        "deal_defense",
        "ratification_failures",
    ),
    *_contrasts(
        "taiwan_statement",
        "baseline",
        "taiwan_statement",
        "china_ge4",
        "china_mean",
        "final_approval",
        "deal",
        "deal_defense",
        "deal_japan_utility",
    ),
    *_contrasts(
        "taiwan_statement",
        "baseline",
        "↳ statement in May (round 4)",
        "china_ge4",
        "majority_lost",
        "deal",
        "deal_defense",
        "deal_commitment",
        "deal_japan_utility",
    ),
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


def first_deal_terms(model: NegotiationModel, first: NDArray[np.int64]) -> dict[str, NDArray]:
    """Each issue of the first deal, as ratified (the offer of the month it was agreed).

    NaN where a run has no deal. The final package can differ from it: a deal in force may
    be reversed by the US and renegotiated.
    """
    grid = model.tables.grid
    dealt = first >= 1
    out: dict[str, NDArray] = {}
    for axis in grid.axes:
        offers = np.stack([rec.columns[f"offer_{axis.name}"] for rec in model.history], axis=1)
        values = np.full(len(first), np.nan)
        values[dealt] = offers[np.flatnonzero(dealt), first[dealt] - 1]
        out[axis.name] = values
    return out


def per_run(model: NegotiationModel) -> PerRun:
    """The per-run outcomes of a finished model that the contrasts compare (see OUTCOMES)."""
    s = summarize(model)
    grid = model.tables.grid
    first = s["first_deal_round"]
    dealt = first >= 1
    terms = first_deal_terms(model, first)
    levels = np.stack([rec.columns["coercion_level"] for rec in model.history], axis=1)
    in_force = np.stack([rec.columns["deal_in_force"] for rec in model.history], axis=1)
    nan = np.full(len(first), np.nan)

    def term(index: int | None) -> NDArray[np.float64]:
        return nan if index is None else terms[grid.axes[index].name]

    return {
        "deal": dealt.astype(np.float64),
        "first_round": np.where(dealt, first, np.nan),
        "deal_tariff": term(grid.tariff),
        "deal_commitment": term(grid.commitment),
        "deal_defense": term(grid.defense),
        "deal_investment": term(grid.investment),
        "deal_japan_utility": np.where(dealt, s["deal_japan_utility"], np.nan),
        "deal_us_utility": np.where(dealt, s["deal_us_utility"], np.nan),
        "ratification_failures": s["ratification_failures"].astype(np.float64),
        "standing": (s["final_status"] != "status quo").astype(np.float64),
        "months_in_force": in_force.sum(axis=1).astype(np.float64),
        "reversals": (s["reversals_trade"] + s["reversals_security"]).astype(np.float64),
        "majority_lost": s["majority_lost"].astype(np.float64),
        "final_approval": s["final_approval"].astype(np.float64),
        "credibility": np.asarray(model.history[-1].columns["credibility"], dtype=np.float64),
        "china_mean": levels.mean(axis=1),
        "china_second_year": levels[:, 12:24].mean(axis=1) if model.rounds >= 24 else nan,
        "china_ge4": (s["china_max_level"] >= 4).astype(np.float64),
        "broken_down": (~model.state.negotiating).astype(np.float64),
        "tariff_letters": np.sum(
            [rec.columns["tariff_letter"] for rec in model.history], axis=0
        ).astype(np.float64),
        "reopened": np.sum([rec.columns["reopened"] for rec in model.history], axis=0).astype(
            np.float64
        ),
        **{f"final_{axis.name}": s[f"final_{axis.name}"] for axis in grid.axes},
        "leader_replaced": s["leader_replaced"].astype(np.float64),
        "china_max": s["china_max_level"].astype(np.float64),
        "reversal_belief": np.asarray(model.history[-1].columns["reversal_belief"], np.float64),
    }


def measure(model: NegotiationModel, runs: PerRun) -> Metrics:
    """Per-scenario summary statistics over the replicates of a finished model."""
    grid = model.tables.grid
    nan = float("nan")
    dealt = runs["deal"] == 1
    first = runs["first_round"]
    firmer, weaker = commitment_response(model)
    status_quo = grid.axes[grid.commitment].spec.status_quo

    def mean(key: str, given_deal: bool = False) -> float:
        values = runs[key][dealt] if given_deal else runs[key]
        return float(np.mean(values)) if len(values) else nan

    def final(index: int | None) -> float:
        return nan if index is None else mean(f"final_{grid.axes[index].name}")

    def struck(key: str) -> float:
        return mean(key, given_deal=True) if dealt.any() else nan

    commitment = runs["deal_commitment"][dealt]
    return {
        "rounds": float(model.rounds),
        "deal_by_horizon": float((dealt & (first <= model.deadline)).mean()),
        "deal_any": float(dealt.mean()),
        "median_first": float(np.median(first[dealt])) if dealt.any() else nan,
        "mean_first": struck("first_round"),
        "broken_down": mean("broken_down"),
        "months_in_force": mean("months_in_force"),
        "in_force_end": mean("standing"),
        "tariff": final(grid.tariff),
        "commitment": final(grid.commitment),
        "defense": final(grid.defense),
        "investment": final(grid.investment),
        "deal_tariff": struck("deal_tariff"),
        "deal_commitment": struck("deal_commitment"),
        "deal_downgraded": float((commitment < status_quo).mean()) if dealt.any() else nan,
        "deal_upgraded": float((commitment > status_quo).mean()) if dealt.any() else nan,
        "deal_defense": struck("deal_defense"),
        "deal_investment": struck("deal_investment"),
        "deal_japan_utility": struck("deal_japan_utility"),
        "deal_us_utility": struck("deal_us_utility"),
        "ratification_failures": mean("ratification_failures"),
        "reversals": mean("reversals"),
        "reopened": mean("reopened"),
        "tariff_letters": mean("tariff_letters"),
        "majority_lost": mean("majority_lost"),
        "leader_replaced": mean("leader_replaced"),
        "final_approval": mean("final_approval"),
        "china_max": mean("china_max"),
        "china_max_ge4": mean("china_ge4"),
        "china_mean": mean("china_mean"),
        "china_second_year": mean("china_second_year"),
        "firmer_response": firmer,
        "weaker_response": weaker,
        "reversal_belief": mean("reversal_belief"),
        "credibility": mean("credibility"),
    }


def run_row(row: Row, configs: Path, replicates: int) -> tuple[Metrics, PerRun]:
    """Run one row for seeds 0..replicates-1; its summary and its per-run outcomes."""
    model = NegotiationModel(load(row, configs), seeds=range(replicates)).run()
    runs = per_run(model)
    return measure(model, runs), runs


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
        "Deal and outcome",
        (
            ("months", "rounds", _fmt(0)),
            ("deal by horizon T", "deal_by_horizon", _pct),
            ("deal at all", "deal_any", _pct),
            ("median first-deal month", "median_first", _fmt(0)),
            ("mean first-deal month", "mean_first", _fmt(2)),
            ("talks broken down", "broken_down", _pct),
            ("months with a deal in force", "months_in_force", _fmt(2)),
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
        "Terms of the first deal (runs with a deal, the package as ratified)",
        (
            ("tariff %", "deal_tariff", _fmt(1)),
            ("commitment s", "deal_commitment", _fmt(2)),
            ("s below status quo", "deal_downgraded", _pct),
            ("s above status quo", "deal_upgraded", _pct),
            ("defense % GDP", "deal_defense", _fmt(2)),
            ("pledge $bn", "deal_investment", _fmt(0)),
            ("U_J of the deal", "deal_japan_utility", _fmt(3)),
            ("U_US of the deal", "deal_us_utility", _fmt(3)),
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
            ("China mean, months 13-24", "china_second_year", _fmt(2)),
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


def contrast_tables(results: Mapping[str, PerRun]) -> str:
    """Markdown tables of the paired contrasts, one per group (a preset's section)."""
    out: list[str] = []
    groups = dict.fromkeys(c.group for c in CONTRASTS)
    for group in groups:
        out += [f"#### {group}", "", "| high − low | outcome | low → high | Δ [95 % CI] | n |"]
        out.append("|---|---|---:|---:|---:|")
        for c in (c for c in CONTRASTS if c.group == group):
            low, high = results[c.low][c.outcome], results[c.high][c.outcome]
            valid = ~(np.isnan(low) | np.isnan(high))
            effect = paired_effect(low, high, valid)
            if effect is None:
                continue
            digits = 2 if max(abs(effect.low_mean), abs(effect.high_mean)) >= 5 else 3
            out.append(
                f"| {c.high} − {c.low} | {OUTCOMES[c.outcome]} "
                f"| {effect.low_mean:.{digits}f} → {effect.high_mean:.{digits}f} "
                f"| {effect.mean:+.{digits}f} [{effect.ci_low:+.{digits}f}, "
                f"{effect.ci_high:+.{digits}f}] | {effect.n:,} |"
            )
        out.append("")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> None:
    """Run every row and print the markdown tables and the paired contrasts."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--replicates", type=int, default=2000, help="seeds 0..N-1 (default 2000)")
    parser.add_argument("--configs", type=Path, default=CONFIGS, help="directory of scenario files")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    measured = {row.label: run_row(row, args.configs, args.replicates) for row in ROWS}
    print(f"{args.replicates} replicates per row (seeds 0..{args.replicates - 1})\n")
    for title, columns in TABLES:
        print(f"### {title}\n")
        print(markdown_table([(label, m) for label, (m, _) in measured.items()], columns))
        print()
    print("### Paired contrasts (same seeds; high − low)\n")
    print(contrast_tables({label: runs for label, (_, runs) in measured.items()}))
    print(f"({time.perf_counter() - start:.0f} s for {len(ROWS)} rows)")


if __name__ == "__main__":
    main()
