"""Measure China's behaviour and its feedback on the bargain (issue 7, item 6).

Common random numbers: every setting runs on the same seeds with one parameter changed.
Prints the level distribution, P(max level ≥ 3), month-to-month persistence, the
ω × commitment-status-quo table, the Taiwan statement's effect and passive vs baseline
China on the deal rate, the commitment in deals and Japan's utility (docs/model.md §5).

    .venv/bin/python scripts/china_validity.py [--replicates 2000] [--rounds 12]
"""

from __future__ import annotations

import argparse
import copy
from pathlib import Path

import numpy as np
import yaml

from negosim.model import NegotiationModel
from negosim.outcomes import round_table, summarize
from negosim.scenario import apply_overrides, scenario_from_mapping

ROOT = Path(__file__).resolve().parents[1]
BASE = yaml.safe_load((ROOT / "configs" / "baseline.yaml").read_text(encoding="utf-8"))
TAIWAN = yaml.safe_load((ROOT / "configs" / "taiwan_statement.yaml").read_text(encoding="utf-8"))


def run(overrides: dict[str, object], n: int, rounds: int) -> tuple[dict, dict]:
    """(round table as (n, rounds) matrices, run summary) for the baseline with overrides."""
    data = apply_overrides(copy.deepcopy(BASE), overrides)
    model = NegotiationModel(scenario_from_mapping(data), seeds=range(n), rounds=rounds).run()
    table = {k: v.reshape(n, rounds) for k, v in round_table(model).items()}
    return table, summarize(model)


def ladder(table: dict) -> str:
    """Share of months at each level, P(max ≥ 3), persistence and mean level."""
    c = table["coercion_level"]
    share = np.bincount(c.ravel(), minlength=6) / c.size
    stay = float((c[:, 1:] == c[:, :-1]).mean())
    return (
        "shares "
        + " ".join(f"{x:.3f}" for x in share)
        + f" | P(max≥3) {(c.max(1) >= 3).mean():.3f} P(max≥4) {(c.max(1) >= 4).mean():.3f}"
        + f" | persistence {stay:.3f} | mean {c.mean():.3f}"
    )


def bargain(summary: dict) -> str:
    """Deal rate, commitment given a deal, Japan's final utility."""
    deal = summary["deal_reached"]
    s = summary["final_security_commitment"][deal]
    return (
        f"deal {deal.mean():.3f} | commitment|deal {s.mean():.3f} (≥3: {(s >= 3).mean():.3f})"
        f" | japan_utility {summary['japan_utility'].mean():.4f}"
        f" | budget|deal {summary['final_defense_budget'][deal].mean():.3f}"
    )


def after_entry(table: dict, months: int = 3) -> np.ndarray:
    """Per replicate with a deal entering into force: mean level in its first ``months``."""
    entered = table["deal_entered"]
    has = entered.any(axis=1)
    first = entered.argmax(axis=1)
    window = np.arange(months)[None, :] + first[:, None]
    ok = has & (first + months <= entered.shape[1])
    level = np.take_along_axis(table["coercion_level"], np.minimum(window, entered.shape[1] - 1), 1)
    return np.where(ok, level.mean(axis=1), np.nan)


def signals(n: int) -> None:
    """China after a deal enters into force, with and without the announcement signal G."""
    print("announcement signal (24 months; mean level in the 3 months from entry into force)")
    quiet = {"china.beta.signal_spiral": 0.0, "china.beta.signal_resolve": 0.0}
    for omega in (0.0, 0.5, 1.0):
        base = {"china.omega": omega, "protocol.rounds": 24}
        on, _ = run(base, n, 24)
        off, _ = run({**base, **quiet}, n, 24)
        a, b = after_entry(on), after_entry(off)
        keep = ~np.isnan(a) & ~np.isnan(b)
        g = on["announcement_signal"][on["deal_entered"]]
        print(
            f"  ω {omega:.1f}: with G {a[keep].mean():.3f}, without {b[keep].mean():.3f}, "
            f"difference {(a - b)[keep].mean():+.3f} over {keep.sum()} runs "
            f"(G at entry: mean {g.mean():.3f}, share > 0 {(g > 0).mean():.2f})"
        )


def main() -> None:
    """Print every measurement for the current model."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replicates", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=12)
    args = parser.parse_args()
    n, t = args.replicates, args.rounds
    base_table, base_summary = run({}, n, t)
    print(f"baseline ({n} replicates, {t} rounds)")
    print("  ladder ", ladder(base_table))
    print("  bargain", bargain(base_summary))
    _, passive_summary = run({"china.rule": "passive"}, n, t)
    print("passive")
    print("  bargain", bargain(passive_summary))
    d_deal = base_summary["deal_reached"].mean() - passive_summary["deal_reached"].mean()
    d_u = base_summary["japan_utility"] - passive_summary["japan_utility"]
    print(f"  baseline − passive: deal rate {d_deal:+.4f}, japan_utility {d_u.mean():+.4f}")
    tft_table, tft_summary = run({"china.rule": "tit_for_tat"}, n, t)
    print("tit_for_tat\n  ladder ", ladder(tft_table), "\n  bargain", bargain(tft_summary))
    print("ω × commitment status quo: mean coercion, P(max ≥ 3)")
    for omega in (0.0, 0.5, 1.0):
        cells = []
        for sq in (2, 3):
            point = {"china.omega": omega, "issues.security_commitment.status_quo": sq}
            table, _ = run(point, n, t)
            c = table["coercion_level"]
            cells.append(f"sq {sq}: {c.mean():.3f} {(c.max(1) >= 3).mean():.3f}")
        print(f"  ω {omega:.1f}  " + "   ".join(cells))
    loud_table, loud_summary = run({"events": TAIWAN["events"]}, n, t)
    r = TAIWAN["events"][0]["round"] - 1
    quiet, loud = base_table["coercion_level"], loud_table["coercion_level"]
    print(
        "taiwan statement: coercion in its month "
        f"{quiet[:, r].mean():.3f} → {loud[:, r].mean():.3f}; from then on "
        f"{quiet[:, r:].mean():.3f} → {loud[:, r:].mean():.3f}; "
        f"P(max≥4) {(quiet.max(1) >= 4).mean():.3f} → {(loud.max(1) >= 4).mean():.3f}"
    )
    print("  bargain", bargain(loud_summary))
    signals(n)


if __name__ == "__main__":
    main()
