"""What a loaded sweep is, in a few lines: ``repr(sweep)``, ``sweep.summary()``, and Jupyter.

A notebook cell that ends in ``load_sweep(DIR)`` should say what was loaded: the experiment
and its hash, the design, points × replicates, whether every chunk finished ("incomplete:
N of M chunks" otherwise), the varied parameters with their ranges, the outcome columns and
the overall agreement rate. Everything comes from the manifest, the parameter table, one
file's schema and one column of the runs, so it is quick however large the sweep.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow.parquet as pq

from negosim.sweep.stats import wilson_interval

if TYPE_CHECKING:
    from negosim.sweep.load import Sweep

#: Row keys of the runs table, not outcomes.
KEYS = ("point", "replicate", "seed")
#: A parameter with at most this many distinct values lists them, else shows its range.
LISTED = 6


@dataclass(frozen=True)
class SweepSummary:
    """The facts shown about a sweep."""

    root: str
    name: str
    identity: str
    method: str
    points: int
    replicates: int
    rounds: int
    chunks_done: int
    chunks: int
    common_random_numbers: bool
    parameters: tuple[tuple[str, str], ...]
    outcomes: tuple[str, ...]
    runs: int
    deals: int

    @property
    def complete(self) -> bool:
        """Whether every chunk is on disk."""
        return self.chunks_done >= self.chunks

    def status(self) -> str:
        """'complete', or 'incomplete: N of M chunks'."""
        if self.complete:
            return "complete"
        return f"incomplete: {self.chunks_done} of {self.chunks} chunks"

    def agreement(self) -> str:
        """The overall agreement rate over the runs on disk, with its 95 % Wilson interval."""
        if not self.runs:
            return "no runs on disk yet"
        low, high = wilson_interval([self.deals], [self.runs])
        rate = self.deals / self.runs
        return f"{rate:.3f} [{low[0]:.3f}, {high[0]:.3f}] ({self.deals:,} of {self.runs:,} runs)"

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) lines, shared by the text and the HTML."""
        seeds = "common random numbers" if self.common_random_numbers else "independent per point"
        return [
            ("experiment", f"{self.name} (sha256 {self.identity[:12]})"),
            (
                "design",
                f"{self.method}, {self.points:,} points × {self.replicates:,} replicates, "
                f"{self.rounds} rounds",
            ),
            ("seeds", seeds),
            ("status", self.status()),
            ("agreement", self.agreement()),
            (
                "outcomes",
                f"{len(self.outcomes)}: " + ", ".join(self.outcomes)
                if self.outcomes
                else "none on disk yet",
            ),
        ]

    def text(self) -> str:
        """Plain text: ``repr(sweep)`` and ``sweep.summary()``."""
        lines = [f"Sweep {self.root}"]
        for label, value in self.facts():
            lines += textwrap.wrap(
                value,
                width=100,
                initial_indent=f"  {label + ':':<11} ",
                subsequent_indent=" " * 14,
                break_on_hyphens=False,
            )
        lines.append("  parameters:")
        width = max((len(path) for path, _ in self.parameters), default=0)
        lines += [f"    {path:<{width}}  {values}" for path, values in self.parameters]
        return "\n".join(lines)

    def html(self) -> str:
        """A small self-contained table for Jupyter (every value escaped)."""
        e = html.escape
        rows = "".join(
            f"<tr><th style='text-align:left'>{e(label)}</th><td style='text-align:left'>"
            f"{e(value)}</td></tr>"
            for label, value in self.facts()
        )
        params = "".join(
            f"<tr><td style='text-align:left'><code>{e(path)}</code></td>"
            f"<td style='text-align:left'>{e(values)}</td></tr>"
            for path, values in self.parameters
        )
        warning = "" if self.complete else f"<p><strong>{e(self.status())}</strong></p>"
        return (
            f"<div><p><strong>Sweep</strong> <code>{e(self.root)}</code></p>{warning}"
            f"<table>{rows}</table><p>parameters</p><table>{params}</table></div>"
        )


def _values(column: pd.Series) -> str:
    """A parameter's listed values (few) or its range (many)."""
    distinct = column.drop_duplicates().tolist()
    if len(distinct) <= LISTED:
        return "values " + ", ".join(
            f"{v:.4g}" if isinstance(v, float) else str(v) for v in distinct
        )
    if pd.api.types.is_numeric_dtype(column):
        return f"{column.min():.4g} … {column.max():.4g} ({len(distinct)} values)"
    return f"{len(distinct)} values"


def sweep_summary(sweep: Sweep) -> SweepSummary:
    """Collect the summary of ``sweep`` from its directory."""
    from negosim.sweep.store import SweepStore

    manifest = sweep.manifest
    keeps_rounds = manifest.get("keep", {}).get("rounds", "all") != "none"
    done = SweepStore(sweep.root, keeps_rounds).done_chunks()
    parts = sorted((sweep.root / "runs").glob("part-*.parquet"))
    outcomes: tuple[str, ...] = ()
    runs = deals = 0
    if parts:
        outcomes = tuple(n for n in pq.read_schema(parts[0]).names if n not in KEYS)
        if "deal_reached" in outcomes:
            reached = pd.read_parquet(sweep.root / "runs", columns=["deal_reached"])
            runs, deals = len(reached), int(reached["deal_reached"].sum())
    parameters = sweep.parameters
    design = manifest.get("design", {})
    return SweepSummary(
        root=str(sweep.root),
        name=str(manifest.get("experiment", {}).get("name", "?")),
        identity=str(manifest.get("identity", "?")),
        method=str(design.get("method", "?")),
        points=int(design.get("points", len(parameters))),
        replicates=int(manifest.get("replicates", 0)),
        rounds=int(manifest.get("rounds", 0)),
        chunks_done=len(done),
        chunks=int(manifest.get("chunks", len(done))),
        common_random_numbers=bool(manifest.get("common_random_numbers", False)),
        parameters=tuple(
            (path, _values(parameters[path])) for path in parameters.columns if path != "point"
        ),
        outcomes=outcomes,
        runs=runs,
        deals=deals,
    )
