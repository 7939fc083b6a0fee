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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ConcessionHistory:
    """What a behaviour-dependent tactic reads: its own last target and what it was offered.

    ``previous`` is the side's own target of its last round at the table (NaN before the
    first); ``received`` holds, per replicate, the side's utility of the other side's last
    offers, oldest first, NaN where there was none (as valued when each was received).
    """

    previous: Array
    received: Array


class ConcessionStyle(Entry):
    """Base of the concession styles: a target utility for each replicate and round.

    Declared properties: ``family`` (the decision-function family), ``tough`` (True for
    Boulware-like, False for Conceder-like, None when the parameters decide) and ``tactic``
    (``time`` for time-dependent tactics, Faratin et al. 1998 §4.2.1; ``behaviour`` for the
    imitative tactics of §4.2.2, which read a :class:`ConcessionHistory`).
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
        history: ConcessionHistory | None = None,
    ) -> Array:
        """Target utility ``p(t)`` per replicate (``history`` for behaviour tactics)."""
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
        history: ConcessionHistory | None = None,
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


class TitForTatParameters(Parameters):
    """k: share of the surplus conceded in the first round; window: offers looked back."""

    k: float = Field(default=0.05, ge=0, le=1, allow_inf_nan=False)
    window: int = Field(default=1, ge=1, le=3)


class _TitForTat(ConcessionStyle):
    """Imitative tactics (Faratin, Sierra & Jennings 1998 §4.2.2), in utility terms.

    The first target is ``r + (U_max - r)(1 - k)``; afterwards the side concedes as the
    other did, measured in its own utility of the other's offers u_1, u_2, ... (most recent
    last), never below its reservation and never back up. With no new offer it holds.
    Contract (tests/test_registry_contract.py): more concession by the other side never
    raises the target; the target stays within [r, U_max].
    """

    family = "imitative"
    tough = None
    tactic = "behaviour"
    Parameters = TitForTatParameters

    def step(
        self, previous: Array, reservation: Array, best: Array, received: Array, window: int
    ) -> Array:
        """The new target from the previous one and the other side's offers (subclasses)."""
        raise NotImplementedError

    def target(
        self,
        time_fraction: Array | float,
        reservation: Array | float,
        best: Array | float,
        params: ParameterValues,
        history: ConcessionHistory | None = None,
    ) -> Array:
        """Mirror the other side's last concession; the opening target before any."""
        r = np.asarray(reservation, dtype=np.float64)
        top = np.broadcast_to(np.asarray(best, dtype=np.float64), r.shape)
        r = np.broadcast_to(r, top.shape)
        opening = r + (top - r) * (1.0 - np.asarray(params["k"], dtype=np.float64))
        if history is None:
            return np.clip(opening, r, top)
        previous = np.broadcast_to(history.previous, top.shape)
        window = int(np.max(params["window"])) if "window" in params else 1
        moved = self.step(
            np.where(np.isnan(previous), opening, previous), r, top, history.received, window
        )
        target = np.where(np.isnan(previous), opening, moved)
        return np.clip(target, r, np.maximum(r, top))


def _gains(received: Array, window: int) -> tuple[Array, Array]:
    """(latest, earlier): the other's last offer and the one ``window`` offers before."""
    latest = received[:, -1]
    earlier = (
        received[:, -1 - window] if received.shape[1] > window else np.full_like(latest, np.nan)
    )
    return latest, earlier


@CONCESSION_STYLES.register
class AbsoluteTitForTat(_TitForTat):
    """Concedes in utility exactly what the other side's last offer conceded to it.

    Faratin, Sierra & Jennings (1998) §4.2.2, absolute tit-for-tat.
    """

    name = "absolute_tit_for_tat"
    citation = _FARATIN

    def step(
        self, previous: Array, reservation: Array, best: Array, received: Array, window: int
    ) -> Array:
        """p_t = p_{t-1} - max(0, u_last - u_before)."""
        latest, earlier = _gains(received, 1)
        conceded = np.where(np.isnan(latest) | np.isnan(earlier), 0.0, latest - earlier)
        return previous - np.maximum(0.0, conceded)


@CONCESSION_STYLES.register
class RelativeTitForTat(_TitForTat):
    """Concedes the same share of its surplus as the other side closed of the gap to its best.

    Faratin, Sierra & Jennings (1998) §4.2.2, relative tit-for-tat: with g = U_max - u the
    gap between the side's best and the other's offer, p_t - r = (p_{t-1} - r) g_last/g_before.
    """

    name = "relative_tit_for_tat"
    citation = _FARATIN

    def step(
        self, previous: Array, reservation: Array, best: Array, received: Array, window: int
    ) -> Array:
        """Surplus scaled by the ratio of the other's successive gaps (window 1)."""
        return _relative(previous, reservation, best, received, 1)


@CONCESSION_STYLES.register
class AveragedTitForTat(_TitForTat):
    """Relative tit-for-tat over the other's last ``window`` offers (default 2).

    Faratin, Sierra & Jennings (1998) §4.2.2, averaged tit-for-tat: the ratio of the other's
    gaps ``window`` offers apart, which smooths one-off moves.
    """

    name = "averaged_tit_for_tat"
    citation = _FARATIN

    class Parameters(TitForTatParameters):
        """k: share of the surplus conceded at once; window: offers looked back (default 2)."""

        window: int = Field(default=2, ge=1, le=3)

    def step(
        self, previous: Array, reservation: Array, best: Array, received: Array, window: int
    ) -> Array:
        """Surplus scaled by the ratio of the other's gaps ``window`` offers apart."""
        return _relative(previous, reservation, best, received, window)


def _relative(
    previous: Array, reservation: Array, best: Array, received: Array, window: int
) -> Array:
    """p_t = r + (p_{t-1} - r) · clip((U_max - u_last)/(U_max - u_before), 0, 1)."""
    latest, earlier = _gains(received, window)
    gap_now, gap_before = best - latest, best - earlier
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(gap_before > 1e-12, gap_now / gap_before, 1.0)
    ratio = np.where(np.isnan(ratio), 1.0, np.clip(ratio, 0.0, 1.0))
    return reservation + (previous - reservation) * ratio
