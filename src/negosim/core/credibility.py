"""Credibility and reversal: the US may walk back what it agreed (MODEL.md §6)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from negosim.schema import ReversalSpec

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


def reversal_hazard(base: float, shortfall: F64, legal_shock: F64, spec: ReversalSpec) -> F64:
    """Monthly hazard h = h0 + 0.5 max(0, shortfall) + 0.3 LegalShock, clipped to [0, 1].

    A transactional leader reverses more when the deal falls short of what he now wants, and
    when a court ruling (a legal shock) removes the instrument he used (MODEL §6).
    """
    hazard = base + spec.per_shortfall * np.maximum(0.0, shortfall)
    return np.clip(hazard + spec.per_legal_shock * legal_shock, 0.0, 1.0)


def reversal_belief(reversals: I64, rounds_observed: I64) -> F64:
    """ρ̂ = (1 + reversals)/(10 + rounds observed), Japan's belief that the US reverses.

    The mean of a Beta(1, 9) prior updated by each month of observed US behaviour under a
    deal (a Beta–Bernoulli posterior).
    """
    return (1.0 + reversals) / (10.0 + rounds_observed)
