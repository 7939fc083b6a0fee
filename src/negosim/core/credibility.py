"""Credibility and reversal: the US may walk back what it agreed (docs/model.md §6).

A commitment is only as credible as the belief that it will be kept; the same κ enters
Japan's security term (:mod:`negosim.core.utility`) and what China reads
(:mod:`negosim.core.china`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

import numpy as np
from numpy.typing import NDArray

from negosim.schema import ReversalClass, ReversalSpec

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]

#: The classes of reversible items, in the order of the ``reversals`` counters.
REVERSAL_CLASSES: tuple[str, ...] = get_args(ReversalClass)


def credibility(s_fraction: F64, reversal_belief: F64) -> F64:
    """κ = (s - s_min)/(s_max - s_min) · (1 - ρ̂) (docs/model.md §2, §5).

    A firmer commitment counts only as far as Japan (and China) believe it will be kept.
    """
    return s_fraction * (1.0 - reversal_belief)


def reversal_hazard(base: float, shortfall: F64, legal_shock: F64, spec: ReversalSpec) -> F64:
    """Monthly hazard h = h0 + 0.5 max(0, shortfall) + 0.3 LegalShock, clipped to [0, 1].

    A transactional leader reverses more the more reneging would gain him (``shortfall``:
    the deal's shortfall against walking the item back, in his utility), and when a court
    ruling (a legal shock) removes the instrument he used (docs/model.md §6).
    """
    hazard = base + spec.per_shortfall * np.maximum(0.0, shortfall)
    return np.clip(hazard + spec.per_legal_shock * legal_shock, 0.0, 1.0)


def reversal_belief(reversals: I64, rounds_observed: I64) -> F64:
    """ρ̂ = (1 + reversals)/(10 + rounds observed), Japan's belief that the US reverses.

    The mean of a Beta(1, 9) prior updated by each month of observed US behaviour under a
    deal (a Beta–Bernoulli posterior).
    """
    return (1.0 + reversals) / (10.0 + rounds_observed)


@dataclass(frozen=True)
class ReversibleItem:
    """An issue the US can walk back: its grid axis, reversal class and fallback level."""

    issue: int
    reversal_class: int
    fallback_level: int


@dataclass(frozen=True)
class Reversals:
    """Levels after the month's reversals and what was reversed, per replicate."""

    levels: I64
    counts: I64
    any: B


def reverse_items(
    levels: I64,
    deal_in_force: B,
    items: list[ReversibleItem],
    spec: ReversalSpec,
    shortfall: F64,
    legal_shock: F64,
    draws: F64,
) -> Reversals:
    """Walk back items of a deal in force, each with its class's hazard (docs/model.md §6).

    ``draws`` holds one uniform per replicate and grid axis; an item already at its fallback
    level cannot be reversed again. ``shortfall`` has one column per item: the US's gain
    from walking that item back to its fallback; an item whose fallback would not gain the
    US anything is never reversed (a reversal is an opportunistic defection, not a mistake).
    """
    levels = levels.copy()
    n = len(levels)
    counts = np.zeros((n, len(REVERSAL_CLASSES)), dtype=np.int64)
    reversed_any = np.zeros(n, dtype=bool)
    for column, item in enumerate(items):
        base = getattr(spec, REVERSAL_CLASSES[item.reversal_class])
        gain = shortfall[:, column]
        hazard = reversal_hazard(base, gain, legal_shock, spec)
        hit = deal_in_force & (levels[:, item.issue] != item.fallback_level) & (gain > 0)
        hit &= draws[:, item.issue] < hazard
        levels[hit, item.issue] = item.fallback_level
        counts[hit, item.reversal_class] += 1
        reversed_any |= hit
    return Reversals(levels, counts, reversed_any)
