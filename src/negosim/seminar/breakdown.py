"""The numbers behind a round's decision, for the page's Round tab.

Each side's utility of the offer by issue, its target and its value of no deal, and whether
ratification in Tokyo bound: built from :func:`negosim.explain.explain_round` (the same
numbers as ``negosim run --explain``) as plain data a test can read, then laid out as one
card (NiceGUI is imported only for that). A seated person sees only their own side's
column (their own utility, target and value of no deal are known to them; the other side's
are not) and, playing Japan, the Diet's numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from negosim.explain.record import RoundExplanation


def _mark(value: bool | None) -> str:
    return "" if value is None else (" met" if value else " not met")


def breakdown(explanation: RoundExplanation, seat: str | None = None) -> dict[str, Any]:
    """Rows per issue and per total, one column per side shown; the Tokyo line."""
    sides = [s for s in explanation.sides if seat is None or s.side == seat]
    issues = [c.issue for c in sides[0].issues] if sides else []
    rows: list[dict[str, str]] = []
    for k, issue in enumerate(issues):
        row = {"item": issue.replace("_", " ")}
        for side in sides:
            part = side.issues[k]
            row[side.side] = f"{part.value:.3f} of {part.most:.3f}"
        rows.append(row)
    security = next((s.security for s in sides if s.security is not None), None)
    if security is not None:
        worth = f"{security.value:.3f} of {security.best:.3f}"
        rows.append({"item": "security (Japan only)", "japan": worth})
    totals = (
        ("total", lambda s: "—" if s.utility is None else f"{s.utility:.3f}"),
        ("target this month", lambda s: _value(s.target) + _mark(s.meets_target)),
        ("value of no deal", lambda s: _value(s.reservation) + _mark(s.meets_reservation)),
    )
    for label, cell in totals:
        rows.append({"item": label, **{s.side: cell(s) for s in sides}})
    tokyo = explanation.tokyo
    view: dict[str, Any] = {"sides": [s.side for s in sides], "rows": rows, "tokyo": None}
    if seat in (None, "japan") and tokyo.political_cost is not None:
        p = tokyo.ratification_probability
        shown = "" if p is None else ("<1" if 0 < p < 0.005 else f"{100 * p:.0f}")
        chance = f"; chance the Diet ratifies {shown} %" if shown else ""
        inside = "inside" if tokyo.inside_win_set else "outside"
        view["tokyo"] = (
            f"Tokyo: political cost {tokyo.political_cost:.3f}, {inside} the win-set "
            f"K = {tokyo.win_set:.3f} (approval {100 * tokyo.approval:.1f} %){chance}. "
            + (
                "Ratification bound: it decided this round."
                if tokyo.binding
                else "Ratification did not bind this round."
            )
        )
    return view


def _value(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def breakdown_card(view: dict[str, Any]) -> None:
    """The table of :func:`breakdown`: issue by issue, then total, target and no deal."""
    from nicegui import ui

    from negosim.seminar.panels import GROUPS, SIDE_COLOUR

    columns = [{"name": "item", "label": "issue", "field": "item", "align": "left"}]
    for side in view["sides"]:
        label = f"to {GROUPS[side]}"
        columns.append({"name": side, "label": label, "field": side, "align": "left"})
    with ui.card().classes("w-full gap-1").props('data-testid="breakdown"'):
        ui.label("What the offer is worth (0 = each side's worst package, 1 = its best)").classes(
            "text-base text-grey-8"
        )
        table = ui.table(columns=columns, rows=view["rows"], row_key="item")
        table.props("flat dense hide-bottom").classes("w-full text-base")
        for side in view["sides"]:
            table.add_slot(
                f"header-cell-{side}",
                f'<q-th :props="props" style="color:{SIDE_COLOUR[side]}">'
                "{{ props.col.label }}</q-th>",
            )
        if view["tokyo"]:
            ui.label(view["tokyo"]).classes("text-base").style(f"color:{SIDE_COLOUR['japan']}")
