"""A comparison as text: the terminal's short table, the full Markdown, Jupyter's summary.

The terminal shows the header and the first rows of the ranked table (short by default:
a design of 512 points and 40 outcomes has 20,480 rows); the Markdown and the CSV hold
every row. Numbers are shown to the precision a reader can use, the files keep them all.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from negosim.compare.comparison import Comparison

METHODS_PAIRED = (
    "paired t intervals and Wilcoxon signed-rank tests (Pratt) for numbers; Bonett–Price "
    "intervals and McNemar mid-p tests for shares"
)
METHODS_UNPAIRED = (
    "Welch t intervals and Mann–Whitney U tests for numbers; Newcombe hybrid score "
    "intervals and Fisher exact tests for shares"
)


def number(x: object, signed: bool = False) -> str:
    """A value to a readable precision ('' for a null)."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)) or pd.isna(x):  # type: ignore[arg-type]
        return ""
    v = float(x)  # type: ignore[arg-type]
    size = abs(v)
    if size >= 1000:
        text = f"{v:,.0f}"
    elif size >= 100:
        text = f"{v:.1f}"
    elif size >= 1 or v == 0:
        text = f"{v:.2f}"
    else:
        text = f"{v:.3f}"
    return f"+{text}" if signed and v > 0 else text


def interval(d: object, low: object, high: object) -> str:
    """``+6.35 [+5.70, +7.01]``: the estimate and bounds to two digits of the half-width."""
    if pd.isna(low) or pd.isna(high) or pd.isna(d):  # type: ignore[arg-type]
        return number(d, True)
    half = (float(high) - float(low)) / 2  # type: ignore[arg-type]
    if half <= 0:
        return f"{number(d, True)} [{number(low, True)}, {number(high, True)}]"
    decimals = max(0, 1 - math.floor(math.log10(half)))
    return "{0:+,.{3}f} [{1:+,.{3}f}, {2:+,.{3}f}]".format(d, low, high, decimals)


def q_value(q: object) -> str:
    """An adjusted p-value: ``<0.001`` below a thousandth."""
    if q is None or pd.isna(q):  # type: ignore[arg-type]
        return "–"
    return "<0.001" if float(q) < 0.001 else f"{float(q):.3f}"  # type: ignore[arg-type]


def summary_lines(comparison: Comparison) -> list[str]:
    """Sides, what was compared, pairing and its methods, the adjustment, warnings, notes."""
    c = comparison
    table = c.table
    key = list(c.matches[0].key)
    points = (
        f"{len(c.matches)} matched point{'s' if len(c.matches) > 1 else ''} (by {', '.join(key)})"
        if key
        else "one set of runs per side" + (" (points pooled)" if c.matches[0].pooled else "")
    )
    tested = int(table["p_value"].notna().sum())
    lines = [
        c.a.describe(),
        c.b.describe(),
        f"compared: {points} × {len(c.outcomes)} outcomes = {len(table)} rows; "
        "every difference is B − A",
        c.pairing.statement,
        "methods: " + (METHODS_PAIRED if c.paired else METHODS_UNPAIRED) + "; 95 % intervals",
        f"Benjamini–Hochberg over {tested} tests: {int(table['significant'].sum())} "
        f"differ at q < {c.alpha:g}",
    ]
    lines += [f"warning: {w}" for w in c.warnings]
    lines += [f"note: {n}" for n in c.notes]
    return lines


POINT_WIDTH = 44  # beyond this a point is named by its index in the terminal


def point_names(comparison: Comparison) -> dict[str, str]:
    """Each matched point's label for the terminal: short parameter names, or the index.

    A Sobol point of six parameters is 200 characters of values; its index (the row of
    parameters.parquet) is what a reader looks up.
    """
    names = {}
    for m in comparison.matches:
        label = m.short_label(comparison.parameter_names)
        if len(label) > POINT_WIDTH:
            a, b = ";".join(map(str, m.a_points)), ";".join(map(str, m.b_points))
            label = f"point {a}" if a == b else f"A {a} · B {b}"
        names[m.label] = label
    return names


def _display(
    table: pd.DataFrame, points: dict[str, str] | None, full_units: bool = False
) -> pd.DataFrame:
    """The columns a reader scans: rank, outcome, point, A, B, B − A [CI], q, effect."""
    shown = pd.DataFrame(
        {
            "rank": table["rank"].astype(str),
            "outcome": table["outcome"],
            "unit": table["unit"].map(lambda u: u if full_units else u.split(" (")[0]),
        }
    )
    if points is not None:
        shown["point"] = table["point"].map(lambda p: points.get(p, p))
    shown["A"] = table["mean_a"].map(number)
    shown["B"] = table["mean_b"].map(number)
    shown["B − A [95 % CI]"] = [
        interval(d, lo, hi)
        for d, lo, hi in zip(
            table["difference"], table["ci95_low"], table["ci95_high"], strict=True
        )
    ]
    shown["q"] = table["p_adjusted"].map(q_value)
    shown["effect"] = table["effect"].map(lambda e: "" if pd.isna(e) else f"{e:+.2f}")
    return shown


def _aligned(frame: pd.DataFrame, left: set[str]) -> str:
    widths = {c: max(len(c), *(len(v) for v in frame[c])) for c in frame}
    lines = ["  ".join(c.ljust(widths[c]) if c in left else c.rjust(widths[c]) for c in frame)]
    for _, row in frame.iterrows():
        lines.append(
            "  ".join(
                row[c].ljust(widths[c]) if c in left else row[c].rjust(widths[c]) for c in frame
            ).rstrip()
        )
    return "\n".join(lines)


def terminal(comparison: Comparison, top: int = 15, files: str = "") -> str:
    """The header and the ``top`` first rows of the ranked table (all rows for ``top`` 0)."""
    table = comparison.table
    shown = table if top <= 0 else table.head(top)
    with_point = len(comparison.matches) > 1
    title = (
        f"What differs most (all {len(table)} rows"
        if len(shown) == len(table)
        else f"What differs most (first {len(shown)} of {len(table)} rows"
    )
    title += (
        "; A, B: mean or rate; effect: Cliff's δ for numbers, risk difference for shares; "
        "q: BH-adjusted p)"
    )
    parts = [*summary_lines(comparison), "", title + ":"]
    points = point_names(comparison) if with_point else None
    parts.append(_aligned(_display(shown, points), {"outcome", "unit", "point"}))
    if files:
        parts += ["", files]
    return "\n".join(parts)


def _md_cell(text: object) -> str:
    return str(text).replace("|", "\\|")


def markdown(comparison: Comparison, figures: list[str] | None = None) -> str:
    """The whole comparison as Markdown: provenance, pairing, methods, every row."""
    c = comparison
    lines = [
        f"# Comparison: {c.a.label} (A) and {c.b.label} (B)",
        "",
        "| | A | B |",
        "|---|---|---|",
    ]
    for name, get in (
        ("directory", lambda s: f"`{s.sweep.root}`"),
        ("experiment", lambda s: s.experiment),
        ("experiment SHA-256", lambda s: f"`{s.identity}`"),
        ("base scenario", lambda s: s.manifest["scenario"]["name"]),
        ("resolved scenario SHA-256", lambda s: f"`{s.manifest['scenario']['resolved_sha256']}`"),
        ("master seed", lambda s: s.manifest["master_seed"]),
        ("common random numbers", lambda s: s.manifest["common_random_numbers"]),
        ("points compared", lambda s: f"{len(s.points)} of {s.manifest['design']['points']}"),
        ("replicates per point", lambda s: s.manifest["replicates"]),
        ("months per run", lambda s: s.manifest["rounds"]),
        ("selection", lambda s: ", ".join(f"{k}={v}" for k, v in s.selection.items()) or "all"),
        ("state", lambda s: s.completeness),
    ):
        lines.append(f"| {name} | {_md_cell(get(c.a))} | {_md_cell(get(c.b))} |")
    lines += ["", *(f"- {line}" for line in summary_lines(c)[2:]), ""]
    lines += [
        "Every difference is B − A with a 95 % interval. Tests are two-sided; q is the "
        "Benjamini–Hochberg adjusted p-value over every row. `effect` is Cliff's δ "
        "(P(B > A) − P(B < A)) for numbers and the risk difference for shares, one scale "
        "from −1 to 1; rows that differ (q < "
        f"{c.alpha:g}) come first, largest effect first. For paired comparisons "
        "`b_higher`/`b_lower` (comparison.csv) are the shares of pairs in which B is above or "
        "below A. Methods and references: docs/compare.md.",
        "",
    ]
    shown = _display(c.table, {}, full_units=True)
    shown["n"] = [
        f"{int(p):,} pairs" if pd.notna(p) else f"{a:,} / {b:,}"
        for p, a, b in zip(c.table["n_pairs"], c.table["n_a"], c.table["n_b"], strict=True)
    ]
    shown["test"] = c.table["test"]
    shown["note"] = c.table["note"].fillna("")
    lines.append("| " + " | ".join(shown.columns) + " |")
    lines.append("|" + "---|" * len(shown.columns))
    for _, row in shown.iterrows():
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    if figures:
        lines += ["", "## Figures", ""]
        lines += [f"![{name}]({name})" for name in figures]
    return "\n".join(lines) + "\n"


def html_summary(comparison: Comparison, top: int = 10) -> str:
    """Jupyter's view: the header lines and the first rows of the ranked table."""
    head = "".join(f"<li>{html.escape(line)}</li>" for line in summary_lines(comparison))
    points = point_names(comparison) if len(comparison.matches) > 1 else None
    table = _display(comparison.table.head(top), points)
    more = len(comparison.table) - len(table)
    tail = f"<p>… {more} more rows in <code>.table</code></p>" if more > 0 else ""
    return (
        f"<div><strong>negosim comparison</strong><ul>{head}</ul>"
        f"{table.to_html(index=False, escape=True)}{tail}</div>"
    )
