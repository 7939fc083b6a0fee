"""Outcome distributions per design point, with honest uncertainty.

- Shares (deal reached, majority lost, ...) come with Wilson score intervals (Wilson 1927,
  JASA 22:209; recommended over the Wald interval by Brown, Cai & DasGupta 2001, Statistical
  Science 16:101), which behave near 0 and 1 and for small counts.
- Numeric outcomes get mean, median and the 5th/95th percentiles of their distribution over
  replicates (a spread, not an uncertainty of the mean).
- Rounds of first deal exclude runs without a deal (stored as missing, never -1).
- Sobol designs get first-order and total Sobol' indices (Sobol' 2001; Saltelli et al.
  2010) with bootstrap confidence intervals, via SALib, on the per-point mean outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from negosim.sweep.load import Sweep

Z95 = 1.959963984540054


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


def _values(frame: pd.DataFrame, outcome: str) -> pd.Series:
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
        values = _values(runs, outcome)
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


def sobol_indices(sweep: Sweep, outcome: str, second_order: bool = False) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol' indices of the per-point mean of ``outcome``."""
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
    means = _values(runs, outcome).groupby(runs["point"]).mean().reindex(params["point"])
    if means.isna().any():
        raise ValueError(f"{outcome}: some design points have no value (e.g. no deal at all)")
    result = sobol.analyze(
        problem,
        means.to_numpy(dtype=np.float64),
        calc_second_order=second_order,
        seed=int(manifest["master_seed"]) % 2**32,
    )
    return pd.DataFrame(
        {
            "parameter": names,
            "S1": result["S1"],
            "S1_conf": result["S1_conf"],
            "ST": result["ST"],
            "ST_conf": result["ST_conf"],
        }
    )


def format_report(sweep: Sweep, outcomes: list[str]) -> str:
    """The text printed after a sweep: agreement rates, outcome distributions, Sobol."""
    pd.set_option("display.width", 200)
    parts = [
        "Agreement rate per point (95 % Wilson interval):",
        agreement_table(sweep).to_string(index=False, float_format="{:.3f}".format),
    ]
    numeric = [o for o in outcomes if o != "deal_reached"]
    table = distribution_table(sweep, numeric)
    for outcome in numeric:
        block = table[table["outcome"] == outcome].drop(columns="outcome")
        parts += [
            "",
            f"{outcome} per point (mean, median, 5th and 95th percentiles):",
            block.to_string(index=False, float_format="{:.3f}".format),
        ]
    if sweep.manifest["design"]["method"] == "sobol":
        for outcome in outcomes:
            try:
                second = bool(sweep.manifest["design"].get("second_order", False))
                indices = sobol_indices(sweep, outcome, second_order=second)
            except ValueError as err:
                parts += ["", f"Sobol indices of {outcome}: not computed ({err})"]
                continue
            parts += [
                "",
                f"Sobol indices of mean {outcome} (first-order S1, total ST, 95 % conf):",
                indices.to_string(index=False, float_format="{:.3f}".format),
            ]
    return "\n".join(parts)
