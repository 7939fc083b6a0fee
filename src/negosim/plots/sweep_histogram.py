"""Fixed-bin histograms that remember each bin's sum: per-point distributions in flat memory.

A million runs cannot be held to draw their distributions, but a histogram on bins fixed
in advance (from the Parquet footers' min/max) adds chunk after chunk in any order and
stays the same size. Each bin keeps its count and the sum of its values, so a quantile is
the mean of the values in the bin where the cumulative count crosses it: exact for
outcomes that take few values (coercion levels, months, a tariff on a 2.5-point grid,
whose values share a bin), and within 1/:data:`FINE` of the range otherwise. Quantiles
follow the inverted empirical CDF (the smallest value with F(x) ≥ q; Hyndman & Fan 1996,
definition 1), i.e. ``numpy.quantile(..., method="inverted_cdf")``.

Integer outcomes with a range of at most :data:`MAX_INTEGER_BINS` get one bin per value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

#: Bins over the range of a continuous outcome.
FINE: Final = 256
#: Integer outcomes spanning at most this many values get one bin per value.
MAX_INTEGER_BINS: Final = 400


@dataclass(frozen=True)
class Bins:
    """``count`` bins of ``width`` from ``low`` (values outside go to the end bins)."""

    low: float
    width: float
    count: int
    integer: bool

    def index(self, values: np.ndarray) -> np.ndarray:
        """The bin of each (finite) value."""
        raw = np.floor((values - self.low) / self.width)
        return np.clip(raw, 0, self.count - 1).astype(np.int64)

    @property
    def edges(self) -> np.ndarray:
        """The ``count + 1`` bin edges."""
        return self.low + self.width * np.arange(self.count + 1)


def bins_for(integer: bool, span: tuple[float, float] | None) -> Bins:
    """Bins for values in ``span`` (None: no value at all; a single bin)."""
    if span is None:
        return Bins(-0.5, 1.0, 1, integer)
    low, high = span
    if integer and high - low <= MAX_INTEGER_BINS:
        return Bins(low - 0.5, 1.0, round(high - low) + 1, True)
    if high <= low:
        return Bins(low - 0.5, 1.0, 1, integer)
    return Bins(low, (high - low) / FINE, FINE, integer)


class Histograms:
    """One histogram per slot (a design point, a point and round, or everything pooled)."""

    def __init__(self, bins: Bins, slots: int) -> None:
        self.bins = bins
        self.slots = slots
        self.counts = np.zeros((slots, bins.count), dtype=np.int64)
        self.sums = np.zeros((slots, bins.count), dtype=np.float64)

    def add(self, slot: np.ndarray, values: np.ndarray) -> None:
        """Count ``values`` (NaN skipped) into their slots (a slot < 0 is skipped)."""
        keep = (slot >= 0) & ~np.isnan(values)
        if not keep.any():
            return
        values = values[keep]
        flat = slot[keep] * self.bins.count + self.bins.index(values)
        size = self.slots * self.bins.count
        self.counts += np.bincount(flat, minlength=size).reshape(self.counts.shape)
        self.sums += np.bincount(flat, weights=values, minlength=size).reshape(self.sums.shape)

    @property
    def n(self) -> np.ndarray:
        """Values counted per slot."""
        return self.counts.sum(axis=1)

    def centres(self) -> np.ndarray:
        """Each bin's mean value (NaN for an empty bin)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.sums / self.counts

    def quantiles(self, qs: list[float] | np.ndarray) -> np.ndarray:
        """(slots, len(qs)) inverted-CDF quantiles; NaN for an empty slot."""
        qs = np.asarray(qs, dtype=np.float64)
        cumulative = np.cumsum(self.counts, axis=1)
        n = cumulative[:, -1]
        centres = self.centres()
        out = np.full((self.slots, len(qs)), np.nan)
        for j, q in enumerate(qs):
            rank = np.maximum(np.ceil(q * n - 1e-9 * n), 1)  # the ceil(q n)-th smallest value
            where = (cumulative >= rank[:, None]).argmax(axis=1)
            out[:, j] = centres[np.arange(self.slots), where]
        out[n == 0] = np.nan
        return out

    def means(self) -> np.ndarray:
        """Exact mean per slot (the bin sums add to the total)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.sums.sum(axis=1) / self.n

    def extremes(self) -> tuple[np.ndarray, np.ndarray]:
        """Per slot, the mean value of its lowest and of its highest non-empty bin."""
        centres = self.centres()
        filled = self.counts > 0
        rows = np.arange(self.slots)
        first = filled.argmax(axis=1)
        last = self.bins.count - 1 - filled[:, ::-1].argmax(axis=1)
        low, high = centres[rows, first], centres[rows, last]
        empty = ~filled.any(axis=1)
        low[empty] = high[empty] = np.nan
        return low, high

    def density(self, slot: int, grid: np.ndarray, bandwidth: float) -> np.ndarray:
        """Gaussian kernel density of one slot on ``grid``, from its bins (binned KDE).

        Each bin's count sits at the bin's mean value (Wand 1994, J. Comput. Graph. Stat.
        3:433 on binned kernel density estimates); the bandwidth is the caller's.
        """
        counts = self.counts[slot]
        filled = counts > 0
        centres = self.sums[slot][filled] / counts[filled]
        weights = counts[filled] / counts.sum()
        z = (grid[:, None] - centres[None, :]) / bandwidth
        return (np.exp(-0.5 * z * z) * weights).sum(axis=1) / (bandwidth * np.sqrt(2 * np.pi))
