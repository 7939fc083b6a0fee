"""A readable round-by-round account of one replicate, for the terminal or a projector.

Each round says who proposed what (every issue, with units), how the other side responded
and the binding reason with the numbers behind it, what China did, where Japan's politics
stand, what was reversed or threatened, and how markets moved. Then a summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from negosim.core.protocol import Reason
from negosim.outcomes import Columns
from negosim.schema import COERCION_LEVELS

if TYPE_CHECKING:
    from negosim.model import NegotiationModel

SIDE_NAMES = {"us": "United States", "japan": "Japan"}


def _month(start: str, round_index: int) -> str:
    """'2025-02' plus (round - 1) months, as 'Feb 2025'."""
    year, month = (int(part) for part in start.split("-"))
    total = year * 12 + (month - 1) + (round_index - 1)
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{names[total % 12]} {total // 12}"


def _number(value: float) -> str:
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) >= 100 else f"{value:g}"


def _package(model: NegotiationModel, values: dict[str, float]) -> str:
    """Every issue with its unit; ordinal issues also name their level."""
    parts = []
    for axis in model.tables.grid.axes:
        value = values[axis.name]
        text = f"{axis.name} {_number(value)} {axis.spec.unit}"
        if axis.spec.levels and int(value) in axis.spec.levels and value == int(value):
            text += f" ({axis.spec.levels[int(value)]})"
        parts.append(text)
    return "; ".join(parts)


def _response(row: dict[str, float], responder: str) -> str:
    """The response and the numbers that bound it."""
    reason = Reason(int(row["reason"]))
    u, target, reserve = (
        row["responder_utility"],
        row["responder_target"],
        row["responder_reservation"],
    )
    numbers = f"U {u:.3f}, target {target:.3f}, value of no deal {reserve:.3f}"
    if reason in (Reason.BELOW_TARGET, Reason.BELOW_RESERVATION, Reason.ACCEPTED):
        return f"{SIDE_NAMES[responder]}: {reason.label} ({numbers})"
    if reason == Reason.OUTSIDE_WIN_SET:
        return (
            f"{SIDE_NAMES[responder]}: {reason.label} (U {u:.3f} meets target {target:.3f}, "
            f"but political cost {row['political_cost']:.3f} > win-set "
            f"{row['decision_win_set']:.3f})"
        )
    if reason == Reason.FAILED_RATIFICATION:
        return (
            f"{SIDE_NAMES[responder]}: accepted ({numbers}); the Diet failed to ratify "
            f"(P_rat {row['ratification_probability']:.2f}, political cost "
            f"{row['political_cost']:.3f} vs win-set {row['decision_win_set']:.3f})"
        )
    return reason.label


def round_lines(model: NegotiationModel, replicate: int, round_index: int) -> list[str]:
    """The account of one round of one replicate."""
    rec = model.history[round_index - 1]
    row = {name: col[replicate] for name, col in rec.columns.items()}
    # The K Japan's leader and the Diet used at the table (the column is the end of month's).
    used = rec.context.get("win_set", rec.columns["win_set"])
    row["decision_win_set"] = np.asarray(used)[replicate]
    spec = model.spec
    side = ("us", "japan")[int(row["proposer"])]
    responder = "japan" if side == "us" else "us"
    month = _month(spec.protocol.start_month, round_index)
    if row["negotiating"]:
        lines = [f"Round {round_index} ({month}): {SIDE_NAMES[side]} proposes"]
    else:
        lines = [f"Round {round_index} ({month}): no negotiation"]
    if row["negotiating"] and not np.isnan(row["offer_japan_utility"]):
        offer = {a.name: row[f"offer_{a.name}"] for a in model.tables.grid.axes}
        lines.append(f"  offer: {_package(model, offer)}")
        lines.append(
            f"  value: Japan {row['offer_japan_utility']:.3f}, US {row['offer_us_utility']:.3f}"
            f" (proposer's target {row['proposer_target']:.3f})"
        )
    lines.append(f"  response: {_response(row, responder)}")
    level = int(row["coercion_level"])
    lines.append(
        f"  China: level {level} ({spec.china.levels.get(level, '')}); contiguous-zone "
        f"presence {int(row['presence_days'])} d, territorial-sea entries "
        f"{int(row['sea_entries'])}, airspace violations {int(row['airspace_violations'])}"
    )
    leader = model.tables.type_names[int(row["leader"])]
    lines.append(
        f"  Japan: approval {100 * row['approval']:.1f} %, win-set K {row['win_set']:.3f}, "
        f"leader {leader}{' (new)' if row['leader_changed'] else ''}, "
        f"majority {'lost' if row['majority_lost'] else 'held'}; belief the US reverses "
        f"{row['reversal_belief']:.2f}, abandonment {row['abandonment']:.2f}, "
        f"entrapment {row['entrapment']:.2f}"
    )
    happenings = []
    if row["deal_entered"]:
        happenings.append("agreed package entered into force")
    if row["reversals_trade"] or row["reversals_security"]:
        happenings.append(
            f"US reversed {int(row['reversals_trade'])} trade and "
            f"{int(row['reversals_security'])} security item(s)"
        )
    if row["reopened"]:
        happenings.append("deal reopened")
    if row["tariff_letter"]:
        happenings.append(f"US tariff letter (tariff now {row['in_force_tariff']:g} %)")
    if rec.events:
        happenings.append("events: " + "; ".join(rec.events))
    lines.append("  happened: " + (", ".join(happenings) if happenings else "nothing else"))
    lines.append(
        f"  markets: Nikkei {row['nikkei']:,.0f}, USD/JPY {row['usdjpy']:.2f}, "
        f"defense index {row['defense_index']:.1f}, Asia {row['asia']:.1f}"
    )
    return lines


def summary_lines(model: NegotiationModel, summary: Columns, replicate: int) -> list[str]:
    """The run's outcome, benchmarks, politics, China and markets."""
    row = {name: col[replicate] for name, col in summary.items()}
    grid = model.tables.grid
    final = {a.name: row[f"final_{a.name}"] for a in grid.axes}
    deal = bool(row["deal_reached"])
    lines = [
        "Summary",
        f"  deal: {'yes, first in round ' + str(int(row['first_deal_round'])) if deal else 'no'}",
        f"  final package ({row['final_status']}): {_package(model, final)}",
        f"  utilities: Japan {row['japan_utility']:.3f} (no deal "
        f"{row['japan_reservation']:.3f}), US {row['us_utility']:.3f} (no deal "
        f"{row['us_reservation']:.3f})",
        f"  benchmarks: Nash (θ {model.spec.benchmarks.nash_weight_japan:g}) at "
        f"({row['nash_japan_utility']:.3f}, {row['nash_us_utility']:.3f}), distance "
        f"{row['distance_nash']:.3f}; Kalai–Smorodinsky at ({row['ks_japan_utility']:.3f}, "
        f"{row['ks_us_utility']:.3f}), distance {row['distance_ks']:.3f} (over what the Diet "
        f"could ratify); left on the table {row['distance_pareto']:.3f}",
        f"  ratification failures {int(row['ratification_failures'])}; US reversals: "
        f"{int(row['reversals_trade'])} trade, {int(row['reversals_security'])} security",
        f"  Japan: majority {'lost' if row['majority_lost'] else 'held'}, leader "
        f"{'replaced by a ' + str(row['final_leader']) if row['leader_replaced'] else 'kept'},"
        f" final approval {100 * row['final_approval']:.1f} %",
        f"  China: maximum level {int(row['china_max_level'])}; months at levels 0-5: "
        + ", ".join(str(int(row[f"months_at_level_{k}"])) for k in range(COERCION_LEVELS)),
        f"  markets: Nikkei {row['final_nikkei']:,.0f} (max drawdown "
        f"{row['nikkei_max_drawdown']:.1f} %), USD/JPY {row['final_usdjpy']:.2f}, "
        f"defense index {row['final_defense_index']:.1f}",
    ]
    return lines


def account(model: NegotiationModel, summary: Columns, replicate: int = 0) -> str:
    """The whole account of one replicate."""
    spec = model.spec
    header = [
        f"negosim: {spec.name} (seed {model.seeds[replicate]}, {len(model.history)} rounds)",
        "",
    ]
    body: list[str] = []
    for t in range(1, len(model.history) + 1):
        body.extend(round_lines(model, replicate, t))
        body.append("")
    return "\n".join(header + body + summary_lines(model, summary, replicate)) + "\n"
