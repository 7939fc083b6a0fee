"""Concession styles: how a negotiator's target utility falls over the rounds.

Faratin, Sierra & Jennings (1998), "Negotiation decision functions for autonomous agents",
Robotics and Autonomous Systems 24:159-182, §4.2.1. The decision function f(t) goes from k at
the start to 1 at the deadline; the target utility is ``p(t) = r + (U_max - r)(1 - f(t))``.
Each style is an entry of :data:`CONCESSION_STYLES` (see :mod:`negosim.registry`) with its
own validated parameters; a scenario names one in ``concession.style`` and sets its
parameters in ``concession.params``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from negosim.registry import Entry, Parameters, Registry

Array = NDArray[np.float64]
#: Per-replicate parameter values: each declared parameter as a scalar or one value per replicate.
ParameterValues = Mapping[str, Array | float]

_FARATIN = "Faratin, Sierra & Jennings (1998), Robotics and Autonomous Systems 24:159-182, §4.2"


def polynomial_decision(time_fraction: Array | float, e: Array | float, k: Array | float) -> Array:
    """``f(t) = k + (1 - k)(t/T)^(1/e)``: Faratin et al. (1998) polynomial family.

    e < 1 is Boulware (holds out, concedes near the deadline); e > 1 is Conceder.
    """
    t = np.clip(np.asarray(time_fraction, dtype=np.float64), 0.0, 1.0)
    k = np.asarray(k, dtype=np.float64)
    return k + (1.0 - k) * t ** (1.0 / np.asarray(e, dtype=np.float64))


def exponential_decision(time_fraction: Array | float, e: Array | float, k: Array | float) -> Array:
    """``f(t) = exp((1 - t/T)^e ln k)``: Faratin et al. (1998) exponential family.

    Goes from k to 1 like the polynomial family, but concedes faster early for the same e.
    """
    t = np.clip(np.asarray(time_fraction, dtype=np.float64), 0.0, 1.0)
    log_k = np.log(np.maximum(np.asarray(k, dtype=np.float64), 1e-9))
    return np.exp((1.0 - t) ** np.asarray(e, dtype=np.float64) * log_k)


class ConcessionStyle(Entry):
    """Base of the concession styles: a target utility for each replicate and round.

    Declared properties: ``family`` (the decision-function family), ``tough`` (True for
    Boulware-like, False for Conceder-like, None when the parameters decide) and ``tactic``
    (``time`` for time-dependent tactics, Faratin et al. 1998 §4.2.1).
    """

    family: ClassVar[str]
    tough: ClassVar[bool | None]
    tactic: ClassVar[str]

    def target(
        self,
        time_fraction: Array | float,
        reservation: Array | float,
        best: Array | float,
        params: ParameterValues,
    ) -> Array:
        """Target utility ``p(t)`` per replicate."""
        raise NotImplementedError


CONCESSION_STYLES: Registry[ConcessionStyle] = Registry(
    "concession style",
    "agents.us.concession.style, politics.leader_types.*.concession.style",
    ("family", "tough", "tactic"),
)


class FaratinParameters(Parameters):
    """e shapes the curve (e < 1 tough, e > 1 soft); k is the share conceded at once."""

    e: float = Field(default=1.0, gt=0, allow_inf_nan=False)
    k: float = Field(default=0.05, ge=0, le=1, allow_inf_nan=False)


def _faratin_parameters(default_e: float) -> type[FaratinParameters]:
    """A parameter model whose ``e`` defaults to the style's own value."""

    class StyleParameters(FaratinParameters):
        e: float = Field(default=default_e, gt=0, allow_inf_nan=False)

    StyleParameters.__doc__ = f"{FaratinParameters.__doc__} (e defaults to {default_e:g})"
    return StyleParameters


class _Faratin(ConcessionStyle):
    """Time-dependent tactic with a Faratin decision function (set ``decision``)."""

    tactic = "time"

    @property
    def default_e(self) -> float:
        """The style's own e (its parameters' default)."""
        return float(self.Parameters().e)  # type: ignore[attr-defined]

    @staticmethod
    def decision(time_fraction: Array | float, e: Array | float, k: Array | float) -> Array:
        """f(t) of the style's family."""
        return polynomial_decision(time_fraction, e, k)

    def target(
        self,
        time_fraction: Array | float,
        reservation: Array | float,
        best: Array | float,
        params: ParameterValues,
    ) -> Array:
        """``p(t) = r + (U_max - r)(1 - f(t))`` (Faratin et al. 1998, §4.2.1)."""
        f = self.decision(time_fraction, params["e"], params["k"])
        r = np.asarray(reservation, dtype=np.float64)
        return r + (np.asarray(best, dtype=np.float64) - r) * (1.0 - f)


@CONCESSION_STYLES.register
class Polynomial(_Faratin):
    """Faratin polynomial family; set e yourself (e < 1 tough, e > 1 soft).

    Faratin, Sierra & Jennings (1998) §4.2.1, polynomial decision function.
    """

    name = "polynomial"
    citation = _FARATIN
    family = "polynomial"
    tough = None
    Parameters = _faratin_parameters(1.0)


@CONCESSION_STYLES.register
class Boulware(_Faratin):
    """Holds close to its best package and concedes near the deadline (e = 0.3).

    Faratin, Sierra & Jennings (1998) §4.2.1: e < 1 is "Boulware".
    """

    name = "boulware"
    citation = _FARATIN
    family = "polynomial"
    tough = True
    Parameters = _faratin_parameters(0.3)


@CONCESSION_STYLES.register
class Conceder(_Faratin):
    """Concedes quickly towards its reservation (e = 1.5).

    Faratin, Sierra & Jennings (1998) §4.2.1: e > 1 is "Conceder".
    """

    name = "conceder"
    citation = _FARATIN
    family = "polynomial"
    tough = False
    Parameters = _faratin_parameters(1.5)


@CONCESSION_STYLES.register
class Linear(_Faratin):
    """Concedes the same utility every round (e = 1).

    Faratin, Sierra & Jennings (1998) §4.2.1: e = 1 is linear concession.
    """

    name = "linear"
    citation = _FARATIN
    family = "polynomial"
    tough = False
    Parameters = _faratin_parameters(1.0)


@CONCESSION_STYLES.register
class Hardliner(_Faratin):
    """Barely moves until the last round (e = 0.05, e → 0).

    Faratin, Sierra & Jennings (1998) §4.2.1: the Boulware limit e → 0.
    """

    name = "hardliner"
    citation = _FARATIN
    family = "polynomial"
    tough = True
    Parameters = _faratin_parameters(0.05)


@CONCESSION_STYLES.register
class Exponential(_Faratin):
    """Faratin exponential family; concedes early for the same e.

    Faratin, Sierra & Jennings (1998) §4.2.1, exponential decision function.
    """

    name = "exponential"
    citation = _FARATIN
    family = "exponential"
    tough = None
    Parameters = _faratin_parameters(1.0)

    @staticmethod
    def decision(time_fraction: Array | float, e: Array | float, k: Array | float) -> Array:
        """f(t) of the exponential family."""
        return exponential_decision(time_fraction, e, k)
