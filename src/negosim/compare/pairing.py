"""Whether the runs of A and B are matched pairs, read from the stored seeds.

A run's seed fixes every draw it makes (China's moves, elections, reversals, markets:
docs/sweeps.md, "Reproducibility"). Two runs with one seed are therefore a matched pair
under common random numbers, and their difference carries none of the between-replicate
noise (Law 2015, *Simulation Modeling and Analysis*, §11.2). That happens when two sweeps
share the master seed and the design (replicate r of point p gets one seed in both), or
when both use ``common_random_numbers: true`` with one master seed (any point of one
against any point of the other, the same sweep included).

So pairing is read from the files, never asserted:

- one point against one point: the runs are paired replicate by replicate when every
  replicate stored on both sides has the same seed (at least one pair);
- pooled points: runs are paired by seed when no seed repeats within a side and both
  sides hold the same seeds (a pooled side with more runs than the other would otherwise
  be compared through only the runs that happen to match);
- and the base scenarios must be the same (one resolved scenario hash): runs of two
  scenarios are two treatments at once, and the comparison does not pair them.

The comparison is paired when every matched comparison is. Runs of a partial sweep
without a partner on the other side leave the paired analysis, and the comparison says
how many.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from negosim.compare.errors import IncomparableError
from negosim.compare.matching import Match
from negosim.compare.sides import Side

PAIRED = "paired: runs share seeds replicate by replicate"
UNPAIRED = "unpaired"


@dataclass(frozen=True)
class Pairing:
    """The verdict on pairing, the reason, and how the runs line up."""

    paired: bool
    statement: str
    pairs: int = 0
    unpartnered: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RunIndex:
    """Where each point's runs sit in a side's runs frame, with their replicates and seeds.

    Everything per matched point is then a slice of numpy arrays, which keeps a comparison
    of 512 points × 43 outcomes to seconds rather than minutes of pandas indexing.
    """

    replicate: NDArray[np.int64]
    seed: NDArray[np.uint64]
    by_point: dict[int, NDArray[np.intp]]

    @classmethod
    def of(cls, runs: pd.DataFrame) -> RunIndex:
        """The index of a runs frame (any order)."""
        groups = runs.groupby("point", sort=True).indices
        return cls(
            runs["replicate"].to_numpy(dtype=np.int64),
            runs["seed"].to_numpy(dtype=np.uint64),
            {int(p): np.sort(rows) for p, rows in groups.items()},
        )

    def rows(self, points: tuple[int, ...]) -> NDArray[np.intp]:
        """Row positions of the runs of ``points``."""
        empty = np.empty(0, dtype=np.intp)
        return np.concatenate([self.by_point.get(p, empty) for p in points])


def _pairs(match: Match, a: RunIndex, b: RunIndex) -> tuple[bool, NDArray, NDArray]:
    """(pairable?, rows of A, rows of B): row i of each is a pair when pairable."""
    rows_a, rows_b = a.rows(match.a_points), b.rows(match.b_points)
    if not match.pooled:  # one point each: replicate by replicate
        _, ia, ib = np.intersect1d(
            a.replicate[rows_a], b.replicate[rows_b], assume_unique=True, return_indices=True
        )
        ok = len(ia) > 0 and bool((a.seed[rows_a[ia]] == b.seed[rows_b[ib]]).all())
        return ok, rows_a[ia], rows_b[ib]
    seeds_a, seeds_b = a.seed[rows_a], b.seed[rows_b]
    if len(np.unique(seeds_a)) < len(seeds_a) or len(np.unique(seeds_b)) < len(seeds_b):
        return False, rows_a[:0], rows_b[:0]  # common random numbers within a pooled side
    _, ia, ib = np.intersect1d(seeds_a, seeds_b, assume_unique=True, return_indices=True)
    ok = len(ia) > 0 and len(ia) == len(seeds_a) == len(seeds_b)
    return ok, rows_a[ia], rows_b[ib]


def _same_scenario(a: Side, b: Side) -> tuple[bool, str]:
    sa, sb = a.manifest["scenario"], b.manifest["scenario"]
    if sa.get("resolved_sha256") == sb.get("resolved_sha256"):
        return True, ""
    return False, (
        f"the base scenarios differ (A: {sa.get('name')} {str(sa.get('resolved_sha256'))[:12]}, "
        f"B: {sb.get('name')} {str(sb.get('resolved_sha256'))[:12]})"
    )


def detect_pairing(
    a: Side,
    b: Side,
    matches: list[Match],
    runs_a: RunIndex,
    runs_b: RunIndex,
    requested: bool | None = None,
) -> Pairing:
    """Pair when the seeds and the base scenario allow (``requested``: True, False or None).

    ``requested=True`` (``--paired``) refuses with :class:`IncomparableError` when pairing is not
    possible; ``False`` (``--unpaired``) analyses paired runs as independent samples.
    """
    total, unpartnered, failed = 0, 0, 0
    for match in matches:
        ok, rows_a, _ = _pairs(match, runs_a, runs_b)
        failed += not ok
        total += len(rows_a)
        everything = len(runs_a.rows(match.a_points)) + len(runs_b.rows(match.b_points))
        unpartnered += everything - 2 * len(rows_a)
    seeds_match = failed == 0
    same, why_not = _same_scenario(a, b)
    if requested is True and not (seeds_match and same):
        reason = (
            f"the seeds do not match at {failed} of {len(matches)} compared points"
            f"{_seed_hint(a, b)}"
            if not seeds_match
            else why_not
        )
        raise IncomparableError(
            f"--paired refused: {reason}. Runs are paired only when they share seeds "
            "(same master seed and design, or common random numbers) on one base scenario; "
            "drop --paired for an unpaired comparison"
        )
    if requested is False:
        note = (
            " (--unpaired: paired runs analysed as independent samples)"
            if seeds_match and same
            else ""
        )
        return Pairing(False, f"{UNPAIRED}: as requested{note}")
    if seeds_match and same:
        notes = ()
        if unpartnered:
            notes = (
                f"{unpartnered} runs have no partner on the other side (a partial sweep) "
                "and are left out of the paired analysis",
            )
        return Pairing(True, f"{PAIRED} ({total:,} pairs)", total, unpartnered, notes)
    if seeds_match:
        return Pairing(False, f"{UNPAIRED}: the runs share seeds, but {why_not}")
    return Pairing(
        False,
        f"{UNPAIRED}: the runs do not share seeds (at {failed} of {len(matches)} compared "
        f"points){_seed_hint(a, b)}",
    )


def _seed_hint(a: Side, b: Side) -> str:
    ma, mb = a.manifest, b.manifest
    if ma["master_seed"] != mb["master_seed"]:
        return f"; master seeds {ma['master_seed']} and {mb['master_seed']}"
    if ma["common_random_numbers"] != mb["common_random_numbers"]:
        return "; one sweep uses common random numbers and the other does not"
    if not ma["common_random_numbers"]:
        return "; without common random numbers a run's seed depends on its point's index"
    return ""


def aligned(
    match: Match, runs_a: RunIndex, runs_b: RunIndex, paired: bool
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Row positions of one comparison's runs; when paired, row i of A pairs with row i of B."""
    if not paired:
        return runs_a.rows(match.a_points), runs_b.rows(match.b_points)
    _, rows_a, rows_b = _pairs(match, runs_a, runs_b)
    return rows_a, rows_b
