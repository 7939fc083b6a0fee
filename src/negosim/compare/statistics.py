"""Two-sample statistics of one outcome, B against A: difference, interval, test, effect.

Every difference is B − A. Tests are two-sided; intervals are 95 %.

Numbers, unpaired: the difference in means with Welch's t interval and the Mann–Whitney U
test (scipy.stats.ttest_ind / mannwhitneyu; Welch 1947, Mann & Whitney 1947); effect
sizes Cliff's delta δ = P(B > A) − P(B < A) = 2U/(n_A n_B) − 1 (Cliff 1993, Psychol. Bull.
114:494; the rank-biserial correlation) and Hedges' g, the standardised mean difference
with its small-sample correction J = 1 − 3/(4(n_A + n_B − 2) − 1) (Hedges 1981, J. Educ.
Stat. 6:107).

Numbers, paired: the mean paired difference with the paired t interval and the Wilcoxon
signed-rank test with Pratt's treatment of zero differences (scipy.stats.ttest_rel /
wilcoxon; Pratt 1959, JASA 54:655: under common random numbers many pairs tie exactly,
and dropping them, Wilcoxon's own rule, overstates the evidence).

Shares, unpaired: the risk difference with Newcombe's hybrid score interval (Newcombe
1998, Stat. Med. 17:873, method 10, built on Wilson intervals) and Fisher's exact test
(scipy.stats.fisher_exact), exact at any sample size and for rates of 0 or 1.

Shares, paired: the risk difference of the pairs with the Bonett–Price adjusted Wald
interval (Bonett & Price 2012, J. Educ. Behav. Stat. 37:479) and the McNemar mid-p test
on the discordant pairs (binomial, scipy.stats.binom; Fagerland, Lydersen & Laake 2013,
BMC Med. Res. Methodol. 13:91, and 2014, Stat. Med. 33:2850, recommend both).

For a share Cliff's delta equals the risk difference, so ``effect`` is one scale, −1 to 1,
for every outcome; it ranks "what differs most" across outcomes with different units.
Degenerate samples get the answer the data support, said in ``note``: identical samples
have p = 1; no spread gives a zero-width interval; too few values give no interval (null).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from negosim.sweep.stats import Z95, wilson_interval

LEVEL = 0.95
NAN = math.nan

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Contrast:
    """One outcome's comparison at one matched point (a row of the table)."""

    n_a: int
    n_b: int
    n_pairs: int | None
    mean_a: float
    mean_b: float
    difference: float
    ci95_low: float
    ci95_high: float
    interval: str
    test: str
    statistic: float
    p_value: float
    effect: float
    effect_measure: str
    hedges_g: float = NAN
    median_a: float = NAN
    median_b: float = NAN
    sd_a: float = NAN
    sd_b: float = NAN
    b_higher: float = NAN
    b_lower: float = NAN
    note: str = ""

    def row(self) -> dict[str, object]:
        """The contrast as a table row."""
        return asdict(self)


@contextmanager
def _exact_constants() -> Iterator[None]:
    """Silence scipy's precision warning for a sample of one repeated value.

    A constant sample's variance is 0 up to the rounding of its mean (1e-33), which
    scipy flags as catastrophic cancellation; the interval it computes is still right.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Precision loss occurred", RuntimeWarning)
        yield


def _sd(x: Array) -> float:
    return float(x.std(ddof=1)) if len(x) > 1 else NAN


def _spread(a: Array, b: Array) -> dict[str, float]:
    return {
        "median_a": float(np.median(a)) if len(a) else NAN,
        "median_b": float(np.median(b)) if len(b) else NAN,
        "sd_a": _sd(a),
        "sd_b": _sd(b),
    }


def cliffs_delta(a: Array, b: Array) -> float:
    """P(B > A) − P(B < A) over all pairs of values: 2U/(n_A n_B) − 1.

    U of B is its rank sum in the pooled sample (mid-ranks for ties) less n_B(n_B + 1)/2,
    the statistic ``scipy.stats.mannwhitneyu`` reports, from ``rankdata`` alone (a tenth
    of the time of the full test, which the paired case does not need).
    """
    n_a, n_b = len(a), len(b)
    ranks = stats.rankdata(np.concatenate([b, a]))
    u = float(ranks[:n_b].sum()) - n_b * (n_b + 1) / 2.0
    return 2.0 * u / (n_a * n_b) - 1.0


def hedges_g(a: Array, b: Array) -> float:
    """(mean B − mean A) / pooled SD × J (Hedges 1981); null without spread or values."""
    n_a, n_b = len(a), len(b)
    if n_a < 2 or n_b < 2:
        return NAN
    pooled = math.sqrt(((n_a - 1) * a.var(ddof=1) + (n_b - 1) * b.var(ddof=1)) / (n_a + n_b - 2))
    if pooled == 0:
        return NAN
    correction = 1.0 - 3.0 / (4.0 * (n_a + n_b - 2) - 1.0)
    return float((b.mean() - a.mean()) / pooled * correction)


def _empty(n_a: int, n_b: int, n_pairs: int | None, kind: str) -> Contrast:
    side = "A" if n_a == 0 else "B"
    return Contrast(
        n_a=n_a,
        n_b=n_b,
        n_pairs=n_pairs,
        mean_a=NAN,
        mean_b=NAN,
        difference=NAN,
        ci95_low=NAN,
        ci95_high=NAN,
        interval="",
        test="",
        statistic=NAN,
        p_value=NAN,
        effect=NAN,
        effect_measure=kind,
        note=f"no value on side {side}" if n_pairs is None else "no pair with both values",
    )


def numeric_unpaired(a: Array, b: Array) -> Contrast:
    """Welch interval, Mann–Whitney U, Cliff's delta and Hedges' g of two samples."""
    n_a, n_b = len(a), len(b)
    if n_a == 0 or n_b == 0:
        return _empty(n_a, n_b, None, "Cliff's delta")
    diff = float(b.mean() - a.mean())
    note = ""
    if n_a < 2 or n_b < 2:
        low = high = NAN
        note = "an interval needs two values per side"
    elif np.ptp(a) == 0 and np.ptp(b) == 0:
        low = high = diff
        note = "no spread on either side"
    else:
        with _exact_constants():
            ci = stats.ttest_ind(b, a, equal_var=False).confidence_interval(LEVEL)
        low, high = float(ci.low), float(ci.high)
    if np.all(a == a[0]) and np.all(b == a[0]):
        u, p = n_a * n_b / 2.0, 1.0  # one value everywhere: nothing differs
        note = note or "one value on both sides"
    else:
        res = stats.mannwhitneyu(b, a, alternative="two-sided")
        u, p = float(res.statistic), float(res.pvalue)
    return Contrast(
        n_a=n_a,
        n_b=n_b,
        n_pairs=None,
        mean_a=float(a.mean()),
        mean_b=float(b.mean()),
        difference=diff,
        ci95_low=low,
        ci95_high=high,
        interval="Welch t",
        test="Mann–Whitney U",
        statistic=u,
        p_value=p,
        effect=2.0 * u / (n_a * n_b) - 1.0,
        effect_measure="Cliff's delta",
        hedges_g=hedges_g(a, b),
        note=note,
        **_spread(a, b),
    )


def numeric_paired(a: Array, b: Array) -> Contrast:
    """Paired t interval, Wilcoxon signed-rank (Pratt), Cliff's delta of paired samples."""
    n = len(a)
    if n == 0:
        return _empty(0, 0, 0, "Cliff's delta")
    d = b - a
    mean = float(d.mean())
    note = ""
    if n < 2:
        low = high = NAN
        note = "an interval needs two pairs"
    elif np.ptp(d) == 0:
        low = high = mean
        note = "every pair differs by the same amount" if mean else "every pair is equal"
    else:
        with _exact_constants():
            ci = stats.ttest_rel(b, a).confidence_interval(LEVEL)
        low, high = float(ci.low), float(ci.high)
    if not np.any(d):
        w, p = 0.0, 1.0  # no pair differs: the signed-rank test has nothing to rank
        note = note or "every pair is equal"
    else:
        res = stats.wilcoxon(b, a, zero_method="pratt", alternative="two-sided")
        w, p = float(res.statistic), float(res.pvalue)
    return Contrast(
        n_a=n,
        n_b=n,
        n_pairs=n,
        mean_a=float(a.mean()),
        mean_b=float(b.mean()),
        difference=mean,
        ci95_low=low,
        ci95_high=high,
        interval="paired t",
        test="Wilcoxon signed-rank (Pratt)",
        statistic=w,
        p_value=p,
        effect=cliffs_delta(a, b) if np.any(d) else 0.0,
        effect_measure="Cliff's delta",
        hedges_g=hedges_g(a, b),
        b_higher=float(np.mean(d > 0)),
        b_lower=float(np.mean(d < 0)),
        note=note,
        **_spread(a, b),
    )


def newcombe_interval(k_a: int, n_a: int, k_b: int, n_b: int) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p_B − p_A (1998, method 10)."""
    p_a, p_b = k_a / n_a, k_b / n_b
    (l_a,), (u_a,) = wilson_interval(np.array([k_a]), np.array([n_a]))
    (l_b,), (u_b,) = wilson_interval(np.array([k_b]), np.array([n_b]))
    d = p_b - p_a
    return (
        float(d - math.sqrt((p_b - l_b) ** 2 + (u_a - p_a) ** 2)),
        float(d + math.sqrt((u_b - p_b) ** 2 + (p_a - l_a) ** 2)),
    )


def bonett_price_interval(b_only: int, a_only: int, n: int) -> tuple[float, float]:
    """Bonett–Price adjusted Wald interval for a paired p_B − p_A (2012), within [−1, 1]."""
    p_b = (b_only + 1) / (n + 2)
    p_a = (a_only + 1) / (n + 2)
    half = Z95 * math.sqrt((p_b + p_a - (p_b - p_a) ** 2) / (n + 2))
    return max(-1.0, p_b - p_a - half), min(1.0, p_b - p_a + half)


def mcnemar_midp(b_only: int, a_only: int) -> float:
    """Two-sided McNemar mid-p: 2 P(X < k) + P(X = k), X ~ Bin(b + c, 1/2), k = min."""
    m = b_only + a_only
    if b_only == a_only:
        return 1.0  # the observed split is the median: exactly 1 (rounding gives 1 - 2e-16)
    k = min(b_only, a_only)
    return float(min(1.0, 2.0 * stats.binom.cdf(k - 1, m, 0.5) + stats.binom.pmf(k, m, 0.5)))


def share_unpaired(a: Array, b: Array) -> Contrast:
    """Risk difference with Newcombe's interval, Fisher's exact test."""
    n_a, n_b = len(a), len(b)
    if n_a == 0 or n_b == 0:
        return _empty(n_a, n_b, None, "risk difference")
    k_a, k_b = int(a.sum()), int(b.sum())
    low, high = newcombe_interval(k_a, n_a, k_b, n_b)
    odds, p = stats.fisher_exact([[k_b, n_b - k_b], [k_a, n_a - k_a]])
    diff = k_b / n_b - k_a / n_a
    return Contrast(
        n_a=n_a,
        n_b=n_b,
        n_pairs=None,
        mean_a=k_a / n_a,
        mean_b=k_b / n_b,
        difference=diff,
        ci95_low=low,
        ci95_high=high,
        interval="Newcombe hybrid score",
        test="Fisher exact",
        statistic=float(odds),
        p_value=float(p),
        effect=diff,
        effect_measure="risk difference",
        **_spread(a, b),
    )


def share_paired(a: Array, b: Array) -> Contrast:
    """Paired risk difference with the Bonett–Price interval, McNemar mid-p test."""
    n = len(a)
    if n == 0:
        return _empty(0, 0, 0, "risk difference")
    b_only = int(np.sum((b == 1) & (a == 0)))
    a_only = int(np.sum((a == 1) & (b == 0)))
    low, high = bonett_price_interval(b_only, a_only, n)
    diff = (b_only - a_only) / n
    note = f"discordant pairs: {b_only} B only, {a_only} A only"
    return Contrast(
        n_a=n,
        n_b=n,
        n_pairs=n,
        mean_a=float(a.mean()),
        mean_b=float(b.mean()),
        difference=diff,
        ci95_low=low,
        ci95_high=high,
        interval="Bonett–Price",
        test="McNemar mid-p",
        statistic=float(b_only),
        p_value=mcnemar_midp(b_only, a_only),
        effect=diff,
        effect_measure="risk difference",
        b_higher=b_only / n,
        b_lower=a_only / n,
        note=note,
        **_spread(a, b),
    )


def snapped(a: Array, b: Array, digits: int = 12) -> tuple[Array, Array]:
    """Both samples rounded to ``digits`` significant digits of their largest magnitude.

    Float rounding is not a difference: the same quantity computed in another order (say,
    a reservation value in a batch of other size) differs in the 16th digit, and a rank
    test would call that a perfect effect.
    """
    finite = np.concatenate([a[np.isfinite(a)], b[np.isfinite(b)]])
    top = float(np.max(np.abs(finite))) if len(finite) else 0.0
    if top == 0:
        return a, b
    unit = 10.0 ** (math.floor(math.log10(top)) - digits + 1)
    return np.round(a / unit) * unit, np.round(b / unit) * unit


def contrast(kind: str, a: Array, b: Array, paired: bool) -> Contrast:
    """The contrast of one outcome: ``a`` and ``b`` hold NaN for missing values.

    Unpaired, each side drops its missing values; paired, a pair counts when both have one.
    Numbers are compared to 12 significant digits (:func:`snapped`).
    """
    if kind == "numeric":
        a, b = snapped(a, b)
    if paired:
        keep = np.isfinite(a) & np.isfinite(b)
        a, b = a[keep], b[keep]
    else:
        a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if kind == "share":
        return share_paired(a, b) if paired else share_unpaired(a, b)
    return numeric_paired(a, b) if paired else numeric_unpaired(a, b)
