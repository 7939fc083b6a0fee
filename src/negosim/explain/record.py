"""The explanation of one round as data: what a page shows and ``--json`` writes.

Every number is a plain float (or None where it does not apply, e.g. utilities of an offer
that was not made), so ``to_dict()`` is JSON-ready. Utilities are on each side's common
scale [0, 1] (docs/model.md §2); political costs and the win-set in L_J's units (§3.1).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

#: Version of the dictionary's layout; a change of field names or meanings bumps it.
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class IssueValue:
    """One issue of a package, in its own unit; ``level`` names an ordinal issue's level."""

    issue: str
    value: float
    unit: str
    level: str | None = None


@dataclass(frozen=True)
class Contribution:
    """An issue's part of a side's utility: above the issue's worst level, and its most."""

    issue: str
    value: float
    most: float


@dataclass(frozen=True)
class Security:
    """Japan's security term (Snyder 1984) on Japan's scale (core/breakdown.py).

    ``value = best + threat_term + credibility_term + self_reliance_term + entrapment_term``;
    the inputs are China's threat ψ, the credibility κ of the US commitment, self-reliance
    m, and the resulting fear of abandonment Ab = ψ (1 - κ)(1 - m) and of entrapment En.
    """

    threat: float
    credibility: float
    self_reliance: float
    abandonment: float
    entrapment: float
    best: float
    threat_term: float
    credibility_term: float
    self_reliance_term: float
    entrapment_term: float
    value: float


@dataclass(frozen=True)
class SideValue:
    """What the offer is worth to one side, issue by issue, against its target and no deal."""

    side: str
    role: str
    utility: float | None
    target: float | None
    reservation: float | None
    issues: tuple[Contribution, ...]
    security: Security | None

    @property
    def bar(self) -> float | None:
        """The least this side takes this month: max(target, value of no deal) (§4.6)."""
        if self.target is None or self.reservation is None:
            return None
        return max(self.target, self.reservation)

    @property
    def meets_target(self) -> bool | None:
        """Whether the offer is worth at least the side's target."""
        if self.utility is None or self.target is None:
            return None
        return self.utility >= self.target

    @property
    def meets_reservation(self) -> bool | None:
        """Whether the offer is worth at least the side's value of no deal."""
        if self.utility is None or self.reservation is None:
            return None
        return self.utility >= self.reservation


@dataclass(frozen=True)
class Tokyo:
    """The Diet: the offer's political cost against the win-set K, and the vote (§3).

    ``binding`` says whether Tokyo decided the round: Japan turned the offer down as outside
    the win-set, the Diet voted it down, or a proposer found nothing worth its target within
    the political cost it proposes (Japan: K; the US: its belief ``us_belief``). ``vote``
    is the month's draw of the Diet's vote: a package passes iff its ratification
    probability exceeds it (given only when the offer was accepted).
    """

    political_cost: float | None
    cost_by_issue: tuple[tuple[str, float], ...]
    win_set: float
    coalition_radius: float
    formation: float
    divided: bool
    approval: float
    ratification_probability: float | None
    vote: float | None
    passed: bool | None
    binding: bool
    us_belief: float

    @property
    def inside_win_set(self) -> bool | None:
        """Whether the offer's political cost is within K (None without an offer)."""
        return None if self.political_cost is None else self.political_cost <= self.win_set


@dataclass(frozen=True)
class RedLineStatus:
    """A public red line of Japan's leader and whether the offer keeps to it."""

    issue: str
    bound: float
    unit: str
    breached_when: str
    announced_round: int
    kept: bool | None


@dataclass(frozen=True)
class Change:
    """One issue of the offer changed: from ``before`` to ``after``, in ``unit``."""

    issue: str
    before: float
    after: float
    unit: str


@dataclass(frozen=True)
class Flip:
    """The smallest change to the offer that changes what happened to it.

    ``kind`` says what the change does: ``accepted`` (a rejected offer the responder would
    have accepted), ``rejected`` (an accepted offer it would have turned down), ``ratified``
    (a package the Diet would have passed in the same vote). ``steps`` counts issue-level
    grid steps; ``outcome`` is the responder's answer to the changed package (a
    ``Reason`` name); the proposer's utility and target say whether it would have offered it.
    """

    kind: str
    found: bool
    steps: int
    changes: tuple[Change, ...]
    package: tuple[IssueValue, ...]
    outcome: str
    responder_utility: float | None
    proposer_utility: float | None
    proposer_target: float | None
    political_cost: float | None
    ratification_probability: float | None
    proposer_would_offer: bool | None
    not_offered_because: str


@dataclass(frozen=True)
class NoOffer:
    """Why a proposer made no offer, and what would have let it make one (§3.2, §4.3)."""

    proposer: str
    target: float
    budget: float
    budget_name: str
    best_inside: float | None
    budget_needed: float | None
    best_admissible: float | None


@dataclass(frozen=True)
class Happening:
    """Something else that happened this month (a deal entering into force, a reversal...)."""

    kind: str
    text: str


@dataclass(frozen=True)
class RoundExplanation:
    """Why one round of one replicate ended as it did (docs/explain.md lists every field)."""

    scenario: str
    seed: int
    replicate: int
    round: int
    month: str
    negotiating: bool
    proposer: str
    responder: str
    reason: str
    reason_label: str
    offer: tuple[IssueValue, ...] | None
    sides: tuple[SideValue, ...]
    tokyo: Tokyo
    red_lines: tuple[RedLineStatus, ...]
    flip: Flip | None
    no_offer: NoOffer | None
    not_negotiating: str
    happenings: tuple[Happening, ...]
    china_level: int
    china_level_name: str

    def side(self, name: str) -> SideValue:
        """The view of ``name`` ('japan' or 'us')."""
        return next(s for s in self.sides if s.side == name)

    def why(self) -> str:
        """The decisive reason, in a sentence or two."""
        from negosim.explain.text import why

        return why(self)

    def flip_sentence(self) -> str:
        """The smallest change that would have flipped the decision, in words ('' if none)."""
        from negosim.explain.text import flip_sentence

        return flip_sentence(self)

    def text(self) -> str:
        """The whole explanation for a student: the decisive reason first, then the numbers."""
        from negosim.explain.text import render

        return render(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: every field, the sides' derived checks, and the sentences of text()."""
        data = asdict(self)
        data["schema_version"] = SCHEMA_VERSION
        for side, view in zip(data["sides"], self.sides, strict=True):
            side.update(
                bar=view.bar,
                meets_target=view.meets_target,
                meets_reservation=view.meets_reservation,
            )
        data["tokyo"]["cost_by_issue"] = dict(self.tokyo.cost_by_issue)
        data["tokyo"]["inside_win_set"] = self.tokyo.inside_win_set
        data["why"] = self.why()
        data["flip_sentence"] = self.flip_sentence()
        return data
