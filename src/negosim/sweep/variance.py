"""How much of a sweep's variance the varied parameters explain, and how much is noise.

Each run's outcome is one draw at its design point, so the runs' variance splits (a one-way
analysis of variance over points, Fisher 1925, *Statistical Methods for Research Workers*
§44) into the part between points, which the parameters explain, and the part between the
replicates of a point, which they do not. ``replicate_share`` is the latter's share of the
total (1 − η²); ``explained_share`` is η².

Sobol' indices are computed from the per-point means, so what matters for them is how
much of the *means'* variance is replicate noise: ``mean_noise_share`` estimates it. With
independent seeds each mean carries its own noise, of variance σ²_p / n_p. With common
random numbers (replicate r of every point uses the same seed, the default of Sobol designs)
much of the noise is common to all points and cancels in their differences; what remains is
the residual of an additive point + replicate model, a two-way analysis without
replication (Montgomery 2017, *Design and Analysis of Experiments*, 9th ed., §4.1), whose
variance over R is the noise of a mean. The share is capped at 1 (an estimate can exceed it
when the points differ by noise alone).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from negosim.sweep.stats import outcome_values

if TYPE_CHECKING:
    from negosim.sweep.load import Sweep

#: The shares reported per outcome (see the module docstring).
SHARES = ("replicate_share", "explained_share", "mean_noise_share")


def _noise_of_means(
    y: np.ndarray, points: np.ndarray, replicates: np.ndarray, common: bool
) -> float:
    """Variance of one point's mean that is replicate noise (NaN if it cannot be estimated)."""
    wide = pd.DataFrame({"p": points, "r": replicates, "y": y}).pivot(
        index="p", columns="r", values="y"
    )
    table = wide.to_numpy(dtype=np.float64)
    p, r = table.shape
    if common and p > 1 and r > 1 and not np.isnan(table).any():
        residual = table - table.mean(1, keepdims=True) - table.mean(0, keepdims=True)
        residual += table.mean()
        return float((residual**2).sum()) / ((p - 1) * (r - 1)) / r
    grouped = pd.Series(y).groupby(points)
    counts = grouped.size()
    if (counts < 2).any():
        return np.nan
    return float((grouped.var(ddof=1) / counts).mean())


def variance_shares(
    values: pd.Series, points: pd.Series, replicates: pd.Series, common: bool
) -> dict[str, float]:
    """Runs with a value, their replicate and explained shares, the means' noise share.

    ``values`` may hold NaN (a missing outcome, such as the first deal of a run without
    one), which is left out. ``common``: whether the runs used common random numbers.
    """
    ok = values.notna().to_numpy()
    y = values.to_numpy(dtype=np.float64)[ok]
    point = points.to_numpy()[ok]
    if len(y) == 0:
        return dict.fromkeys(SHARES, np.nan) | {"runs": 0}
    grouped = pd.Series(y).groupby(point)
    means = grouped.mean()
    total = float(((y - y.mean()) ** 2).sum())
    within = float(((y - means.reindex(point).to_numpy()) ** 2).sum())
    replicate_share = within / total if total > 0 else np.nan
    spread = float(means.var(ddof=1)) if len(means) > 1 else np.nan
    noise = _noise_of_means(y, point, replicates.to_numpy()[ok], common)
    return {
        "runs": len(y),
        "replicate_share": replicate_share,
        "explained_share": 1.0 - replicate_share,
        "mean_noise_share": float(np.minimum(1.0, noise / spread)) if spread > 0 else np.nan,
    }


def noise_table(sweep: Sweep, outcomes: list[str]) -> pd.DataFrame:
    """Per outcome: runs with a value, replicate and explained shares, means' noise share."""
    runs = sweep.runs_frame(outcomes)
    common = bool(sweep.manifest.get("common_random_numbers", False))
    rows = [
        {
            "outcome": outcome,
            **variance_shares(
                outcome_values(runs, outcome), runs["point"], runs["replicate"], common
            ),
        }
        for outcome in outcomes
    ]
    return pd.DataFrame(rows, columns=["outcome", "runs", *SHARES])
