"""Measure Japan's domestic politics with common random numbers (docs/model.md §3).

Every row runs the baseline on the same replicate seeds 0..N-1 with one change, so the
differences between rows are paired (common random numbers). Printed: deal rate and both
sides' utilities by election outcome (as observed, and forced: majority kept / lost with the
leader kept / lost with a new leader), the deal rate by initial approval, the spread of
approval across runs at 12 and 24 months, the share of deals that sit exactly on a political
cost reference, and the correlation of the pledge with the win-set radius.

Utilities: ``U_J`` is Japan's utility of the final package on the final leader's own scale
(as ``summarize`` reports it); ``U_J0`` is the same package on the sitting (round-1) leader's
scale, so runs with and without a new leader are compared on one yardstick.

Usage::

    .venv/bin/python scripts/measure_politics.py                   # 2,000 replicates per row
    .venv/bin/python scripts/measure_politics.py --replicates 500  # quicker, noisier
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import yaml
from numpy.typing import NDArray

from negosim.model import NegotiationModel
from negosim.outcomes import Columns, round_table, summarize
from negosim.scenario import apply_overrides, scenario_from_mapping

BASELINE = Path(__file__).resolve().parents[1] / "configs" / "baseline.yaml"
KEEP = {"politics.election.approval_threshold": 0.0}  # σ((0 - A)/.03) ≈ 0: never lost
LOSE = {"politics.election.approval_threshold": 1.0}  # σ((1 - A)/.03) ≈ 1: always lost
Run = tuple[NegotiationModel, Columns, Columns]


def run(overrides: dict[str, object], n: int, rounds: int = 12) -> Run:
    """(model, round table, summary) of the baseline with ``overrides`` on seeds 0..n-1."""
    data = apply_overrides(yaml.safe_load(BASELINE.read_text(encoding="utf-8")), overrides)
    model = NegotiationModel(scenario_from_mapping(data), seeds=list(range(n)), rounds=rounds)
    model.run()
    return model, round_table(model), summarize(model)


def sitting_utility(model: NegotiationModel) -> NDArray[np.float64]:
    """U_J of each run's final package on the sitting (round-1) leader's scale."""
    state, tables = model.state, model.tables
    final = np.where(state.has_pending[:, None], state.pending, state.levels)
    b, g = tables.grid.split(final)
    first = np.full(state.size, tables.type_names.index(model.spec.politics.leader))
    return tables.japan(first, b, g, state.threat(tables), state.reversal_belief())


def describe(label: str, result: Run, mask: NDArray[np.bool_] | None = None) -> str:
    """One line: deal rate, U_J, U_J0, U_US over ``mask``; then means over its deals."""
    model, _, summary = result
    mask = np.ones(len(summary["deal_reached"]), bool) if mask is None else mask
    dealt = mask & summary["deal_reached"]
    sit = sitting_utility(model)
    terms = " ".join(
        f"{k[6:9]} {np.mean(summary[k][dealt]):.4g}"
        for k in ("final_tariff", "final_defense_budget", "final_investment_pledge")
    )
    return (
        f"{label:<24} n {mask.sum():>5} deal {summary['deal_reached'][mask].mean():6.1%}"
        f" U_J {summary['japan_utility'][mask].mean():.3f} U_J0 {sit[mask].mean():.3f}"
        f" U_US {summary['us_utility'][mask].mean():.3f} | deals: U_J0 {sit[dealt].mean():.3f}"
        f" U_US {summary['us_utility'][dealt].mean():.3f} {terms}"
    )


def paired(label: str, a: NDArray, b: NDArray) -> str:
    """Mean of a - b with a 95 % interval (paired over replicates)."""
    diff = np.asarray(a, float) - np.asarray(b, float)
    half = 1.96 * diff.std(ddof=1) / np.sqrt(diff.size)
    return f"  {label}: {diff.mean():+.3f} ± {half:.3f}"


def election_rows(n: int) -> None:
    """Observed (confounded) and forced (paired) election outcomes."""
    base = run({}, n)
    summary = base[2]
    print("== baseline, by election outcome as observed (confounded by approval)")
    print(describe("all", base))
    for name in ("majority_lost", "leader_replaced"):
        print(describe(name, base, summary[name]))
        print(describe(f"not {name}", base, ~summary[name]))
    print("== forced election outcome, same seeds (paired)")
    rows = {
        "majority kept": KEEP,
        "lost, leader kept": {**LOSE, "politics.election.replacement_probability": 0.0},
        "lost, leader replaced": {**LOSE, "politics.election.replacement_probability": 1.0},
    }
    forced = {label: run(over, n) for label, over in rows.items()}
    for label, result in forced.items():
        print(describe(label, result))
    kept = forced["majority kept"]
    for label in ("lost, leader kept", "lost, leader replaced"):
        lost = forced[label]
        print(
            paired(f"deal rate, {label} - kept", lost[2]["deal_reached"], kept[2]["deal_reached"])
        )
        for name, a, b in (
            ("U_J", lost[2]["japan_utility"], kept[2]["japan_utility"]),
            ("U_J0", sitting_utility(lost[0]), sitting_utility(kept[0])),
            ("U_US", lost[2]["us_utility"], kept[2]["us_utility"]),
        ):
            print(paired(f"{name}, {label} - kept", a, b))
        both = lost[2]["deal_reached"] & kept[2]["deal_reached"]
        print(
            paired(
                f"U_J0 where both deal ({both.sum()}), {label} - kept",
                sitting_utility(lost[0])[both],
                sitting_utility(kept[0])[both],
            )
        )


def approval_rows(n: int) -> None:
    """Deal rate by initial approval; approval's spread over 24 months."""
    print("== by initial approval")
    for a in (0.2, 0.3, 0.4, 0.5):
        print(describe(f"A0 {a}", run({"politics.approval.initial": a}, n)))
    print("== approval across runs (baseline run for 24 months)")
    _, table, _ = run({"protocol.rounds": 24}, n, rounds=24)
    path = table["approval"].reshape(n, 24)
    for r in (1, 6, 12, 18, 24):
        col = path[:, r - 1]
        print(f"  month {r:>2}: mean {col.mean():.3f}  s.d. {col.std(ddof=1):.3f}")


def reference_rows(n: int) -> None:
    """Deals exactly on a political-cost reference; the pledge against the win-set radius."""
    model, table, summary = run({}, n)
    dealt = summary["deal_reached"]
    print(f"== deals on the political-cost references (baseline, {dealt.sum()} deals)")
    for issue, item in model.spec.politics.political_cost.items():
        values = summary[f"final_{issue}"][dealt]
        at = np.isclose(values, item.reference)
        common, counts = np.unique(values, return_counts=True)
        mode = common[counts.argmax()]
        print(
            f"  {issue}: {at.mean():.1%} exactly at {item.reference}; "
            f"modal value {mode:g} ({counts.max() / dealt.sum():.1%})"
        )
    win = table["win_set"].reshape(n, -1)
    first = summary["first_deal_round"]
    radius = win[np.flatnonzero(dealt), first[dealt] - 1]
    pledge = summary["final_investment_pledge"][dealt]
    print(f"  corr(pledge, win-set at the deal round) {np.corrcoef(pledge, radius)[0, 1]:.2f}")


def main() -> None:
    """Print every table for ``--replicates`` seeds per row."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--replicates", type=int, default=2000)
    n = parser.parse_args().replicates
    start = time.perf_counter()
    election_rows(n)
    approval_rows(n)
    reference_rows(n)
    print(f"({time.perf_counter() - start:.0f} s, {n} replicates per row)")


if __name__ == "__main__":
    main()
