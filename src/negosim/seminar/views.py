"""What the page shows of a round: the offer on every issue, the response and why, the world.

Plain data (dicts of numbers and words) built from the model's recorded columns, so the
page only lays it out and the tests read the same thing a student sees. The explanation is
the model's recorded reason with the numbers behind it (:mod:`negosim.account`, the same
words as ``negosim run``); a seated person sees only what their side would know.
"""

from __future__ import annotations

import importlib.util
import math
from typing import TYPE_CHECKING, Any

from negosim.account import SIDE_NAMES, _month, round_lines
from negosim.core.protocol import Reason
from negosim.seminar.breakdown import breakdown

if TYPE_CHECKING:
    from negosim.explain.record import RoundExplanation
    from negosim.model import NegotiationModel

#: Reasons the other side can see: a refusal citing the Diet is said out loud (Schelling's
#: tied hands), a failed vote is public; other refusals are just "rejected".
PUBLIC_REASONS = {
    Reason.ACCEPTED,
    Reason.FAILED_RATIFICATION,
    Reason.OUTSIDE_WIN_SET,
    Reason.NO_OFFER,
    Reason.NOT_NEGOTIATING,
}


def _number(value: float, digits: int = 3) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), digits)


def _level_text(axis: Any, value: float) -> str:
    """An issue's value with its unit and, for ordinal issues, the level's name."""
    if math.isnan(value):
        return "—"
    if axis.spec.levels and value == int(value) and int(value) in axis.spec.levels:
        return f"{value:g}: {axis.spec.levels[int(value)]}"
    return f"{value:g} {axis.spec.unit}"


def explain(view: dict, numbers: dict, person: bool = False, proposed: bool = False) -> list[str]:
    """Why the responder answered as it did, with the numbers that bound the answer.

    ``person``: a person in the seat answered, so the model's target is not theirs;
    ``proposed``: a person in the seat made (or withheld) the offer.
    """
    who, reason = view["responder_name"], Reason[view["reason"].upper()]
    u, target = numbers["responder_utility"], numbers["responder_target"]
    reserve = numbers["responder_reservation"]
    if reason == Reason.NOT_NEGOTIATING:
        return ["No talks this month: a deal is in force or pending, or the talks broke down."]
    if reason == Reason.NO_OFFER and proposed:
        return [f"{view['proposer_name']} (the person in the seat) made no offer."]
    if reason == Reason.NO_OFFER:
        return [
            f"{view['proposer_name']} found no package worth its target that it "
            "believed the Diet would pass."
        ]
    if person:
        lines = [f"The offer is worth {u:.3f} to {who}; no deal is worth {reserve:.3f}."]
    else:
        lines = [
            f"{who} values the offer at {u:.3f}; it holds out for {target:.3f} this month "
            f"(its target) and no deal is worth {reserve:.3f} to it."
        ]
    if reason == Reason.BELOW_RESERVATION:
        lines.append(f"Binding: the offer is worth less than no deal ({u:.3f} < {reserve:.3f}).")
    elif reason == Reason.BELOW_TARGET:
        lines.append(f"Binding: the offer is below the target ({u:.3f} < {target:.3f}).")
    elif reason == Reason.DECLINED:
        lines.append("Binding: the person in the seat said no.")
    cost, win = numbers["political_cost"], numbers["win_set"]
    p = numbers["ratification_probability"]
    if cost is not None and win is not None:
        diet = f"In Tokyo: political cost {cost:.3f} against a win-set of {win:.3f}"
        if reason == Reason.OUTSIDE_WIN_SET:
            lines.append(f"Binding: {diet}; the Diet would not pass it, so Japan says no.")
        elif reason in (Reason.ACCEPTED, Reason.FAILED_RATIFICATION) and p is not None:
            verdict = "ratified" if view["ratified"] else "not ratified"
            lines.append(f"{diet}; ratification probability {p:.2f}: {verdict}.")
            if reason == Reason.FAILED_RATIFICATION:
                lines.append("Binding: ratification in Tokyo.")
    return lines


def explained(model: NegotiationModel, round_index: int) -> RoundExplanation | None:
    """:func:`negosim.explain.explain_round` of replicate 0, or None.

    None when that module is not installed (the page then words the recorded reason
    itself, :func:`explain`) or a person in the seat decided the round (their reasons are
    their own).
    """
    if importlib.util.find_spec("negosim.explain") is None:
        return None
    from negosim.explain import ExplanationError, explain_round

    try:
        return explain_round(model, 0, round_index)
    except ExplanationError:
        return None


def full_explanation(explanation: RoundExplanation) -> list[str] | None:
    """The decisive reason and the smallest flipping change, in sentences."""
    lines = [line for line in (explanation.why(), explanation.flip_sentence()) if line]
    return [f"Why: {lines[0]}", *lines[1:]] if lines else None


def round_view(model: NegotiationModel, round_index: int, seat: str | None = None) -> dict:
    """Round ``round_index`` (1-based) of replicate 0, as a seated side would see it.

    ``seat`` None shows everything (the instructor's and the projector's view).
    """
    rec = model.history[round_index - 1]
    row = {name: col[0] for name, col in rec.columns.items()}
    grid, spec = model.tables.grid, model.spec
    proposer = ("us", "japan")[int(row["proposer"])]
    responder = "japan" if proposer == "us" else "us"
    reason = Reason(int(row["reason"]))
    issues = []
    for axis in grid.axes:
        offered = float(row[f"offer_{axis.name}"])
        in_force = float(row[f"in_force_{axis.name}"])
        issues.append(
            {
                "issue": axis.name,
                "unit": axis.spec.unit,
                "offer": _number(offered, 4),
                "offer_text": _level_text(axis, offered),
                "in_force": _number(in_force, 4),
                "in_force_text": _level_text(axis, in_force),
            }
        )
    level = int(row["coercion_level"])
    view: dict[str, Any] = {
        "round": round_index,
        "month": _month(spec.protocol.start_month, round_index),
        "proposer": proposer,
        "proposer_name": SIDE_NAMES[proposer],
        "responder_name": SIDE_NAMES[responder],
        "negotiating": bool(row["negotiating"]),
        "has_offer": not math.isnan(float(row["offer_tariff"])),
        "issues": issues,
        "reason": reason.name.lower(),
        "response": reason.label,
        "accepted": bool(row["accepted"]),
        "ratified": bool(row["ratified"]),
        "deal_in_force": bool(row["deal_in_force"]),
        "events": list(rec.events),
        "china_level": level,
        "china_text": spec.china.levels.get(level, ""),
        "china_seen": f"contiguous-zone presence {int(row['presence_days'])} days, "
        f"{int(row['sea_entries'])} territorial-sea entries, "
        f"{int(row['airspace_violations'])} airspace violations",
        "approval": _number(row["approval"]),
        "nikkei": _number(row["nikkei"], 0),
        "usdjpy": _number(row["usdjpy"], 2),
        "tariff_letter": bool(row["tariff_letter"]),
    }
    numbers = {
        "japan_utility": _number(row["offer_japan_utility"]),
        "us_utility": _number(row["offer_us_utility"]),
        "proposer_target": _number(row["proposer_target"]),
        "responder_utility": _number(row["responder_utility"]),
        "responder_target": _number(row["responder_target"]),
        "responder_reservation": _number(row["responder_reservation"]),
        "political_cost": _number(row["political_cost"]),
        "win_set": _number(row["win_set"]),
        "ratification_probability": _number(row["ratification_probability"]),
    }
    view["account"] = round_lines(model, 0, round_index)
    person = model.seat is not None and round_index in model.seat.responses
    proposed = model.seat is not None and round_index in model.seat.offers
    view["decided_by_person"] = person or proposed
    found = None if person or proposed else explained(model, round_index)
    view["breakdown"] = None if found is None else breakdown(found, seat)
    if seat is None:
        view["numbers"] = numbers
        full = None if found is None else full_explanation(found)
        view["explanation"] = full or explain(view, numbers, person, proposed)
        return view
    view.pop("account")
    own = "japan_utility" if seat == "japan" else "us_utility"
    view["numbers"] = {own: numbers[own]}
    if seat == responder:  # a side knows what no deal is worth to itself
        view["numbers"]["responder_reservation"] = numbers["responder_reservation"]
    if seat == "japan":
        view["numbers"].update(
            political_cost=numbers["political_cost"],
            win_set=numbers["win_set"],
            ratification_probability=numbers["ratification_probability"],
        )
    if seat == responder:
        view["explanation"] = explain(view, numbers, person, proposed)
    elif proposed and reason == Reason.NO_OFFER:
        view["explanation"] = ["You made no offer this month."]
    elif reason in PUBLIC_REASONS:
        view["explanation"] = [f"{SIDE_NAMES[responder]}: {reason.label}"]
    else:
        view["explanation"] = [f"{SIDE_NAMES[responder]}: rejected"]
        view["response"] = "rejected"
        view["reason"] = "rejected"
    return view


def run_status(model: NegotiationModel) -> dict:
    """Where a run stands: round, deal, approval, China (the instructor's list)."""
    if not model.history:
        return {"round": 0, "deal": False, "approval": None, "china_level": None}
    row = {name: col[0] for name, col in model.history[-1].columns.items()}
    return {
        "round": len(model.history),
        "deal": bool(row["deal_in_force"]) or bool(model.state.has_pending[0]),
        "approval": _number(row["approval"]),
        "china_level": int(row["coercion_level"]),
        "tariff": _number(row["in_force_tariff"], 2),
    }
