"""Japan's domestic politics: leader types, political cost, win-set, approval (model.md §3)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .agents import ConcessionSpec, PreferenceSpec
from .base import TOP_LEVEL, Direction, Strict


class LeaderType(PreferenceSpec):
    """A Japanese leader type (dove, centrist, hawk, ...): everything that differs by leader.

    The sitting leader (``politics.leader``) and every possible successor are such types,
    so there is one copy of each leader's values. There is no hand-set reservation: every
    side's reservation is its value of no deal (docs/model.md §4.5).
    """

    description: str = ""
    concession: ConcessionSpec = ConcessionSpec()


class PoliticalCostItem(Strict):
    """Domestic reference point r_k, cost λ_k per unit beyond it, smoothing width h_k (§3).

    ``smoothness`` h_k (in the issue's unit) is the band around r_k over which the marginal
    cost rises from 0 to λ_k (docs/model.md §3); 0 is the original hinge.
    """

    reference: float
    cost: float = Field(ge=0)
    direction: Direction = "up"
    smoothness: float = Field(default=0.0, ge=0)


class WinSetSpec(Strict):
    """Win-set radius K = K0 (A/A_ref)^a (1 + b M) and ratification noise σ_r (docs/model.md §3).

    ``opposition_radius`` K_O caps K once the coalition has lost the upper house: the
    opposition partner it then needs is a second veto player (Tsebelis 2002).
    """

    base_radius: float = Field(default=0.6, gt=0)
    approval_reference: float = Field(default=0.35, ge=0.01, le=1)
    approval_exponent: float = Field(default=1.5, ge=0, le=10)
    margin_effect: float = Field(default=0.5, ge=0)
    majority_margin: float = Field(default=-0.1, ge=-1, le=1)
    ratification_noise: float = Field(default=0.03, gt=0)
    opposition_radius: float = Field(default=0.25, ge=0)


class ApprovalSpec(Strict):
    """Approval dynamics: partial adjustment towards A*, a decaying honeymoon (docs/model.md §3).

    ``equilibrium`` is A*, ``adjustment`` the monthly share α of the gap closed; a new leader
    starts at A* + ``honeymoon``, which halves every ``honeymoon_half_life`` months;
    ``initial_honeymoon`` is the part of ``initial`` that is a honeymoon still decaying.
    """

    initial: float = Field(default=0.34, ge=0, le=1)
    equilibrium: float = Field(default=0.34, ge=0, le=1)
    adjustment: float = Field(default=0.2, ge=0, le=1)
    honeymoon: float = Field(default=0.13, ge=0, le=1)
    honeymoon_half_life: float = Field(default=2.0, gt=0)
    initial_honeymoon: float = Field(default=0.0, ge=0, le=1)
    per_deal_utility: float = 0.25
    per_tariff_point: float = 0.003
    rally: float = 0.01
    rally_level: int = Field(default=3, ge=0, le=TOP_LEVEL)
    noise_sd: float = Field(default=0.02, ge=0)
    per_reversal: float = Field(default=0.02, ge=0)
    audience_cost: float = Field(default=0.03, ge=0)


class RedLine(Strict):
    """A public red line: breaching it costs approval (audience costs, Fearon 1994)."""

    issue: str
    bound: float
    breached_when: Literal["above", "below"] = "above"
    announced_round: int = Field(default=0, ge=0)


#: A calendar month, 'YYYY-MM' (checked at the scenario boundary, with a plain message).
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class ElectionSpec(Strict):
    """The July 2025 upper-house election and what follows (docs/model.md §3).

    ``month`` is the election's calendar month; its round is counted from
    ``protocol.start_month`` (round 1), so the two cannot drift apart. A successor's win-set
    grows from 0 to whole over ``formation_months`` after it takes office.
    """

    month: str = "2025-07"  # 'YYYY-MM', checked (with start_month) in scenario.politics_checks
    approval_threshold: float = Field(default=0.30, ge=0, le=1)
    approval_scale: float = Field(default=0.03, gt=0)
    margin_after_loss: float = Field(default=-0.3, ge=-1, le=1)
    replacement_probability: float = Field(default=0.7, ge=0, le=1)
    replacement_delay: list[int] = Field(default=[2, 3], min_length=2, max_length=2)
    successor_shares: dict[str, float] = {"dove": 0.3, "centrist": 0.3, "hawk": 0.4}
    formation_months: int = Field(default=2, ge=0)


class PoliticsSpec(Strict):
    """Japan's domestic politics: the two-level game (Putnam 1988)."""

    political_cost: dict[str, PoliticalCostItem]
    win_set: WinSetSpec = WinSetSpec()
    approval: ApprovalSpec = ApprovalSpec()
    red_lines: list[RedLine] = []
    election: ElectionSpec = ElectionSpec()
    leader: str = "centrist"
    leader_types: dict[str, LeaderType]
