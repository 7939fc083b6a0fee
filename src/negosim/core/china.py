"""China's reaction: a coercion level each month, from routine presence to an incident.

China is not at the table; it reads the alliance's moves through the deterrence model (weak
commitments invite probing) or the spiral model (firmness provokes), Jervis (1976, ch. 3).
Reaction rules are small named units in a registry, as strategies are in Axelrod, so a
scenario can name one (``china.rule``) and an instructor can compare them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from math import comb, exp, factorial

import numpy as np
from numpy.typing import NDArray

from negosim.core.politics import logistic
from negosim.schema import ChinaSpec, ObservablesSpec

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
LEVELS = 6  # coercion levels 0..5


@dataclass(frozen=True)
class ChinaInputs:
    """What China observes at the start of a month (one entry per replicate)."""

    spiral: F64
    deterrence: F64
    opportunity: F64
    taiwan: F64
    previous_level: I64
    detente: F64


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
    """Spiral, deterrence and opportunity terms (MODEL §5).

    Sp = (s - s0)/4 + (d - d0)/(d_max - d0): threat China perceives from firmer commitments;
    De = κ cap with cap = 0.5 + 0.5 (d - d_min)/(d_max - d_min): credible, capable deterrence;
    Op = (1 - κ)(1 + Ind): room to probe a doubtful, indifferent alliance.
    """
    spiral = (s_value - s0) / s_span + (d_value - d0) / max(d_max - d0, 1e-9)
    capability = 0.5 + 0.5 * (d_value - d_min) / (d_max - d_min)
    deterrence = credibility * capability
    opportunity = (1.0 - credibility) * (1.0 + indifference)
    return spiral, deterrence, opportunity


def propensity(inputs: ChinaInputs, spec: ChinaSpec) -> F64:
    """Z = β0 + ω β_sp Sp + (1-ω)(β_op Op - β_de De) + β_TW TW + β_h c_{t-1}/5 + β_w W."""
    b, w = spec.beta, spec.omega
    return (
        b.intercept
        + w * b.spiral * inputs.spiral
        + (1.0 - w) * (b.opportunity * inputs.opportunity - b.deterrence * inputs.deterrence)
        + b.taiwan * inputs.taiwan
        + b.history * inputs.previous_level / 5.0
        + b.detente * inputs.detente
    )


def ordered_logit_probabilities(z: F64, thresholds: F64) -> F64:
    """P(c = k), k = 0..5, from P(c ≥ k) = σ(z - θ_k) (McCullagh 1980, ordered logit)."""
    at_least = logistic(z[:, None] - thresholds[None, :])
    upper = np.concatenate([np.ones((len(z), 1)), at_least], axis=1)
    lower = np.concatenate([at_least, np.zeros((len(z), 1))], axis=1)
    return np.clip(upper - lower, 0.0, 1.0)


def _ordered_logit(inputs: ChinaInputs, spec: ChinaSpec) -> F64:
    return ordered_logit_probabilities(propensity(inputs, spec), np.asarray(spec.thresholds))


def _passive(inputs: ChinaInputs, spec: ChinaSpec) -> F64:
    probabilities = np.zeros((len(inputs.spiral), LEVELS))
    probabilities[:, 0] = 1.0
    return probabilities


def _tit_for_tat(inputs: ChinaInputs, spec: ChinaSpec) -> F64:
    """Escalate one level against firmness (Sp > 0), step down otherwise; Taiwan talk +1."""
    step = np.where(inputs.spiral > 0, 1, -1) + (inputs.taiwan >= 0.5)
    level = np.clip(inputs.previous_level + step, 0, LEVELS - 1)
    probabilities = np.zeros((len(level), LEVELS))
    probabilities[np.arange(len(level)), level] = 1.0
    return probabilities


@dataclass(frozen=True)
class ChinaRule:
    """A named reaction rule: inputs → probabilities of each coercion level."""

    name: str
    probabilities: Callable[[ChinaInputs, ChinaSpec], F64]
    description: str
    citation: str
    classifier: dict[str, object] = field(default_factory=dict)


CHINA_RULES: dict[str, ChinaRule] = {
    rule.name: rule
    for rule in (
        ChinaRule(
            "ordered_logit",
            _ordered_logit,
            "Ordered logit over levels 0-5 with the deterrence-spiral slider ω (MODEL §5).",
            "Jervis 1976, Perception and Misperception, ch. 3; McCullagh 1980",
            {"stochastic": True, "uses_omega": True},
        ),
        ChinaRule(
            "passive",
            _passive,
            "Routine presence every month: a control that switches China off.",
            "negosim (control condition)",
            {"stochastic": False, "uses_omega": False},
        ),
        ChinaRule(
            "tit_for_tat",
            _tit_for_tat,
            "Mirrors the alliance: one level up against firmer commitments, one down otherwise.",
            "Axelrod 1984, The Evolution of Cooperation (reciprocity)",
            {"stochastic": False, "uses_omega": False},
        ),
    )
}


def draw_level(probabilities: F64, u: F64) -> I64:
    """Level by inversion of the cumulative distribution, one uniform per replicate."""
    cdf = np.cumsum(probabilities, axis=1)[:, :-1]
    return (u[:, None] >= cdf).sum(axis=1).astype(np.int64)


def _poisson_cdf(rate: float, support: int) -> F64:
    pmf = np.array([exp(-rate) * rate**k / factorial(k) for k in range(support)])
    cdf = np.cumsum(pmf)
    return cdf / cdf[-1]  # exactly 1 at the end: no uniform can fall past the table


def _binomial_cdf(n: int, p: float) -> F64:
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
        support = 80  # P(Poisson(5) ≥ 80) < 1e-60: the table is exact in float64
        return cls(
            presence=np.stack(
                [_binomial_cdf(spec.presence_window_days, p) for p in spec.presence_probability]
            ),
            sea_entries=np.stack([_poisson_cdf(r, support) for r in spec.sea_entry_rate]),
            airspace=np.stack([_poisson_cdf(r, support) for r in spec.airspace_rate]),
        )
