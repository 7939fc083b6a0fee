"""Outcome distributions per design point, with honest uncertainty.

- Shares (deal reached, majority lost, ...) come with Wilson score intervals (Wilson 1927,
  JASA 22:209; recommended over the Wald interval by Brown, Cai & DasGupta 2001, Statistical
  Science 16:101), which behave near 0 and 1 and for small counts.
- Numeric outcomes get mean, median and the 5th/95th percentiles of their distribution over
  replicates (a spread, not an uncertainty of the mean).
- Rounds of first deal exclude runs without a deal (stored as missing, never -1).
- Sobol designs get first-order and total Sobol' indices (Sobol' 2001; Saltelli et al.
  2010) with bootstrap confidence intervals, via SALib, on the per-point mean outcome.
  Estimates of a share can fall outside [0, 1], and their intervals can be wider than the
  estimate, at small samples or when replicate noise dominates the means (see
  ``negosim.sweep.variance``): each such index is flagged in the table's ``warning`` column
  rather than read as a finding.

The terminal report and the table files are in ``negosim.sweep.report``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from negosim.sweep.load import Sweep

Z95 = 1.959963984540054
#: Sobol' indices reported per parameter, each with its interval's half-width column.
INDICES = (("S1", "S1_conf"), ("ST", "ST_conf"))


def wilson_interval(
    successes: np.ndarray, trials: np.ndarray, z: float = Z95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion (bounds in [0, 1]; NaN for n = 0).

    The bounds are exactly 0 when there is no success and exactly 1 when every trial
    succeeded, so the interval always contains the observed share.
    """
    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    low = np.full(n.shape, np.nan)
    high = np.full(n.shape, np.nan)
    ok = n > 0
    p = k[ok] / n[ok]
    m = n[ok]
    denom = 1.0 + z**2 / m
    centre = (p + z**2 / (2 * m)) / denom
    half = z * np.sqrt(p * (1 - p) / m + z**2 / (4 * m**2)) / denom
    low[ok] = np.where(k[ok] == 0, 0.0, np.clip(centre - half, 0, 1))
    high[ok] = np.where(k[ok] == m, 1.0, np.clip(centre + half, 0, 1))
    return low, high


def outcome_values(frame: pd.DataFrame, outcome: str) -> pd.Series:
    """An outcome as floats, NaN where it is missing (e.g. the first deal of a run without)."""
    column = frame[outcome]
    return pd.Series(column.to_numpy(dtype=np.float64, na_value=np.nan), index=column.index)


def agreement_table(sweep: Sweep) -> pd.DataFrame:
    """Per point: its parameters, runs, agreement rate and its 95 % Wilson interval."""
    runs = sweep.runs_frame(["deal_reached"])
    grouped = runs.groupby("point")["deal_reached"]
    table = sweep.parameters.set_index("point").copy()
    table["runs"] = grouped.size()
    table["agreement"] = grouped.mean()
    low, high = wilson_interval(grouped.sum().to_numpy(), grouped.size().to_numpy())
    table["ci95_low"], table["ci95_high"] = low, high
    return table.reset_index()


def distribution_table(sweep: Sweep, outcomes: list[str]) -> pd.DataFrame:
    """Long table: per point and outcome, n, mean, median, p5, p95 (and a CI for shares)."""
    runs = sweep.runs_frame(outcomes)
    rows = []
    for outcome in outcomes:
        values = outcome_values(runs, outcome)
        boolean = runs[outcome].dtype == bool
        for point, group in values.groupby(runs["point"]):
            x = group.dropna().to_numpy(dtype=np.float64)
            row = {"point": point, "outcome": outcome, "n": len(x)}
            if len(x):
                row.update(
                    mean=x.mean(),
                    median=np.median(x),
                    p5=np.percentile(x, 5),
                    p95=np.percentile(x, 95),
                )
            if boolean:
                low, high = wilson_interval(np.array([x.sum()]), np.array([len(x)]))
                row.update(ci95_low=float(low[0]), ci95_high=float(high[0]))
            rows.append(row)
    return pd.DataFrame(rows)


def index_warnings(indices: pd.DataFrame) -> list[str]:
    """Per row of a Sobol table, what makes its indices unreliable ('' when nothing does).

    For each index S (S1, ST) with 95 % interval [S - conf, S + conf]: ``S<0`` or ``S>1``,
    an estimate no share can have; else ``S CI<0`` or ``S CI>1``, an interval reaching out of
    [0, 1]; and ``S CI>S``, an interval wider than the index, which then cannot be told
    from 0. ``S undefined`` when SALib gave no number.
    """
    found = []
    for row in indices.to_dict("records"):
        flags = []
        for name, conf in INDICES:
            value, half = float(row[name]), float(row[conf])
            if not (np.isfinite(value) and np.isfinite(half)):
                flags.append(f"{name} undefined")
            elif not 0.0 <= value <= 1.0:
                flags.append(f"{name}<0" if value < 0 else f"{name}>1")
            else:
                if value - half < 0.0:
                    flags.append(f"{name} CI<0")
                if value + half > 1.0:
                    flags.append(f"{name} CI>1")
                if 2 * half > value:
                    flags.append(f"{name} CI>{name}")
        found.append(", ".join(flags))
    return found


def sobol_indices(sweep: Sweep, outcome: str, second_order: bool = False) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol' indices of the per-point mean of ``outcome``.

    Columns: parameter, S1, S1_conf, ST, ST_conf (half-widths of 95 % bootstrap
    intervals) and warning (:func:`index_warnings`).
    """
    from SALib.analyze import sobol

    manifest = sweep.manifest
    names = manifest["design"]["parameters"]
    params = sweep.parameters
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[float(params[n].min()), float(params[n].max())] for n in names],
    }
    runs = sweep.runs_frame([outcome])
    means = outcome_values(runs, outcome).groupby(runs["point"]).mean().reindex(params["point"])
    if means.isna().any():
        raise ValueError(f"{outcome}: some design points have no value (e.g. no deal at all)")
    if means.nunique() == 1:
        raise ValueError(f"{outcome}: the same mean at every design point (no variance)")
    result = sobol.analyze(
        problem,
        means.to_numpy(dtype=np.float64),
        calc_second_order=second_order,
        seed=int(manifest["master_seed"]) % 2**32,
    )
    table = pd.DataFrame(
        {
            "parameter": names,
            "S1": result["S1"],
            "S1_conf": result["S1_conf"],
            "ST": result["ST"],
            "ST_conf": result["ST_conf"],
        }
    )
    table["warning"] = index_warnings(table)
    return table


def __getattr__(name: str) -> object:
    """``format_report`` moved to :mod:`negosim.sweep.report`; it stays importable from here."""
    if name == "format_report":
        from negosim.sweep.report import format_report

        return format_report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
