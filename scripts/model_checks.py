"""Re-measure the defects issue 7 listed, on the current model (common random numbers).

Each check prints the figure the issue quoted for the old model beside today's, so a reader
can see what the reformulation changed (docs/model.md; docs/levers.md has the lever table).

Usage::

    .venv/bin/python scripts/model_checks.py [--replicates 2000]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from negosim.core.protocol import Reason
from negosim.model import NegotiationModel
from negosim.outcomes import round_table, summarize
from negosim.scenario import apply_overrides, load_scenario, scenario_from_mapping

BASELINE = Path(__file__).resolve().parents[1] / "configs" / "baseline.yaml"


def run(overrides: Mapping[str, object], n: int, rounds: int | None = None) -> tuple[dict, dict]:
    """Per-run and per-round tables of the baseline with ``overrides``, seeds 0..n-1."""
    base = load_scenario(BASELINE)
    scenario = scenario_from_mapping(apply_overrides(base.data, dict(overrides)))
    model = NegotiationModel(scenario, seeds=list(range(n)), rounds=rounds).run()
    return summarize(model), round_table(model)


def main() -> None:
    """Print each check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=2000)
    n = parser.parse_args().replicates
    start = time.perf_counter()
    runs, rounds = run({}, n)
    deal = runs["deal_reached"]
    print(f"baseline, {n} replicates, 12 months: deal rate {deal.mean():.3f}")
    first = runs["first_deal_round"][deal]
    print(
        "  first-deal month: "
        + ", ".join(
            f"{m}: {np.mean(first == m):.0%}" for m in range(1, 13) if np.mean(first == m) >= 0.01
        )
        + " (old model: 99.7 % in months 11-12)"
    )
    ir = runs["deal_japan_utility"][deal] >= 0  # utilities on [0, 1]
    accepted = rounds["ratified"].astype(bool)
    us_proposes = rounds["proposer"] == 0
    own = np.where(us_proposes, rounds["offer_us_utility"], rounds["offer_japan_utility"])
    other = np.where(us_proposes, rounds["offer_japan_utility"], rounds["offer_us_utility"])
    prop_ok = own >= rounds["proposer_reservation"] - 1e-9
    resp_ok = other >= rounds["responder_reservation"] - 1e-9
    japan_ok = np.where(us_proposes, resp_ok, prop_ok)[accepted]
    us_ok = np.where(us_proposes, prop_ok, resp_ok)[accepted]
    print(
        f"  ratified packages worth at least the value of no deal that month: Japan "
        f"{japan_ok.mean():.1%}, US {us_ok.mean():.1%} (old model: Japan below in every "
        f"threat-free first deal, mean -0.15); utilities within [0, 1]: {ir.mean():.0%}"
    )
    tariff, defense = runs["final_tariff"][deal], runs["final_defense_budget"][deal]
    print(
        f"  deals with the tariff exactly at 10 %: {np.mean(np.isclose(tariff, 10)):.0%} "
        f"(old 86 %); defense exactly 2.0 %: {np.mean(np.isclose(defense, 2.0)):.0%} (old 78 %)"
    )
    commit = runs["final_security_commitment"][deal]
    print(
        "  commitment in deals: "
        + ", ".join(
            f"level {k}: {np.mean(commit == k):.0%}" for k in range(5) if np.mean(commit == k) > 0
        )
        + " (old: level 2 in 99.8 %)"
    )
    win_set = rounds["win_set"][accepted]
    pledge = rounds["offer_investment_pledge"][accepted]
    print(
        f"  correlation of the pledge with the win-set radius in ratified packages: "
        f"{np.corrcoef(pledge, win_set)[0, 1]:.2f} (old 0.90)"
    )
    us_offers = (rounds["proposer"] == 0) & rounds["negotiating"].astype(bool)
    for month in (3, 7, 11):
        at = us_offers & (rounds["round"] == month)
        if at.any():
            share = np.mean(rounds["reason"][at] == Reason.OUTSIDE_WIN_SET)
            print(f"  US offers in month {month} refused as outside the win-set: {share:.0%}")
    print("  (old model: 92 % of round-11 US offers refused as outside the win-set)")
    print("deal rate by initial approval (old model: U-shaped 77.9/74.9/74.5/78.5 %):")
    print(
        "  "
        + ", ".join(
            f"{a}: {run({'politics.approval.initial': a}, n)[0]['deal_reached'].mean():.1%}"
            for a in (0.2, 0.3, 0.4, 0.5)
        )
    )
    for weight in (0.25, 0.5):
        r = run({"agents.japan.security_weight": weight}, n)[0]
        d = r["deal_reached"]
        commitment = r["final_security_commitment"][d].mean()
        print(f"security weight {weight}: commitment in deals {commitment:.2f}")
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
