"""The report printed after a sweep, and its full tables as files in the sweep's directory.

A Sobol design of 512 points printed every point of every table (about 2,600 lines before
the indices). So a table of more than ``max_rows`` points prints only the points with the
lowest and the highest values of its main column (agreement rate, mean outcome), with how
many more there are and where they are: the full tables go to ``DIR/tables/NAME.csv``
(every digit, for programs) and ``NAME.md`` (rounded, for people), each written atomically.
``max_rows=None`` (``negosim sweep --full-tables``) prints everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from negosim.results import atomic_path
from negosim.sweep.stats import agreement_table, distribution_table, sobol_indices
from negosim.sweep.variance import noise_table

if TYPE_CHECKING:
    from negosim.sweep.load import Sweep

#: A table of more points than this prints its lowest and highest half of this many.
DEFAULT_ROWS = 20
#: The folder of a sweep's directory that holds the full tables.
TABLES = "tables"
#: Above this share of the per-point means' variance, replicate noise is called out: an
#: inert parameter's total index is about that share with independent seeds (_sobol_lines).
NOISY_MEANS = 0.1
FLOAT = "{:.3f}".format


@dataclass(frozen=True)
class ReportTables:
    """Every table of the report, in full (the report prints a short view of the long ones)."""

    agreement: pd.DataFrame
    distributions: pd.DataFrame
    noise: pd.DataFrame
    sobol: pd.DataFrame | None = None
    sobol_skipped: dict[str, str] = field(default_factory=dict)

    def named(self) -> dict[str, pd.DataFrame]:
        """The tables by file name."""
        tables = {
            "agreement": self.agreement,
            "distributions": self.distributions,
            "variance": self.noise,
        }
        if self.sobol is not None:
            tables["sobol"] = self.sobol
        return tables


def report_tables(sweep: Sweep, outcomes: list[str]) -> ReportTables:
    """Compute every table of the report of ``sweep`` for the reported ``outcomes``."""
    numeric = [o for o in outcomes if o != "deal_reached"]
    parameters = sweep.parameters
    distributions = distribution_table(sweep, numeric)
    if len(distributions):
        distributions = distributions.merge(parameters, on="point", how="left")
        first = ["outcome", "point", *parameters.columns.drop("point")]
        distributions = distributions[first + [c for c in distributions if c not in first]]
    design = sweep.manifest["design"]
    if design["method"] != "sobol":
        return ReportTables(agreement_table(sweep), distributions, noise_table(sweep, outcomes))
    blocks, skipped = [], {}
    for outcome in outcomes:
        try:
            indices = sobol_indices(sweep, outcome, bool(design.get("second_order", False)))
        except ValueError as err:
            skipped[outcome] = str(err)
            continue
        blocks.append(indices.assign(outcome=outcome))
    sobol = None
    if blocks:
        sobol = pd.concat(blocks, ignore_index=True)
        sobol = sobol[["outcome", *sobol.columns.drop("outcome")]]
    return ReportTables(
        agreement_table(sweep), distributions, noise_table(sweep, outcomes), sobol, skipped
    )


# --- files ----------------------------------------------------------------------------------


def _cell(value: object) -> str:
    """A Markdown cell: 4 significant digits, empty for missing, pipes escaped."""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(value)
    if isinstance(value, float | np.floating):
        return "" if np.isnan(value) else f"{value:.4g}"
    if value is None or value is pd.NA:
        return ""
    return str(value).replace("|", "\\|")


def markdown_table(frame: pd.DataFrame) -> str:
    """``frame`` as a GitHub-flavoured Markdown table (numbers right-aligned)."""
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    lines = [
        "| " + " | ".join(str(c) for c in frame.columns) + " |",
        "|" + "|".join("---:" if n else "---" for n in numeric) + "|",
    ]
    lines += [
        "| " + " | ".join(_cell(v) for v in row) + " |"
        for row in frame.itertuples(index=False, name=None)
    ]
    return "\n".join(lines) + "\n"


def write_tables(sweep: Sweep, tables: ReportTables) -> dict[str, Path]:
    """Write every table to ``DIR/tables/NAME.csv`` and ``.md``; return the CSV paths by name."""
    folder = sweep.root / TABLES
    name = sweep.manifest.get("experiment", {}).get("name", sweep.root.name)
    written = {}
    for key, table in tables.named().items():
        csv = folder / f"{key}.csv"
        with atomic_path(csv) as tmp:
            table.to_csv(tmp, index=False)
        with atomic_path(csv.with_suffix(".md")) as tmp:
            title = f"# {name}: {key}\n\n{len(table)} rows; every digit in {csv.name}.\n\n"
            tmp.write_text(title + markdown_table(table), encoding="utf-8")
        written[key] = csv
    return written


# --- the text -------------------------------------------------------------------------------


def short_table(
    table: pd.DataFrame, key: str, max_rows: int | None, where: Path | None = None
) -> str:
    """``table`` as text, or only its rows with the lowest and highest ``key`` if it is long.

    Ties keep the points' order; rows without a value of ``key`` are counted, not shown.
    """
    if max_rows is None or len(table) <= max_rows:
        return table.to_string(index=False, float_format=FLOAT)
    ranked = table.dropna(subset=[key]).sort_values(key, kind="stable")
    half = max(1, max_rows // 2)
    low, high = ranked.head(half), ranked.tail(half)
    high = high[~high.index.isin(low.index)]
    lines = pd.concat([low, high]).to_string(index=False, float_format=FLOAT).split("\n")
    lines.insert(1 + len(low), "  ...")
    rest = len(table) - len(low) - len(high)
    note = f"{rest} more of {len(table)} points"
    missing = len(table) - len(ranked)
    if missing:
        note += f" ({missing} without a value)"
    note += f" in {where} (and .md)" if where else ""
    return "\n".join(lines) + f"\n{note}; --full-tables prints every point"


def _shown(count: int, key: str, max_rows: int | None) -> str:
    """How a table's header says which rows it shows."""
    if max_rows is None or count <= max_rows:
        return ""
    half = max(1, max_rows // 2)
    return f"; the {half} points with the lowest and the {half} with the highest {key}"


def _variance_lines(noise: pd.DataFrame, common: bool) -> list[str]:
    seeds = "common random numbers" if common else "independent seeds per point"
    lines = [
        "",
        f"Variance of each outcome over the runs ({seeds}): share between the replicates of a "
        "point (noise the parameters do not explain), share explained by the points, and "
        "replicate noise's share of the variance of the per-point means:",
        noise.to_string(index=False, float_format=FLOAT),
    ]
    if noise["replicate_share"].isna().any():
        lines.append("(NaN: the outcome has the same value in every run, no variance to share)")
    return lines


def _sobol_lines(tables: ReportTables, outcome: str, common: bool) -> list[str]:
    if outcome in tables.sobol_skipped:
        return ["", f"Sobol indices of {outcome}: not computed ({tables.sobol_skipped[outcome]})"]
    assert tables.sobol is not None  # an outcome is either skipped or has indices
    indices = tables.sobol[tables.sobol["outcome"] == outcome].drop(columns="outcome")
    lines = [
        "",
        f"Sobol indices of mean {outcome} (first-order S1, total ST, 95 % conf):",
        indices.to_string(index=False, float_format=FLOAT),
    ]
    flagged = int((indices["warning"] != "").sum())
    if flagged:
        lines.append(
            f"warning: {flagged} of {len(indices)} parameters have indices to read with care "
            "(S<0, S>1: an estimate no share can have, not a finding; CI<0, CI>1: the 95 % "
            "interval leaves [0, 1], the estimate is imprecise; CI>S: the interval is wider "
            "than the index, which cannot be told from 0); raise design.samples for narrower "
            "intervals"
        )
    noise = tables.noise.set_index("outcome")["mean_noise_share"].get(outcome, np.nan)
    if noise > NOISY_MEANS and common:
        lines.append(
            f"warning: replicate noise is about {noise:.0%} of the variance of the per-point "
            f"means of {outcome} (replicates respond differently to the parameters): the "
            "indices of the parameters that act carry that noise; more replicates lower it"
        )
    elif noise > NOISY_MEANS:
        lines.append(
            f"warning: replicate noise is about {noise:.0%} of the variance of the per-point "
            f"means of {outcome}: a parameter with no effect at all would get ST ≈ {noise:.2f} "
            "(Jansen's estimator reads the noise as interaction), so read every ST against "
            "that floor; common random numbers or more replicates lower it"
        )
    return lines


def format_report(
    sweep: Sweep,
    outcomes: list[str],
    max_rows: int | None = DEFAULT_ROWS,
    tables: ReportTables | None = None,
    written: dict[str, Path] | None = None,
) -> str:
    """The text printed after a sweep: agreement, distributions, variance shares, Sobol.

    ``tables`` saves computing them again; ``written`` (from :func:`write_tables`) lets a
    short table say which file holds the rest.
    """
    pd.set_option("display.width", 200)
    tables = tables or report_tables(sweep, outcomes)
    written = written or {}
    agreement = tables.agreement
    parts = [
        "Agreement rate per point (95 % Wilson interval)"
        + _shown(len(agreement), "agreement", max_rows)
        + ":",
        short_table(agreement, "agreement", max_rows, written.get("agreement")),
    ]
    distributions = tables.distributions
    for outcome in [o for o in outcomes if o != "deal_reached"]:
        block = distributions[distributions["outcome"] == outcome].drop(columns="outcome")
        parts += [
            "",
            f"{outcome} per point (mean, median, 5th and 95th percentiles)"
            + _shown(len(block), "mean", max_rows)
            + ":",
            short_table(block, "mean", max_rows, written.get("distributions")),
        ]
    common = bool(sweep.manifest.get("common_random_numbers"))
    parts += _variance_lines(tables.noise, common)
    if sweep.manifest["design"]["method"] == "sobol":
        for outcome in outcomes:
            parts += _sobol_lines(tables, outcome, common)
    return "\n".join(parts)


def report_and_files(sweep: Sweep, outcomes: list[str], full: bool = False) -> str:
    """Write the full tables into the sweep's directory; return the report that names them."""
    tables = report_tables(sweep, outcomes)
    written = write_tables(sweep, tables)
    text = format_report(sweep, outcomes, None if full else DEFAULT_ROWS, tables, written)
    return text + f"\n\nfull tables: {sweep.root / TABLES}/*.csv and *.md"
