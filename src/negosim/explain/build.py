"""Assemble a round's explanation from the run: values, breakdowns, Tokyo, the flip.

Everything is read from the model's record of the month (:mod:`negosim.explain.month`)
and computed by the model's own functions: utilities and their split by issue
(core/utility.py, core/breakdown.py), political cost and ratification (core/politics.py),
red lines (core/admissible.py), reversal hazards (core/credibility.py) and the responder's
rule over the grid (core/counterfactual.py). Nothing here changes the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from negosim.core.admissible import red_line_mask
from negosim.core.breakdown import UtilityBreakdown, japan_breakdown, us_breakdown
from negosim.core.credibility import REVERSAL_CLASSES, reversal_hazard
from negosim.core.events import EVENT_KINDS
from negosim.core.politics import issue_political_cost
from negosim.core.protocol import Reason
from negosim.explain.flips import flip, landscape, no_offer, package_of
from negosim.explain.month import Month, month_of_run
from negosim.explain.record import (
    Contribution,
    Happening,
    RedLineStatus,
    RoundExplanation,
    Security,
    SideValue,
    Tokyo,
)
from negosim.explain.words import change, month_of, share, u, with_unit

if TYPE_CHECKING:
    from negosim.model import NegotiationModel


def _number(value: object) -> float | None:
    """A recorded float, None where it is missing (NaN)."""
    x = float(value)  # type: ignore[arg-type]
    return None if np.isnan(x) else x


def _breakdown(month: Month, side: str, levels: np.ndarray) -> UtilityBreakdown:
    tables = month.model.tables
    if side == "us":
        return us_breakdown(tables, levels[None, :])
    return japan_breakdown(
        tables,
        int(month.value("leader")),
        levels[None, :],
        float(month.value("threat")),
        float(month.value("reversal_belief")),
    )


def _side(month: Month, side: str, levels: np.ndarray | None) -> SideValue:
    role = "proposer" if side == month.proposer else "responder"
    target = _number(month.row[f"{role}_target"])
    reserve = _number(month.row[f"{role}_reservation"])
    if levels is None:
        return SideValue(side, role, None, target, reserve, (), None)
    parts = _breakdown(month, side, levels)
    axes = month.model.tables.grid.axes
    issues = tuple(
        Contribution(axis.name, float(parts.issues[0, k]), float(parts.issue_max[k]))
        for k, axis in enumerate(axes)
    )
    security = None
    if parts.security is not None:
        s = parts.security
        first = [
            float(x[0]) + 0.0  # + 0.0: no "-0.0" for a term that is zero
            for x in (
                s.threat_level,
                s.credibility,
                s.self_reliance,
                s.abandonment,
                s.entrapment_level,
                s.best,
                s.threat,
                s.credibility_offset,
                s.self_reliance_offset,
                s.entrapment,
                s.value,
            )
        ]
        security = Security(*first)
    utility = _number(month.row[f"offer_{side}_utility"])
    return SideValue(side, role, utility, target, reserve, issues, security)


def _tokyo(month: Month, levels: np.ndarray | None, binding: bool) -> Tokyo:
    model = month.model
    costs = model.spec.politics.political_cost
    by_issue: tuple[tuple[str, float], ...] = ()
    if levels is not None:
        by_issue = tuple(
            (axis.name, float(issue_political_cost(axis.values, costs[axis.name])[levels[k]]))
            for k, axis in enumerate(model.tables.grid.axes)
            if axis.name in costs
        )
    agreed = month.reason in (Reason.ACCEPTED, Reason.FAILED_RATIFICATION)
    return Tokyo(
        political_cost=_number(month.row["political_cost"]),
        cost_by_issue=by_issue,
        win_set=float(month.value("win_set")),
        coalition_radius=float(month.value("coalition_radius")),
        formation=float(month.value("formation")),
        divided=bool(month.value("divided")),
        approval=float(month.value("approval")),
        ratification_probability=_number(month.row["ratification_probability"]),
        vote=float(month.value("ratification_draw")) if agreed else None,
        passed=bool(month.row["ratified"]) if agreed else None,
        binding=binding,
        us_belief=float(month.value("us_win_set_bound")),
    )


def _red_lines(month: Month, levels: np.ndarray | None) -> tuple[RedLineStatus, ...]:
    grid = month.model.tables.grid
    names = [axis.name for axis in grid.axes]
    out = []
    for line in month.model.spec.politics.red_lines:
        if line.issue not in names:
            continue
        axis = grid.axes[names.index(line.issue)]
        kept = None
        if levels is not None:
            value = axis.values[[levels[names.index(line.issue)]]]
            kept = bool(red_line_mask(value, line.bound, line.breached_when)[0])
        out.append(
            RedLineStatus(
                line.issue,
                line.bound,
                axis.spec.unit,
                line.breached_when,
                line.announced_round,
                kept,
            )
        )
    return tuple(out)


def _rounds_where(model: NegotiationModel, replicate: int, column: str, before: int) -> list[int]:
    return [t for t in range(1, before) if bool(model.history[t - 1].columns[column][replicate])]


def _not_negotiating(month: Month) -> str:
    """Why there were no talks this month."""
    model, r, t = month.model, month.replicate, month.round_index
    if bool(month.row["deal_in_force"]):
        agreed = _rounds_where(model, r, "ratified", t)
        since = f" (agreed in round {agreed[-1]})" if agreed else ""
        return f"A deal is in force{since}: talks reopen only if the US reverses part of it."
    open_rounds = _rounds_where(model, r, "negotiating", t)
    hazard = share(model.spec.protocol.breakdown_hazard)
    if open_rounds:
        return (
            f"Talks broke down at the end of round {open_rounds[-1]} (a {hazard} risk each "
            "month without a deal): nothing is negotiated any more."
        )
    return "Talks are closed this month."


def _broke_down_now(month: Month) -> bool:
    """Whether this month's talks ended without a deal and collapsed at its end."""
    model, r, t = month.model, month.replicate, month.round_index
    if not month.negotiating or bool(month.row["ratified"]):
        return False
    if t < len(model.history):
        return not bool(model.history[t].columns["negotiating"][r]) and not bool(
            model.history[t].columns["deal_in_force"][r]
        )
    return not bool(model.state.negotiating[r])


def _happenings(month: Month) -> tuple[Happening, ...]:
    model, r, t, row = month.model, month.replicate, month.round_index, month.row
    grid = model.tables.grid
    out = []
    if row["deal_entered"]:
        agreed = _rounds_where(model, r, "ratified", t)
        out.append(
            Happening(
                "deal_entered",
                f"The package agreed in round {agreed[-1] if agreed else t - 1} entered into "
                "force.",
            )
        )
    for event in (e for e in model.events if e.round == t):
        note = f"; {event.note}" if event.note else ""
        summary = EVENT_KINDS[event.kind].summary().rstrip(".")
        out.append(Happening("event", f"Event: {summary} ({event.kind} {event.value:g}{note})."))
    before, after = month.context["before_reversals"][r], month.context["after_reversals"][r]
    hazards = model.us.spec.reversal_hazard  # type: ignore[attr-defined]
    for column, item in enumerate(model.us.reversible):
        if before[item.issue] == after[item.issue]:
            continue
        axis = grid.axes[item.issue]
        gain = float(month.context["reneging_gains"][r, column])
        base = getattr(hazards, REVERSAL_CLASSES[item.reversal_class])
        legal = np.array([month.context["legal_shock"][r]])
        hazard = float(reversal_hazard(base, np.array([gain]), legal, hazards)[0])
        old, new = axis.values[before[item.issue]], axis.values[after[item.issue]]
        walked = change(axis.name, float(old), float(new), axis.spec.unit)
        out.append(
            Happening(
                "reversal",
                f"The US walked back part of the deal, {walked}: that gained the US "
                f"{u(gain)}, and the monthly risk of such a reversal was {share(hazard)}.",
            )
        )
    if t == model.japan.election_round:
        result = "lost" if month.value("divided") else "kept"
        text = f"Upper-house election: the coalition {result} its majority."
        out.append(Happening("election", text))
    if row["leader_changed"]:
        leader = model.tables.type_names[int(month.value("leader"))]
        months = model.spec.politics.election.formation_months
        out.append(
            Happening(
                "new_leader",
                f"Japan has a new leader ({leader}): the new cabinet needs {months} months to "
                "form, so its win-set starts at 0.",
            )
        )
    if row["reopened"]:
        out.append(Happening("reopened", "After the reversal the deal is reopened."))
    if row["tariff_letter"]:
        tariff = grid.axes[grid.tariff]
        level = with_unit(float(row[f"in_force_{tariff.name}"]), tariff.spec.unit)
        chance = share(model.us.spec.tariff_threat.probability)  # type: ignore[attr-defined]
        out.append(
            Happening(
                "tariff_letter",
                f"With no deal, the US sent a tariff letter: the tariff in force is now {level} "
                f"(the letter gains the US {u(float(month.context['letter_gain'][r]))}; one "
                f"comes with a {chance} chance each month).",
            )
        )
    if _broke_down_now(month):
        out.append(Happening("breakdown", "The talks broke down at the end of the month."))
    return tuple(out)


def explain_round(model: NegotiationModel, replicate: int, round_index: int) -> RoundExplanation:
    """Why round ``round_index`` (1-based) of ``replicate`` ended as it did."""
    month = month_of_run(model, replicate, round_index)
    levels = month.offer_levels() if month.negotiating else None
    reason = month.reason
    land = landscape(month) if month.negotiating else None
    changed = flip(month, land) if levels is not None else None
    missing = no_offer(month, land) if land is not None else None
    binding = reason in (Reason.OUTSIDE_WIN_SET, Reason.FAILED_RATIFICATION) or (
        missing is not None and missing.budget_needed is not None
    )
    china = int(month.row["coercion_level"])
    return RoundExplanation(
        scenario=model.spec.name,
        seed=int(model.seeds[replicate]),
        replicate=replicate,
        round=round_index,
        month=month_of(model.spec.protocol.start_month, round_index),
        negotiating=month.negotiating,
        proposer=month.proposer,
        responder=month.responder,
        reason=reason.name,
        reason_label=reason.label,
        offer=package_of(month, levels) if levels is not None else None,
        sides=tuple(_side(month, side, levels) for side in ("japan", "us")),
        tokyo=_tokyo(month, levels, binding),
        red_lines=_red_lines(month, levels),
        flip=changed,
        no_offer=missing,
        not_negotiating="" if month.negotiating else _not_negotiating(month),
        happenings=_happenings(month),
        china_level=china,
        china_level_name=model.spec.china.levels.get(china, ""),
    )


def explain_run(model: NegotiationModel, replicate: int = 0) -> list[RoundExplanation]:
    """Every recorded round of ``replicate``, in order."""
    return [explain_round(model, replicate, t) for t in range(1, len(model.history) + 1)]
