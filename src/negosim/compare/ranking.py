"""The table of a comparison: one row per outcome and matched point, adjusted and ranked.

- **Multiple comparisons**: with 40 outcomes at 20 points, some 40 of 800 tests would
  reject at 5 % by chance alone. The p-values of every row are adjusted together with
  Benjamini & Hochberg's step-up procedure (1995, JRSS B 57:289;
  ``scipy.stats.false_discovery_control``), which keeps the expected share of false
  discoveries among the rows called different at most α; it holds under the positive
  dependence of outcomes of the same runs (Benjamini & Yekutieli 2001, Ann. Stat. 29:1165).
- **What differs most**: rows that differ after adjustment (q < α) come first, largest
  effect (|Cliff's δ| or |risk difference|, one scale for every outcome) first; then the
  others, smallest q first. A large sample makes tiny differences significant, so among
  the significant ones the size of the effect, not the p-value, says what matters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from negosim.compare.matching import Match
from negosim.compare.outcomes import Outcome
from negosim.compare.statistics import Contrast

ALPHA = 0.05

#: Column order of the full table (comparison.csv): identity, samples, estimate, test, effect.
COLUMNS = (
    "rank",
    "outcome",
    "column",
    "kind",
    "unit",
    "point",
    "a_points",
    "b_points",
    "paired",
    "n_a",
    "n_b",
    "n_pairs",
    "missing_a",
    "missing_b",
    "mean_a",
    "mean_b",
    "difference",
    "ci95_low",
    "ci95_high",
    "interval",
    "test",
    "statistic",
    "p_value",
    "p_adjusted",
    "significant",
    "effect",
    "effect_measure",
    "hedges_g",
    "median_a",
    "median_b",
    "sd_a",
    "sd_b",
    "b_higher",
    "b_lower",
    "note",
)


def table_row(
    match: Match, outcome: Outcome, contrast: Contrast, missing: tuple[int, int], paired: bool
) -> dict[str, object]:
    """One unranked row: which outcome at which point, and its contrast."""
    return {
        "outcome": outcome.name,
        "column": outcome.column,
        "kind": outcome.kind,
        "unit": outcome.unit,
        "point": match.label,
        "a_points": ";".join(map(str, match.a_points)),
        "b_points": ";".join(map(str, match.b_points)),
        "paired": paired,
        "missing_a": missing[0],
        "missing_b": missing[1],
        **contrast.row(),
    }


def adjust_and_rank(rows: list[dict[str, object]], alpha: float = ALPHA) -> pd.DataFrame:
    """The ranked table: Benjamini–Hochberg q over every row with a p-value, then the rank."""
    table = pd.DataFrame(rows)
    p = table["p_value"].to_numpy(dtype=np.float64)
    tested = np.isfinite(p)
    q = np.full(len(p), np.nan)
    if tested.any():
        q[tested] = stats.false_discovery_control(p[tested], method="bh")
    table["p_adjusted"] = q
    table["significant"] = np.where(tested, q < alpha, False)
    size = table["effect"].abs().fillna(-1.0)
    order = np.lexsort(
        (
            np.nan_to_num(q, nan=2.0),  # last key of lexsort: least significant
            np.where(table["significant"], -size, 0.0),
            np.where(table["significant"], 0, np.where(tested, 1, 2)),
        )
    )
    table = table.iloc[order].reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    table["n_pairs"] = table["n_pairs"].astype("Int64")
    return table[list(COLUMNS)]
