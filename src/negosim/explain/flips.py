"""The smallest change to an offer that flips the decision, found exactly on the grid.

Every package of the grid is valued for this month's replicate with the model's own tables
and rules (:mod:`negosim.core.counterfactual`): both sides' utilities at the month's leader
and beliefs, Japan's political cost, the Diet's ratification probability at the month's
win-set, the packages either side may put on the table (linkage floors and red lines,
docs/model.md §4.3), and the responder's answer. Then:

- a **rejected** offer: the nearest admissible package the responder would have accepted
  (for Japan: at least its target and value of no deal, and inside the win-set); ties to
  the one that costs the proposer least;
- an offer **accepted but voted down** in the Diet: the nearest admissible package the
  responder would have accepted and the same vote would have passed (P_rat above the
  month's draw);
- an **accepted** offer: the nearest admissible package the proposer would have liked
  better (a further ask) that the responder would have turned down; ties to the smallest
  ask. If no such package exists, any admissible package it would have turned down;
- **no offer**: what the proposer's best package inside its budget (Japan: the win-set K;
  the US: its belief B about it) was worth against its target, and the budget an offer
  needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from negosim.core.counterfactual import (
    accepted,
    nearest,
    response_reasons,
    steps_from,
)
from negosim.core.politics import diet_passes, diet_ratification_probability
from negosim.core.protocol import Reason
from negosim.explain.month import ExplanationError, Month
from negosim.explain.record import Change, Flip, IssueValue, NoOffer

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]


@dataclass(frozen=True)
class Landscape:
    """Every package of the grid this month, in grid order (core/counterfactual.py)."""

    month: Month
    utility: dict[str, F64]
    cost: F64
    admissible: B

    def index(self, levels: I64) -> int:
        """Grid index of the package with level indices ``levels``."""
        grid = self.month.model.tables.grid
        b, g = grid.split(levels[None, :])
        return int(b[0]) * grid.n_static + int(g[0])

    def levels(self, index: int) -> I64:
        """Level indices of package ``index`` (package p = b · n_static + g)."""
        grid = self.month.model.tables.grid
        b, g = divmod(index, grid.n_static)
        return grid.join(np.array([b]), np.array([g]))[0]

    def probability(self, index: I64 | None = None) -> F64:
        """The Diet's P_rat this month of the packages ``index`` (default: every one).

        Computed on demand: the logistic over the whole grid is most of an explanation's
        time, and only a vote's counterfactual needs it everywhere.
        """
        month = self.month
        cost = self.cost if index is None else self.cost[index]
        formation = np.float64(month.value("formation"))
        return diet_ratification_probability(
            np.float64(month.value("coalition_radius")) * formation,
            formation,
            cost,
            np.bool_(month.value("divided")),
            month.model.spec.politics.win_set,
        )


def landscape(month: Month) -> Landscape:
    """Both utilities, cost and admissibility of every package, as the model has them."""
    model = month.model
    tables = model.tables
    # The same functions on a (state block, static block) outer grid: each element is the
    # same arithmetic as for that package alone, and the security term is evaluated once
    # per (s, d) level instead of once per package.
    rows, cols = np.arange(tables.grid.n_state)[:, None], np.arange(tables.grid.n_static)[None, :]
    threat, belief = np.float64(month.value("threat")), np.float64(month.value("reversal_belief"))
    japan = tables.japan(int(month.value("leader")), rows, cols, threat, belief)
    allowed = month.admissible()
    return Landscape(
        month=month,
        utility={"japan": japan.reshape(-1), "us": tables.us(rows, cols).reshape(-1)},
        cost=model.japan.political_cost(rows, cols).reshape(-1),
        admissible=(allowed.state[rows] & allowed.static[cols]).reshape(-1),
    )


def responses(month: Month, land: Landscape) -> I64:
    """The responder's answer to every package: its rule at this month's target and D."""
    responder = month.responder
    japan = responder == "japan"
    return response_reasons(
        land.utility[responder],
        float(month.row["responder_target"]),
        float(month.row["responder_reservation"]),
        land.cost if japan else None,
        float(month.value("win_set")) if japan else None,
    )


def budget(month: Month, side: str) -> tuple[float, str]:
    """The largest political cost ``side`` proposes: Japan its win-set, the US its belief."""
    if side == "japan":
        return float(month.value("win_set")), "Japan's win-set K"
    return float(month.value("us_win_set_bound")), "what the US believes the Diet can pass"


def package_of(month: Month, levels: I64) -> tuple[IssueValue, ...]:
    """A package (level indices) as issue values with units."""
    out = []
    for axis, level in zip(month.model.tables.grid.axes, levels, strict=True):
        value = float(axis.values[level])
        ordinal = bool(axis.spec.levels) and value == int(value)
        name = axis.spec.levels.get(int(value)) if ordinal else None
        out.append(IssueValue(axis.name, value, axis.spec.unit, name))
    return tuple(out)


def _flip_at(month: Month, land: Landscape, answers: I64, kind: str, pick: int, offer: I64) -> Flip:
    proposer, responder = month.proposer, month.responder
    target = float(month.row["proposer_target"])
    if pick < 0:
        return Flip(kind, False, 0, (), (), "", None, None, target, None, None, None, "")
    grid = month.model.tables.grid
    levels = land.levels(pick)
    changes = tuple(
        Change(axis.name, float(axis.values[o]), float(axis.values[x]), axis.spec.unit)
        for axis, o, x in zip(grid.axes, offer, levels, strict=True)
        if o != x
    )
    own = float(land.utility[proposer][pick])
    cost = float(land.cost[pick])
    limit, _ = budget(month, proposer)
    because = "below its target" if own < target else ""
    if not because and cost > limit:
        because = "outside the win-set" if proposer == "japan" else "beyond the US's belief"
    outcome = Reason(int(answers[pick])).name
    return Flip(
        kind=kind,
        found=True,
        steps=int(np.abs(levels - offer).sum()),
        changes=changes,
        package=package_of(month, levels),
        outcome=outcome,
        responder_utility=float(land.utility[responder][pick]),
        proposer_utility=own,
        proposer_target=target,
        political_cost=cost,
        ratification_probability=float(land.probability(np.array([pick]))[0]),
        proposer_would_offer=not because,
        not_offered_because=because,
    )


def flip(month: Month, land: Landscape | None = None) -> Flip | None:
    """The smallest change to this month's offer that flips what happened (None: no offer)."""
    offer = month.offer_levels()
    reason = month.reason
    if offer is None or reason in (Reason.NO_OFFER, Reason.NOT_NEGOTIATING):
        return None
    land = land or landscape(month)
    grid = month.model.tables.grid
    steps = steps_from(grid, offer)
    answers = responses(month, land)
    here = land.index(offer)
    said = Reason(int(answers[here]))
    expected = Reason.ACCEPTED if reason == Reason.FAILED_RATIFICATION else reason
    if said != expected:  # the rule over the grid must be the rule the model applied
        raise ExplanationError(
            f"round {month.round_index}: the responder's rule gives {said.name} for the offer, "
            f"the run recorded {reason.name}"
        )
    own = land.utility[month.proposer]
    yes = accepted(answers) & land.admissible
    if reason == Reason.ACCEPTED:
        gain = own - own[here]
        refused = ~accepted(answers) & land.admissible
        asks = refused & (gain > 0)
        pick = nearest(asks if asks.any() else refused, steps, gain)
        return _flip_at(month, land, answers, "rejected", pick, offer)
    loss = own[here] - own
    if reason == Reason.FAILED_RATIFICATION:
        passes = diet_passes(land.probability(), np.float64(month.value("ratification_draw")))
        pick = nearest(yes & passes, steps, loss)
        return _flip_at(month, land, answers, "ratified", pick, offer)
    return _flip_at(month, land, answers, "accepted", nearest(yes, steps, loss), offer)


def no_offer(month: Month, land: Landscape | None = None) -> NoOffer | None:
    """Why the proposer made no offer: its best inside its budget, the budget it needed."""
    if month.reason != Reason.NO_OFFER:
        return None
    land = land or landscape(month)
    side = month.proposer
    own = land.utility[side]
    target = float(month.row["proposer_target"])
    limit, name = budget(month, side)
    inside = land.admissible & (land.cost <= limit)
    enough = land.admissible & (own >= target)
    return NoOffer(
        proposer=side,
        target=target,
        budget=limit,
        budget_name=name,
        best_inside=float(own[inside].max()) if inside.any() else None,
        budget_needed=float(land.cost[enough].min()) if enough.any() else None,
        best_admissible=float(own[land.admissible].max()) if land.admissible.any() else None,
    )
