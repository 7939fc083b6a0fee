"""China's reaction rules: what China observes → probabilities of each coercion level.

Each rule is an entry of :data:`CHINA_RULES` (see :mod:`negosim.registry`); a scenario names
one in ``china.rule`` and sets its own parameters in ``china.params``. Every rule returns a
probability row per replicate over levels 0..5 that sums to 1; a deterministic rule returns
one-hot rows (a contract test checks both for every entry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from negosim.core.politics import logistic
from negosim.registry import Entry, Parameters, Registry
from negosim.schema import COERCION_LEVELS, TOP_LEVEL, ChinaSpec

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


@dataclass(frozen=True)
class ChinaInputs:
    """What China observes at the start of a month (one entry per replicate)."""

    spiral: F64
    deterrence: F64
    opportunity: F64
    taiwan: F64
    previous_level: I64
    detente: F64


class ChinaRule(Entry):
    """Base of the reaction rules.

    Declared properties: ``stochastic`` (False: one-hot rows, the level is a function of
    the inputs) and ``uses_omega`` (whether the deterrence-spiral slider ω matters).
    """

    stochastic: ClassVar[bool]
    uses_omega: ClassVar[bool]

    def probabilities(
        self, inputs: ChinaInputs, spec: ChinaSpec, params: Parameters | None = None
    ) -> F64:
        """P(level = k), k = 0..5, one row per replicate; ``params`` default to spec.params."""
        return self.rule(inputs, spec, params or self.parameters(spec.params))

    def rule(self, inputs: ChinaInputs, spec: ChinaSpec, params: Parameters) -> F64:
        """The rule itself (subclasses)."""
        raise NotImplementedError


CHINA_RULES: Registry[ChinaRule] = Registry(
    "China rule", "china.rule", ("stochastic", "uses_omega")
)


def propensity(inputs: ChinaInputs, spec: ChinaSpec) -> F64:
    """Z = β0 + ω β_sp Sp + (1-ω)(β_op Op - β_de De) + β_TW TW + β_h c_{t-1}/5 + β_w W."""
    b, w = spec.beta, spec.omega
    return (
        b.intercept
        + w * b.spiral * inputs.spiral
        + (1.0 - w) * (b.opportunity * inputs.opportunity - b.deterrence * inputs.deterrence)
        + b.taiwan * inputs.taiwan
        + b.history * inputs.previous_level / float(TOP_LEVEL)
        + b.detente * inputs.detente
    )


def ordered_logit_probabilities(z: F64, thresholds: F64) -> F64:
    """P(c = k), k = 0..5, from P(c ≥ k) = σ(z - θ_k) (McCullagh 1980, ordered logit)."""
    at_least = logistic(z[:, None] - thresholds[None, :])
    upper = np.concatenate([np.ones((len(z), 1)), at_least], axis=1)
    lower = np.concatenate([at_least, np.zeros((len(z), 1))], axis=1)
    return np.clip(upper - lower, 0.0, 1.0)


def one_hot(level: I64) -> F64:
    """Probability rows that put all mass on ``level``: a deterministic rule's output."""
    rows = np.zeros((len(level), COERCION_LEVELS))
    rows[np.arange(len(level)), level] = 1.0
    return rows


@CHINA_RULES.register
class OrderedLogit(ChinaRule):
    """Ordered logit over levels 0-5 with the deterrence-spiral slider ω (docs/model.md §5).

    Jervis (1976), Perception and Misperception in International Politics, ch. 3 (deterrence
    and spiral models); McCullagh (1980), JRSS B 42:109-142 (the ordered logit).
    """

    name = "ordered_logit"
    citation = "Jervis 1976, Perception and Misperception, ch. 3; McCullagh 1980"
    stochastic = True
    uses_omega = True
    reads = ("china.omega", "china.beta", "china.thresholds")

    def rule(self, inputs: ChinaInputs, spec: ChinaSpec, params: Parameters) -> F64:
        """Ordered-logit probabilities of the propensity Z."""
        return ordered_logit_probabilities(propensity(inputs, spec), np.asarray(spec.thresholds))


@CHINA_RULES.register
class Passive(ChinaRule):
    """Routine presence every month: a control that switches China off.

    negosim's control condition (no reaction), for contrasts with the other rules.
    """

    name = "passive"
    citation = "negosim (control condition)"
    stochastic = False
    uses_omega = False

    def rule(self, inputs: ChinaInputs, spec: ChinaSpec, params: Parameters) -> F64:
        """Level 0 with certainty."""
        return one_hot(np.zeros(len(inputs.spiral), dtype=np.int64))


class TitForTatParameters(Parameters):
    """How far China moves per month, and when Taiwan talk adds a step."""

    step: int = Field(default=1, ge=0, le=TOP_LEVEL)
    taiwan_trigger: float = Field(default=0.5, ge=0, le=1, allow_inf_nan=False)
    taiwan_step: int = Field(default=1, ge=0, le=TOP_LEVEL)


@CHINA_RULES.register
class TitForTat(ChinaRule):
    """Mirrors the alliance: one level up against firmer commitments, one down otherwise.

    Axelrod (1984), The Evolution of Cooperation (reciprocity). Firmness is a positive
    spiral term Sp; a Taiwan statement of weight ≥ ``taiwan_trigger`` adds ``taiwan_step``.
    """

    name = "tit_for_tat"
    citation = "Axelrod 1984, The Evolution of Cooperation (reciprocity)"
    stochastic = False
    uses_omega = False
    Parameters = TitForTatParameters

    def rule(self, inputs: ChinaInputs, spec: ChinaSpec, params: Parameters) -> F64:
        """Previous level ± step, plus the Taiwan step, clipped to 0..5."""
        p = params
        assert isinstance(p, TitForTatParameters)
        move = np.where(inputs.spiral > 0, p.step, -p.step)
        move = move + p.taiwan_step * (inputs.taiwan >= p.taiwan_trigger)
        return one_hot(np.clip(inputs.previous_level + move, 0, TOP_LEVEL))
