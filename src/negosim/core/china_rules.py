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
    signal: F64


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
    """China's propensity to coerce (docs/model.md §5).

    z = β0 + ω β_sp Sp + (1-ω)(β_op Op - β_de De) + β_TW TW + β_h c_{t-1}/5 + β_w W
        + (ω β_Gsp - (1-ω) β_Gde) G.

    Jervis (1976, ch. 3): under the spiral reading (ω → 1) firmness Sp and an announced
    firming G provoke; under the deterrence reading (ω → 0) doubtful credibility (Op)
    invites probing, credible capability (De) and the resolve an announcement shows (G)
    hold China back. β_w < 0: a thaw W lowers the propensity.
    """
    b, w = spec.beta, spec.omega
    return (
        b.intercept
        + w * b.spiral * inputs.spiral
        + (1.0 - w) * (b.opportunity * inputs.opportunity - b.deterrence * inputs.deterrence)
        + b.taiwan * inputs.taiwan
        + b.history * inputs.previous_level / float(TOP_LEVEL)
        + b.detente * inputs.detente
        + (w * b.signal_spiral - (1.0 - w) * b.signal_resolve) * inputs.signal
    )


def inertia_shift(previous_level: I64, inertia: F64, skip_penalty: float = 0.0) -> F64:
    """Shift of each threshold θ_k, k = 1..5, given last month's level j (docs/model.md §5).

    shift_k = +η_j for the rungs at or below j: China stays on the rung it holds unless z
    falls η_j below its threshold; shift_k = -η_j - ζ (k - j - 1) for the rungs above j: it
    climbs only when z clears the next threshold by η_j, and each rung skipped in one month
    costs ζ more. The band of inaction around the rung held is the hysteresis of Dixit
    (1989, JPE 97:3) between entry and exit thresholds; the rung-by-rung climb is Kahn's
    (1965) escalation ladder; η_j by rung lets a grey-zone campaign be steady and a crisis
    short. For η_j, ζ ≥ 0 the moved thresholds θ_k - shift_k stay increasing in k, so every
    row is a distribution.
    """
    hold = np.asarray(inertia, dtype=np.float64)[previous_level][:, None]
    above = np.arange(1, COERCION_LEVELS)[None, :] - previous_level[:, None]
    return np.where(above <= 0, hold, -hold - skip_penalty * np.maximum(above - 1, 0))


def ordered_logit_probabilities(z: F64, thresholds: F64, shift: F64 | None = None) -> F64:
    """P(c = k), k = 0..5, from P(c ≥ k) = σ(z - θ_k + shift_k) (McCullagh 1980).

    ``shift`` (one row of 5 per replicate, e.g. :func:`inertia_shift`) makes the
    thresholds state-dependent: a dynamic ordered logit (lagged-state effects as in the
    dynamic ordered models of Contoyannis, Jones & Rice 2004, J. Appl. Econometrics 19:4).
    """
    index = z[:, None] - thresholds[None, :]
    at_least = logistic(index if shift is None else index + shift)
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
    """Ordered logit on the escalation ladder 0-5, sticky rungs, deterrence-spiral slider ω.

    Jervis (1976), Perception and Misperception in International Politics, ch. 3 (deterrence
    and spiral models); McCullagh (1980), JRSS B 42:109-142 (the ordered logit); Kahn (1965),
    On Escalation (the ladder); thresholds that move with last month's level
    (:func:`inertia_shift`, Dixit 1989 hysteresis). docs/model.md §5.
    """

    name = "ordered_logit"
    citation = "Jervis 1976, ch. 3; Kahn 1965 (ladder); McCullagh 1980; Dixit 1989 (inertia)"
    stochastic = True
    uses_omega = True
    reads = (
        "china.omega",
        "china.beta",
        "china.thresholds",
        "china.inertia",
        "china.skip_penalty",
    )

    def rule(self, inputs: ChinaInputs, spec: ChinaSpec, params: Parameters) -> F64:
        """Ordered-logit probabilities of z, thresholds moved by last month's level."""
        return ordered_logit_probabilities(
            propensity(inputs, spec),
            np.asarray(spec.thresholds),
            inertia_shift(inputs.previous_level, np.asarray(spec.inertia), spec.skip_penalty),
        )


def transition_matrix(
    z: float, thresholds: F64 | list[float], inertia: F64 | list[float], skip_penalty: float = 0.0
) -> F64:
    """P(c_t = k | c_{t-1} = j) of the ordered logit at a fixed propensity z (rows j)."""
    previous = np.arange(COERCION_LEVELS, dtype=np.int64)
    return ordered_logit_probabilities(
        np.full(COERCION_LEVELS, float(z)),
        np.asarray(thresholds, dtype=np.float64),
        inertia_shift(previous, np.asarray(inertia, dtype=np.float64), skip_penalty),
    )


def stationary_distribution(transition: F64) -> F64:
    """π with π T = π and Σ π = 1: the long-run share of months at each level (Markov chain)."""
    n = transition.shape[0]
    system = np.vstack([transition.T - np.eye(n), np.ones((1, n))])
    target = np.concatenate([np.zeros(n), [1.0]])
    pi = np.linalg.lstsq(system, target, rcond=None)[0]
    pi = np.clip(pi, 0.0, None)
    return pi / pi.sum()


def persistence(transition: F64) -> float:
    """P(c_t = c_{t-1}) in the long run: Σ_j π_j T_jj."""
    return float(stationary_distribution(transition) @ np.diag(transition))


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
