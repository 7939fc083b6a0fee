"""Time-dependent concession: how a negotiator's target utility falls over the rounds.

Faratin, Sierra & Jennings (1998), "Negotiation decision functions for autonomous agents",
Robotics and Autonomous Systems 24:159-182, §4.2.1. The decision function f(t) goes from k at
the start to 1 at the deadline; the target utility is ``p(t) = r + (U_max - r)(1 - f(t))``.
Styles are small named units (as strategies are in Axelrod) so a scenario can name them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def polynomial_decision(time_fraction: Array | float, e: Array | float, k: float) -> Array:
    """``f(t) = k + (1 - k)(t/T)^(1/e)``: Faratin et al. (1998) eq. (polynomial family).

    e < 1 is Boulware (holds out, concedes near the deadline); e > 1 is Conceder.
    """
    t = np.clip(np.asarray(time_fraction, dtype=np.float64), 0.0, 1.0)
    return k + (1.0 - k) * t ** (1.0 / np.asarray(e, dtype=np.float64))


def exponential_decision(time_fraction: Array | float, e: Array | float, k: float) -> Array:
    """``f(t) = exp((1 - t/T)^e ln k)``: Faratin et al. (1998) exponential family.

    Goes from k to 1 like the polynomial family, but concedes faster early for the same e.
    """
    t = np.clip(np.asarray(time_fraction, dtype=np.float64), 0.0, 1.0)
    log_k = np.log(max(k, 1e-9))
    return np.exp((1.0 - t) ** np.asarray(e, dtype=np.float64) * log_k)


@dataclass(frozen=True)
class ConcessionStyle:
    """A named concession style: a decision function family and its default e."""

    name: str
    decision: Callable[[Array | float, Array | float, float], Array]
    default_e: float
    description: str
    citation: str
    classifier: dict[str, object] = field(default_factory=dict)

    def target(
        self,
        time_fraction: Array | float,
        reservation: Array | float,
        best: Array | float,
        e: Array | float,
        k: float,
    ) -> Array:
        """Target utility ``p(t) = r + (U_max - r)(1 - f(t))`` (Faratin et al. 1998, §4.2.1)."""
        f = self.decision(time_fraction, e, k)
        r = np.asarray(reservation, dtype=np.float64)
        return r + (np.asarray(best, dtype=np.float64) - r) * (1.0 - f)


_FARATIN = "Faratin, Sierra & Jennings (1998), Robotics and Autonomous Systems 24"

CONCESSION_STYLES: dict[str, ConcessionStyle] = {
    style.name: style
    for style in (
        ConcessionStyle(
            "polynomial",
            polynomial_decision,
            1.0,
            "Faratin polynomial family; set e yourself (e < 1 tough, e > 1 soft).",
            _FARATIN,
            {"family": "polynomial", "tough": None},
        ),
        ConcessionStyle(
            "boulware",
            polynomial_decision,
            0.3,
            "Holds close to its best package and concedes near the deadline.",
            _FARATIN,
            {"family": "polynomial", "tough": True},
        ),
        ConcessionStyle(
            "conceder",
            polynomial_decision,
            1.5,
            "Concedes quickly towards its reservation.",
            _FARATIN,
            {"family": "polynomial", "tough": False},
        ),
        ConcessionStyle(
            "linear",
            polynomial_decision,
            1.0,
            "Concedes the same utility every round.",
            _FARATIN,
            {"family": "polynomial", "tough": False},
        ),
        ConcessionStyle(
            "hardliner",
            polynomial_decision,
            0.05,
            "Barely moves until the last round (e → 0).",
            _FARATIN,
            {"family": "polynomial", "tough": True},
        ),
        ConcessionStyle(
            "exponential",
            exponential_decision,
            1.0,
            "Faratin exponential family; concedes early for the same e.",
            _FARATIN,
            {"family": "exponential", "tough": None},
        ),
    )
}
