"""What China's coercion looks like on the water: counts per month, by coercion level.

Contiguous-zone presence days ~ Binomial(window, p_c), territorial-sea entries and airspace
violations ~ Poisson(rate_c), calibrated to the Japan Coast Guard's and Joint Staff's 2024
counts (docs/model.md §5). Cumulative tables are built once; each month's counts are
drawn by inversion with one uniform per replicate (:func:`negosim.core.rng.inverse_cdf`).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb, exp, factorial

import numpy as np
from numpy.typing import NDArray

from negosim.schema import ObservablesSpec

F64 = NDArray[np.float64]

#: Support of the Poisson tables: P(Poisson(5) ≥ 80) < 1e-60, exact in float64.
POISSON_SUPPORT = 80


def poisson_cdf(rate: float, support: int = POISSON_SUPPORT) -> F64:
    """Cumulative Poisson(rate) probabilities of 0..support-1, ending exactly at 1."""
    pmf = np.array([exp(-rate) * rate**k / factorial(k) for k in range(support)])
    cdf = np.cumsum(pmf)
    return cdf / cdf[-1]  # exactly 1 at the end: no uniform can fall past the table


def binomial_cdf(n: int, p: float) -> F64:
    """Cumulative Binomial(n, p) probabilities of 0..n, ending exactly at 1."""
    pmf = np.array([comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)])
    cdf = np.cumsum(pmf)
    return cdf / cdf[-1]


@dataclass(frozen=True)
class ObservableTables:
    """Cumulative distributions per coercion level, tabulated once for inversion draws."""

    presence: F64
    sea_entries: F64
    airspace: F64

    @classmethod
    def from_spec(cls, spec: ObservablesSpec) -> ObservableTables:
        """Binomial(30, p_c) presence days; Poisson sea entries and airspace violations."""
        return cls(
            presence=np.stack(
                [binomial_cdf(spec.presence_window_days, p) for p in spec.presence_probability]
            ),
            sea_entries=np.stack([poisson_cdf(r) for r in spec.sea_entry_rate]),
            airspace=np.stack([poisson_cdf(r) for r in spec.airspace_rate]),
        )
