"""``compare(sweep_a, sweep_b)``: two sweeps (or points of them) set side by side.

The steps, each in its own module: open and check both sides and choose their points
(:mod:`~negosim.compare.sides`), find the outcomes both store
(:mod:`~negosim.compare.outcomes`), match points by parameter values
(:mod:`~negosim.compare.matching`), read pairing from the seeds
(:mod:`~negosim.compare.pairing`), compute each outcome's contrast at each matched point
(:mod:`~negosim.compare.statistics`), adjust and rank (:mod:`~negosim.compare.ranking`).
Only saved results are read, never the model.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
from numpy.typing import NDArray

from negosim.compare.errors import UnreadableSweepError
from negosim.compare.matching import Match, match_points
from negosim.compare.outcomes import Outcome, shared_outcomes
from negosim.compare.pairing import Pairing, RunIndex, aligned, detect_pairing
from negosim.compare.ranking import ALPHA, adjust_and_rank, table_row
from negosim.compare.sides import Side, Value, default_labels, open_side, short_names
from negosim.compare.statistics import contrast
from negosim.sweep.load import Sweep

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SweepLike = str | os.PathLike[str] | Sweep


@dataclass
class Comparison:
    """Two sides, what was compared, whether runs are paired, and the ranked table.

    ``table`` has one row per outcome and matched point (docs/compare.md lists its
    columns); every difference is B − A.
    """

    a: Side
    b: Side
    outcomes: list[Outcome]
    matches: list[Match]
    pairing: Pairing
    table: pd.DataFrame
    alpha: float = ALPHA
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    index_a: RunIndex | None = field(default=None, repr=False)
    index_b: RunIndex | None = field(default=None, repr=False)
    values_a: dict[str, NDArray[np.float64]] = field(default_factory=dict, repr=False)
    values_b: dict[str, NDArray[np.float64]] = field(default_factory=dict, repr=False)

    @property
    def paired(self) -> bool:
        """Whether runs were compared as matched pairs (shared seeds, one base scenario)."""
        return self.pairing.paired

    @property
    def parameter_names(self) -> dict[str, str]:
        """Each varied path's shortest unambiguous tail (``omega`` for ``china.omega``)."""
        return short_names(list(dict.fromkeys([*self.a.parameters, *self.b.parameters])))

    @property
    def significant(self) -> pd.DataFrame:
        """The rows that differ after the Benjamini–Hochberg adjustment (q < alpha)."""
        return self.table[self.table["significant"]]

    def sides(self) -> tuple[Side, Side]:
        """(A, B)."""
        return self.a, self.b

    def values(self, outcome: Outcome, match: Match) -> tuple[NDArray, NDArray]:
        """The outcome's values of every run of A and of B at one matched point (NaN: missing)."""
        assert self.index_a is not None and self.index_b is not None
        return (
            self.values_a[outcome.name][self.index_a.rows(match.a_points)],
            self.values_b[outcome.name][self.index_b.rows(match.b_points)],
        )

    def footer(self) -> str:
        """Provenance for figures: both experiments and their hashes (and completeness)."""
        parts = []
        for side in self.sides():
            text = f"{side.name}: {side.experiment} {side.identity[:12]}"
            if not side.complete:
                text += f" ({side.completeness})"
            parts.append(text)
        return " · ".join(parts) + f" · {'paired' if self.paired else 'unpaired'}"

    def summary_lines(self) -> list[str]:
        """The header of every rendering: sides, what was compared, pairing, warnings."""
        from negosim.compare.render import summary_lines

        return summary_lines(self)

    def distribution_figure(self, outcome: str) -> Figure:
        """Overlaid distributions of one outcome column, A against B (see figures)."""
        from negosim.compare.figures import distribution_figure

        return distribution_figure(self, outcome)

    def effects_figure(self, top: int = 20) -> Figure:
        """The ``top`` rows of the ranked table as effect sizes on one −1…1 scale."""
        from negosim.compare.figures import effects_figure

        return effects_figure(self, top)

    def _repr_html_(self) -> str:
        from negosim.compare.render import html_summary

        return html_summary(self)

    def __str__(self) -> str:
        from negosim.compare.render import terminal

        return terminal(self, top=15)


def _runs(side: Side, outcomes: list[Outcome]) -> pd.DataFrame:
    """The side's runs at its chosen points: keys and the compared columns only."""
    columns = ["point", "replicate", "seed", *dict.fromkeys(o.column for o in outcomes)]
    points = [int(p) for p in side.points["point"]]
    try:
        frame = pd.read_parquet(
            side.sweep.root / "runs", columns=columns, filters=[("point", "in", points)]
        )
    except (OSError, pa.ArrowException) as err:
        raise UnreadableSweepError(f"{side.sweep.root}/runs: cannot be read ({err})") from None
    return frame.sort_values(["point", "replicate"], kind="stable").reset_index(drop=True)


def compare(
    sweep_a: SweepLike,
    sweep_b: SweepLike,
    *,
    a_point: dict[str, Value] | None = None,
    b_point: dict[str, Value] | None = None,
    outcomes: list[str] | None = None,
    pool: bool = False,
    paired: bool | None = None,
    labels: tuple[str | None, str | None] = (None, None),
    alpha: float = ALPHA,
) -> Comparison:
    """Compare sweep A with sweep B (directories or loaded sweeps); differences are B − A.

    ``a_point``/``b_point`` choose points by parameter values (``{"china.omega": 0.5}``,
    or ``{"point": 3}``); ``outcomes`` restricts the compared columns; ``pool`` compares
    several points' runs together where pointwise matching is impossible; ``paired``
    ``None`` detects pairing from the seeds, ``True`` insists (refused when impossible),
    ``False`` analyses the runs as independent samples. Raises a
    :class:`~negosim.compare.errors.CompareError` when the sweeps cannot be compared.
    """
    side_a = open_side("A", _root(sweep_a), dict(a_point or {}), "--a-point")
    side_b = open_side("B", _root(sweep_b), dict(b_point or {}), "--b-point")
    auto = default_labels(side_a, side_b)
    side_a.label, side_b.label = labels[0] or auto[0], labels[1] or auto[1]
    compared, outcome_notes = shared_outcomes(side_a, side_b, outcomes)
    matches, match_notes = match_points(side_a, side_b, pool)
    runs_a, runs_b = _runs(side_a, compared), _runs(side_b, compared)
    index_a, index_b = RunIndex.of(runs_a), RunIndex.of(runs_b)
    pairing = detect_pairing(side_a, side_b, matches, index_a, index_b, paired)
    values_a = {o.name: o.values(runs_a) for o in compared}
    values_b = {o.name: o.values(runs_b) for o in compared}
    rows = []
    for match in matches:
        rows_a, rows_b = aligned(match, index_a, index_b, pairing.paired)
        every_a, every_b = index_a.rows(match.a_points), index_b.rows(match.b_points)
        for outcome in compared:
            va, vb = values_a[outcome.name][rows_a], values_b[outcome.name][rows_b]
            missing = (
                int(np.isnan(values_a[outcome.name][every_a]).sum()),
                int(np.isnan(values_b[outcome.name][every_b]).sum()),
            )
            result = contrast(outcome.kind, va, vb, pairing.paired)
            rows.append(table_row(match, outcome, result, missing, pairing.paired))
    warnings = side_a.warnings + side_b.warnings + list(pairing.notes)
    if side_a.manifest["rounds"] != side_b.manifest["rounds"]:
        warnings.append(
            f"the sweeps simulate different horizons ({side_a.manifest['rounds']} and "
            f"{side_b.manifest['rounds']} months): end-of-run outcomes differ by that too"
        )
    return Comparison(
        a=side_a,
        b=side_b,
        outcomes=compared,
        matches=matches,
        pairing=pairing,
        table=adjust_and_rank(rows, alpha),
        alpha=alpha,
        warnings=warnings,
        notes=outcome_notes + match_notes,
        index_a=index_a,
        index_b=index_b,
        values_a=values_a,
        values_b=values_b,
    )


def _root(sweep: SweepLike) -> Path | Sweep:
    return sweep if isinstance(sweep, Sweep) else Path(sweep)
