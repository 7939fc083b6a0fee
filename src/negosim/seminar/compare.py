"""Compare with baseline: the current settings over 1,000 replicates against the preset's.

Both batches run on the same seeds (common random numbers), so each replicate's
difference is the settings' effect on the same luck; the table gives each main outcome's
mean (or share) under both, the paired difference with its 95 % t interval
(scipy.stats), and the chart draws the current distribution over the baseline's. The
baseline's batch is computed once per preset and shared by every session.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from negosim.model import NegotiationModel
from negosim.outcomes import summarize
from negosim.scenario import Scenario

REPLICATES = 1000

#: (column, what it is, unit): the main outcomes a seminar discusses.
OUTCOMES: tuple[tuple[str, str, str], ...] = (
    ("deal_reached", "a deal is reached", "share of runs"),
    ("first_deal_round", "round of the first deal", "round"),
    ("final_tariff", "final tariff", "% ad valorem"),
    ("final_defense_budget", "final defense budget", "% of GDP"),
    ("final_approval", "Japan's final approval", "share"),
    ("china_max_level", "China's highest level", "rung 0-5"),
    ("japan_utility", "Japan's utility at the end", "0-1"),
    ("us_utility", "US utility at the end", "0-1"),
)


@dataclass(frozen=True)
class Row:
    """One outcome under the current settings and the baseline, with the paired difference."""

    column: str
    label: str
    unit: str
    current: float
    baseline: float
    difference: float
    low: float
    high: float
    runs: int


def distribution(scenario: Scenario, replicates: int = REPLICATES) -> dict[str, NDArray]:
    """Each main outcome over ``replicates`` runs of seeds 0..n-1 (missing values NaN)."""
    model = NegotiationModel(scenario, seeds=range(replicates)).run()
    summary = summarize(model)
    out = {}
    for column, _, _ in OUTCOMES:
        if column not in summary:
            continue
        values = np.asarray(summary[column], dtype=np.float64)
        if column == "first_deal_round":
            values = np.where(values < 0, np.nan, values)
        out[column] = values
    return out


#: Baseline distributions by (resolved scenario hash, replicates): computed once, shared.
_BASELINES: dict[tuple[str, int], dict[str, NDArray]] = {}


def baseline_distribution(scenario: Scenario, replicates: int = REPLICATES) -> dict[str, NDArray]:
    """The baseline's distribution, computed once per scenario content."""
    key = (scenario.resolved_sha256, replicates)
    if key not in _BASELINES:
        _BASELINES[key] = distribution(scenario, replicates)
    return _BASELINES[key]


def compare(current: dict[str, NDArray], baseline: dict[str, NDArray]) -> list[Row]:
    """Per outcome: means (shares), paired difference and its 95 % t interval."""
    rows = []
    for column, label, unit in OUTCOMES:
        if column not in current or column not in baseline:
            continue
        a, b = current[column], baseline[column]
        both = ~np.isnan(a) & ~np.isnan(b)
        diff = a[both] - b[both]
        mean = float(diff.mean()) if both.any() else math.nan
        if both.sum() > 1 and diff.std(ddof=1) > 0:
            low, high = stats.t.interval(0.95, both.sum() - 1, loc=mean, scale=stats.sem(diff))
        else:
            low = high = mean
        rows.append(
            Row(
                column,
                label,
                unit,
                float(np.nanmean(a)) if (~np.isnan(a)).any() else math.nan,
                float(np.nanmean(b)) if (~np.isnan(b)).any() else math.nan,
                mean,
                float(low),
                float(high),
                int(both.sum()),
            )
        )
    return rows


def timed(function: Callable[[], object]) -> tuple[object, float]:
    """``function()`` and the seconds it took (the page shows it; the benchmark records it)."""
    import time

    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started
