"""US tariff letters: compellence while there is no deal (docs/model.md §4.4; Schelling 1966)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


def tariff_letters(
    deal_in_force: B,
    has_pending: B,
    us_gain: F64,
    tariff_level: I64,
    letter_level: int,
    probability: float,
    u: F64,
) -> B:
    """Replicates that receive a tariff letter this month.

    Only while nothing is in force or pending, only when the letter would gain the US
    (``us_gain``: its utility of the threatened tariff minus that of the package in force;
    it has something to compel), only when the letter raises the tariff, and then with the
    scenario's monthly probability.
    """
    exposed = ~deal_in_force & ~has_pending & (us_gain > 0)
    return exposed & (tariff_level < letter_level) & (u < probability)
