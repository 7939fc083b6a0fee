"""China's reaction: a coercion level each month, from routine presence to an incident.

China is not at the table; it reads the alliance's moves through the deterrence model (weak
commitments invite probing) or the spiral model (firmness provokes), Jervis (1976, ch. 3).
This module turns the alliance's state into what China observes (:func:`observe`), including
the signal an announced deal sends (:func:`announcement_signal`), draws the month's level with
the scenario's rule (:func:`react`, rules in :mod:`negosim.core.china_rules`), keeps China's
memory (:func:`remember`), turns it into the threat Japan reads (:func:`threat_index`) and
draws what the level looks like on the water (:func:`on_the_water`). All pure functions over
arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from negosim.core.china_rules import ChinaInputs, ChinaRule
from negosim.core.credibility import credibility
from negosim.core.grid import OutcomeGrid
from negosim.core.observables import ObservableTables
from negosim.core.rng import inverse_cdf
from negosim.registry import Parameters
from negosim.schema import ChinaSpec

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


def perceived_terms(
    s_value: F64,
    d_value: F64,
    credibility: F64,
    indifference: F64,
    s0: float,
    d0: float,
    s_span: float,
    d_min: float,
    d_max: float,
) -> tuple[F64, F64, F64]:
    """Spiral, deterrence and opportunity terms (docs/model.md §5).

    Sp = (s - s0)/4 + (d - d0)/(d_max - d0): threat China perceives from firmer commitments;
    De = κ cap with cap = 0.5 + 0.5 (d - d_min)/(d_max - d_min): credible, capable deterrence;
    Op = (1 - κ)(1 + Ind): room to probe a doubtful, indifferent alliance.
    """
    spiral = (s_value - s0) / s_span + (d_value - d0) / max(d_max - d0, 1e-9)
    capability = 0.5 + 0.5 * (d_value - d_min) / (d_max - d_min)
    deterrence = credibility * capability
    opportunity = (1.0 - credibility) * (1.0 + indifference)
    return spiral, deterrence, opportunity


@dataclass(frozen=True)
class ChinaView:
    """The fixed geometry through which China reads the alliance's package.

    ``s0`` and ``d0`` are the spiral term's reference levels (the scenario's
    ``china.spiral_reference``, else the status quo); the rest are the commitment and
    defense issues' scales.
    """

    s0: float
    d0: float
    s_min: float
    s_span: float
    d_min: float
    d_max: float

    @classmethod
    def of(cls, spec: ChinaSpec, grid: OutcomeGrid) -> ChinaView:
        """The view for a scenario's China section and outcome grid."""
        s_axis, d_axis = grid.axes[grid.commitment], grid.axes[grid.defense]
        reference = spec.spiral_reference
        return cls(
            s0=s_axis.spec.status_quo if reference.commitment is None else reference.commitment,
            d0=d_axis.spec.status_quo if reference.defense is None else reference.defense,
            s_min=s_axis.spec.min,
            s_span=s_axis.span,
            d_min=d_axis.spec.min,
            d_max=d_axis.spec.max,
        )


def us_indifference(spec: ChinaSpec, reversals: I64) -> F64:
    """Ind = min(1, Ind0 + ι·reversals): each US reversal makes the US look less engaged."""
    return np.minimum(1.0, spec.us_indifference + spec.indifference_per_reversal * reversals)


def observe(
    view: ChinaView,
    spec: ChinaSpec,
    s_value: F64,
    d_value: F64,
    reversal_belief: F64,
    reversals: I64,
    taiwan: F64,
    previous_level: I64,
    detente: F64,
    signal: F64,
) -> ChinaInputs:
    """What China reads off the package in force and the month's events (docs/model.md §5).

    The commitment's credibility κ is the same quantity Japan's security term uses
    (:func:`negosim.core.credibility.credibility`): a pledge is only as good as the belief
    that it will be kept.
    """
    kappa = credibility((s_value - view.s_min) / view.s_span, reversal_belief)
    spiral, deterrence, opportunity = perceived_terms(
        s_value,
        d_value,
        kappa,
        us_indifference(spec, reversals),
        s0=view.s0,
        d0=view.d0,
        s_span=view.s_span,
        d_min=view.d_min,
        d_max=view.d_max,
    )
    return ChinaInputs(spiral, deterrence, opportunity, taiwan, previous_level, detente, signal)


def announcement_signal(
    view: ChinaView,
    previous: F64,
    decay: float,
    announced: NDArray[np.bool_],
    firmness: F64,
    seen: F64,
) -> F64:
    """G_t = δ_G G_{t-1} + 1[deal announced] X_t, the signal of announced deals (model.md §5).

    X_t = max(0, Δs)/(s_max - s_min) + max(0, Δd)/(d_max - d0): how far a deal that enters
    into force this month (ratified, i.e. announced, last month) raised the commitment and the
    defense budget over what China saw in force the month before, in the spiral term's units.
    A public upgrade is read as a signal beyond the package it puts in force (Jervis 1976,
    ch. 3: the same act is provocation to a spiral reader, resolve to a deterrence reader;
    Fearon 1997, J. Confl. Resol. 41:1, on public commitments as costly signals); like a
    Taiwan statement its weight decays by δ_G a month. ``firmness`` and ``seen`` are
    (s, d) columns now and last month.
    """
    rise = np.maximum(0.0, firmness - seen)
    size = rise[:, 0] / view.s_span + rise[:, 1] / max(view.d_max - view.d0, 1e-9)
    return decay * previous + np.where(announced, size, 0.0)


def threat_index(history: I64, weights: F64) -> F64:
    """T̄: the mean of the rung weights τ_c over China's remembered levels (model.md §2, §5).

    What Japan reads from China: ψ = ψ0 + ψ1 T̄ in Japan's security term. Higher rungs weigh
    more than their number (τ convex): crossing the firebreaks of Kahn's (1965) ladder, from
    grey-zone pressure to economic coercion and to an incident, changes what the rival is
    understood to be (Snyder 1984: a greater threat, a greater fear of abandonment).
    """
    return weights[history].mean(axis=1)


def draw_level(probabilities: F64, u: F64) -> I64:
    """Level by inversion of the cumulative distribution, one uniform per replicate."""
    cdf = np.cumsum(probabilities, axis=1)[:, :-1]
    return (u[:, None] >= cdf).sum(axis=1).astype(np.int64)


@dataclass(frozen=True)
class Reaction:
    """The month's level, its distribution, and whether it crossed the markets' shock level."""

    level: I64
    probabilities: F64
    crossed_shock_level: F64

    @property
    def expected_level(self) -> F64:
        """E[level] under the rule's probabilities."""
        return (self.probabilities * np.arange(self.probabilities.shape[1])).sum(axis=1)


def react(
    rule: ChinaRule,
    params: Parameters,
    inputs: ChinaInputs,
    spec: ChinaSpec,
    u: F64,
    shock_level: int,
    floor: I64 | None = None,
) -> Reaction:
    """Draw this month's level with ``rule``; flag a first crossing of ``shock_level``.

    Markets react when China reaches the shock level from below (docs/model.md §7), not every month
    it stays there. ``floor`` is the lowest level an event forces this month (an incident).
    """
    probabilities = rule.probabilities(inputs, spec, params)
    level = draw_level(probabilities, u)
    if floor is not None:
        level = np.maximum(level, floor)
    crossed = (level >= shock_level) & (inputs.previous_level < shock_level)
    return Reaction(level, probabilities, crossed.astype(float))


def remember(history: I64, months_at_level: I64, level: I64) -> tuple[I64, I64]:
    """China's last ``memory`` levels (oldest first) and months spent at each level."""
    history = np.concatenate([history[:, 1:], level[:, None]], axis=1)
    months = months_at_level.copy()
    months[np.arange(len(level)), level] += 1
    return history, months


@dataclass(frozen=True)
class OnTheWater:
    """Counts a coast guard would report for the month."""

    presence_days: I64
    sea_entries: I64
    airspace_violations: I64


def on_the_water(
    tables: ObservableTables, level: I64, u_presence: F64, u_sea: F64, u_air: F64
) -> OnTheWater:
    """Presence days, territorial-sea entries and airspace violations at ``level``."""
    return OnTheWater(
        inverse_cdf(u_presence, tables.presence, level),
        inverse_cdf(u_sea, tables.sea_entries, level),
        inverse_cdf(u_air, tables.airspace, level),
    )
