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
        c.pairing.statement
        + ": "
        + (METHODS_PAIRED if c.paired else METHODS_UNPAIRED)
        + "; 95 % intervals",
        f"Benjamini–Hochberg over {tested} tests: {int(table['significant'].sum())} "
        f"differ at q < {c.alpha:g}",
    ]
    lines += [f"warning: {w}" for w in c.warnings]
    lines += [f"note: {n}" for n in c.notes]
    return lines


def _display(table: pd.DataFrame, with_point: bool, full_units: bool = False) -> pd.DataFrame:
    """The columns a reader scans: rank, outcome, point, A, B, B − A [CI], q, effect."""
    shown = pd.DataFrame(
        {
            "rank": table["rank"].astype(str),
            "outcome": table["outcome"],
            "unit": table["unit"].map(lambda u: u if full_units else u.split(" (")[0]),
        }
    )
    if with_point:
        shown["point"] = table["point"]
    shown["A"] = table["mean_a"].map(number)
    shown["B"] = table["mean_b"].map(number)
    shown["B − A [95 % CI]"] = [
        f"{number(d, True)} [{number(lo, True)}, {number(hi, True)}]"
        if pd.notna(lo)
        else number(d, True)
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
    parts.append(_aligned(_display(shown, with_point), {"outcome", "unit", "point"}))
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
    shown = _display(c.table, True, full_units=True)
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
    table = _display(comparison.table.head(top), len(comparison.matches) > 1)
    more = len(comparison.table) - len(table)
    tail = f"<p>… {more} more rows in <code>.table</code></p>" if more > 0 else ""
    return (
        f"<div><strong>negosim comparison</strong><ul>{head}</ul>"
        f"{table.to_html(index=False, escape=True)}{tail}</div>"
    )
