"""The two sides at the table: values, concession, threats, reversals (model.md §2, §4, §6)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Strict

#: The parameters of the shipped (Faratin) concession styles, ``e`` and ``k`` of Faratin et
#: al. 1998: the keys a sweep override may add to a ``concession.params`` mapping that does
#: not write them. Each style's own parameter model (negosim.core.concession) validates them.
CONCESSION_PARAMETERS = ("e", "k")


class ConcessionSpec(Strict):
    """A named concession style from the registry and its style-specific parameters.

    ``params`` holds what the style reads (for the Faratin styles ``e``, the concession
    exponent, defaulting to the style's own, and ``k``, the initial fraction, 0.05); the
    style's parameter model validates them at the boundary, so a misspelt parameter is
    reported, not ignored.
    """

    style: str = "polynomial"
    params: dict[str, float] = Field(
        default_factory=dict, json_schema_extra={"keys": list(CONCESSION_PARAMETERS)}
    )


class ValueShape(Strict):
    """Shape of the per-issue value function: exponent p and loss aversion λ (docs/model.md §2)."""

    exponent: Literal[1, 2] = 1
    loss_aversion: float = Field(default=1.0, ge=1.0, le=5.0)


class PreferenceSpec(Strict):
    """Priorities and ideal points (model.md §2): what a leader values and where it wants it."""

    priorities: dict[str, float]
    normalize: bool = False
    ideal: dict[str, float]


class SecuritySpec(Strict):
    """Japan's alliance security dilemma term (Snyder 1984), docs/model.md §2."""

    gamma_abandonment: float = Field(default=1.0, ge=0)
    gamma_entrapment: float = Field(default=0.3, ge=0)
    entrapment_scale: float = Field(default=0.5, ge=0)
    threat_base: float = Field(default=0.5, ge=0)
    threat_per_coercion: float = Field(default=0.1, ge=0)
    self_reliance: float = Field(default=0.3, ge=0, le=1)
    taiwan_contingency: float = Field(default=0.1, ge=0, le=1)


class WeakGovernance(Strict):
    """Below this approval Japan's leader concedes more slowly (docs/model.md §4.2).

    A modifier of the sitting leader type's concession: its ``e`` is replaced by this one
    (the style, and so the decision function's family, stays the type's).
    """

    approval_below: float = Field(default=0.3, ge=0, le=1)
    e: float = Field(default=0.7, gt=0)


class JapanSpec(Strict):
    """Japan whoever leads it (docs/model.md §2): value shape, security term, how politics moves it.

    What differs by leader (priorities, ideal points, concession) lives in
    ``politics.leader_types``; the sitting leader is ``politics.leader``, one of them, so
    there is no second copy of the sitting leader's values to disagree with its type.
    """

    value: ValueShape = ValueShape()
    security_weight: float = Field(default=0.25, ge=0)
    security: SecuritySpec = SecuritySpec()
    weak_government: WeakGovernance = WeakGovernance()
    linkage: float = Field(ge=0, le=1)
    discount: float = Field(default=0.95, gt=0, le=1)
    outside_option: float | None = Field(default=None, ge=0, le=1)


class TariffThreat(Strict):
    """US tariff letters while there is no deal (docs/model.md §4.4)."""

    probability: float = Field(default=0.15, ge=0, le=1)
    level: float = 25.0


class ReversalSpec(Strict):
    """Monthly hazard that the US reverses an item in force, by item class (docs/model.md §6)."""

    trade: float = Field(default=0.08, ge=0, le=1)
    security: float = Field(default=0.01, ge=0, le=1)
    per_shortfall: float = Field(default=0.5, ge=0)
    per_legal_shock: float = Field(default=0.3, ge=0)


class WinSetBelief(Strict):
    """The US's belief about Japan's win-set: an upper bound on L_J it learns (model.md §3)."""

    prior: float = Field(default=1.2, gt=0, allow_inf_nan=False)
    shrink: float = Field(default=0.8, gt=0, lt=1)


class USSpec(Strict):
    """The transactional US leader (docs/model.md §2): issue values, headline term, commitment cost.

    The fields of :class:`PreferenceSpec` are repeated in file order (rather than
    inherited) so messages list them in the order the baseline writes them.
    """

    priorities: dict[str, float]
    normalize: bool = False
    ideal: dict[str, float]
    value: ValueShape = ValueShape()
    concession: ConcessionSpec = ConcessionSpec()
    linkage: float = Field(ge=0, le=1)
    discount: float = Field(default=0.97, gt=0, le=1)
    outside_option: float | None = Field(default=None, ge=0, le=1)
    headline_weight: float = Field(default=0.1, ge=0)
    headline_scale: float = Field(default=100.0, gt=0)
    commitment_cost: float = Field(default=0.1, ge=0)
    tariff_threat: TariffThreat = TariffThreat()
    reversal_hazard: ReversalSpec = ReversalSpec()
    win_set_belief: WinSetBelief = WinSetBelief()


class AgentsSpec(Strict):
    """The two sides at the table."""

    japan: JapanSpec
    us: USSpec
