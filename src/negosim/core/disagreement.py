"""Each side's value of no deal: the disagreement point of the bargain (docs/model.md §4.5).

Nobody accepts less than what it gets without an agreement. Without a deal the package in
force stays in force, and the US keeps compelling: while the tariff in force is below the
threatened level, a tariff letter arrives with probability p each month (Schelling 1966,
Arms and Influence, ch. 2, on compellence). A side that discounts the future by δ a month
values that path at

    V = Σ_{m ≥ 0} (1 - δ) δ^m E[U(x_m)] = U(x_now) + Q (U(x_threat) - U(x_now)),
    Q = Σ_{m ≥ 0} (1 - δ) δ^m (1 - (1 - p)^m) = δ p / (1 - δ (1 - p)),

because utilities are additive over issues and the tariff is the only issue the threat
moves: Q is the discounted probability weight of living under the threatened tariff. This
is Nash's (1953, Econometrica 21:128-140) variable-threat point: the threat moves the
disagreement point, and with it the bargain (Binmore, Rubinstein & Wolinsky 1986, RAND J.
Econ. 17:176-188, on the disagreement point of a bargain with outside options). An optional
outside-option floor (e.g. hedging with other partners) keeps V from falling below it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
B = NDArray[np.bool_]


def threat_exposure(discount: float, probability: float) -> float:
    """Q = δp/(1 - δ(1 - p)): discounted weight of the months under the threatened tariff.

    0 without threats (p = 0) or for a side that only lives in the present (δ = 0); tends
    to 1 as δ → 1 with p > 0 (a patient side expects the letter to come eventually).
    """
    denominator = 1.0 - discount * (1.0 - probability)
    if denominator <= 0.0:
        return 1.0 if probability > 0.0 else 0.0
    return discount * probability / denominator


def no_deal_value(
    in_force: F64,
    under_threat: F64,
    exposed: B,
    exposure: float,
    floor: float | None,
) -> F64:
    """V = U(x_now) + Q (U(x_threat) - U(x_now)) where the threat is live, else U(x_now).

    ``exposed`` marks replicates where a letter can still come (no deal, tariff below the
    threatened level, threats on); ``floor`` is the side's outside option (None: none).
    """
    value = np.where(exposed, in_force + exposure * (under_threat - in_force), in_force)
    return value if floor is None else np.maximum(value, floor)


def discounted_surplus(surplus_share: F64, discount: float, round_index: int) -> F64:
    """(1 - f(t)) δ^(t - 1): the share of the surplus a side still holds out for in round t.

    Rubinstein (1982, Econometrica 50:97-109): delay costs each side its discount factor a
    round, so an impatient side (small δ) lowers its aspiration faster and ends with less.
    With δ = 1 this is the pure time-dependent tactic of Faratin, Sierra & Jennings (1998).
    """
    return surplus_share * discount ** max(0, round_index - 1)
