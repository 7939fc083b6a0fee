"""Paired differences under common random numbers, and what they say about a prediction.

Both settings of a lever run on the same seeds, so run i of the low setting and run i of
the high setting meet the same China draws, elections and reversals; the lever's effect is
estimated from the paired differences d_i = high_i - low_i (Law 2015, Simulation Modeling
and Analysis, §10.2 and §11.2: common random numbers with a paired-t interval).

- The estimate is the mean of d, with the 95 % Student t interval
  ``mean ± t(0.975, n - 1) · sd(d) / √n``.
- For a 0/1 outcome (a deal reached) the same interval on the paired differences is the
  interval for the difference of two paired proportions whose variance comes from the
  discordant pairs only, the quantity McNemar's test is about (McNemar 1947,
  Psychometrika 12:153; Agresti 2013, Categorical Data Analysis, §11.1); it is not the
  two-sample interval, which would ignore the pairing and be much wider.
- A verdict compares the interval with the cited theory's predicted direction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

LEVEL = 0.95


@dataclass(frozen=True)
class Effect:
    """A paired effect: pairs, mean difference with its 95 % interval, and both means."""

    n: int
    mean: float
    ci_low: float
    ci_high: float
    low_mean: float
    high_mean: float

    @property
    def direction(self) -> str:
        """``up``/``down`` when the interval excludes 0 on that side, else ``none``."""
        if self.ci_low > 0:
            return "up"
        if self.ci_high < 0:
            return "down"
        return "none"


def paired_effect(
    low: NDArray[np.floating], high: NDArray[np.floating], valid: NDArray[np.bool_] | None = None
) -> Effect | None:
    """The paired effect of ``high - low`` over the pairs in ``valid``; ``None`` if no pairs.

    With one pair there is a mean but no spread: the interval is infinitely wide (the data
    cannot exclude 0), so the verdict is "no effect" rather than a false certainty.
    """
    lo = np.asarray(low, dtype=np.float64)
    hi = np.asarray(high, dtype=np.float64)
    keep = np.isfinite(lo) & np.isfinite(hi)
    if valid is not None:
        keep &= np.asarray(valid, dtype=bool)
    lo, hi = lo[keep], hi[keep]
    n = int(lo.size)
    if n == 0:
        return None
    d = hi - lo
    mean = float(d.mean())
    if n == 1:
        return Effect(1, mean, -math.inf, math.inf, float(lo[0]), float(hi[0]))
    half = float(stats.t.ppf(0.5 + LEVEL / 2, n - 1)) * float(d.std(ddof=1)) / math.sqrt(n)
    return Effect(n, mean, mean - half, mean + half, float(lo.mean()), float(hi.mean()))


def verdict(predicts: str, effect: Effect | None) -> str:
    """How the measured effect stands against the prediction.

    ``agrees`` (the interval excludes 0 on the predicted side, or covers 0 when no effect
    is predicted), ``wrong sign`` (excludes 0 on the other side), ``no effect`` (covers 0
    where a direction was predicted), ``unexpected effect (up|down)`` (none predicted, one
    measured), ``ambiguous theory: measured up|down|no effect``, and ``no valid pairs``.
    """
    if effect is None:
        return "no valid pairs"
    measured = effect.direction
    if predicts == "ambiguous":
        return "ambiguous theory: measured " + ("no effect" if measured == "none" else measured)
    if predicts == "none":
        return "agrees" if measured == "none" else f"unexpected effect ({measured})"
    if measured == "none":
        return "no effect"
    return "agrees" if measured == predicts else "wrong sign"
