"""Panels of the student page: the controls, the round on the table, the seat, the debrief.

Each function lays out data built by the package (:mod:`negosim.seminar.views`,
:mod:`negosim.seminar.controls`) with NiceGUI elements; none computes anything of the model.
Sizes are for a 1280×720 projector read from the back of a room (18 px body text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from negosim.seminar.controls import Control

GROUPS = {"japan": "Japan", "us": "United States", "china": "China"}
SIDE_COLOUR = {
    "japan": "#D55E00",
    "us": "#0072B2",
    "china": "#A0507F",
}  # Okabe-Ito, China darkened for text


def _fmt(value: Any, unit: str = "") -> str:
    if isinstance(value, float):
        text = f"{value:.3g}" if abs(value) < 10 else f"{value:,.4g}"
    else:
        text = str(value)
    return f"{text} {unit}".strip()


def controls_panel(
    controls: list[Control],
    values: dict[str, Any],
    errors: dict[str, ui.label],
    on_change: Callable[[str, Any], None],
) -> None:
    """Sliders and choices by side; ``errors`` receives one (hidden) error label per control."""
    for group, title in GROUPS.items():
        mine = [c for c in controls if c.group == group]
        with (
            ui.expansion(title, value=group == "china")
            .classes("w-full")
            .props(
                f"dense header-class='text-lg font-bold' header-style='color:{SIDE_COLOUR[group]}'"
            )
        ):
            for control in mine:
                _control(control, values[control.path], errors, on_change)


def _control(
    control: Control,
    value: Any,
    errors: dict[str, ui.label],
    on_change: Callable[[str, Any], None],
) -> None:
    with ui.column().classes("w-full gap-0 mb-1"):
        if control.is_choice:
            ui.select(
                list(control.options),
                value=value,
                label=control.label,
                on_change=lambda e, c=control: on_change(c.path, e.value),
            ).classes("w-full").props("dense options-dense").props(f'data-testid="{control.path}"')
        else:
            shown = ui.label(f"{control.label}: {_fmt(value, control.unit)}").classes("text-base")
            ui.slider(
                min=control.low,
                max=control.high,
                step=control.step,
                value=value,
                on_change=lambda e, c=control, s=shown: (
                    s.set_text(f"{c.label}: {_fmt(e.value, c.unit)}"),
                    on_change(c.path, e.value),
                ),
            ).props("dense").props(f'data-testid="{control.path}"')
        errors[control.path] = (
            ui.label("")
            .classes("text-negative text-sm")
            .props(f'data-testid="error:{control.path}"')
        )
        errors[control.path].visible = False


def offer_table(view: dict) -> None:
    """Every issue: the offer on the table and the package in force."""
    rows = [
        {
            "issue": i["issue"].replace("_", " "),
            "offer": i["offer_text"],
            "force": i["in_force_text"],
        }
        for i in view["issues"]
    ]
    columns = [
        {"name": "issue", "label": "issue", "field": "issue", "align": "left"},
        {
            "name": "offer",
            "label": f"offer by {view['proposer_name']}",
            "field": "offer",
            "align": "left",
        },
        {
            "name": "force",
            "label": "in force at the end of the month",
            "field": "force",
            "align": "left",
        },
    ]
    ui.table(columns=columns, rows=rows, row_key="issue").props(
        "flat bordered dense wrap-cells hide-bottom"
    ).classes("w-full text-lg").props('data-testid="offer-table"')


def response_card(view: dict) -> None:
    """The response and why: the responder's numbers and the constraint that bound."""
    colour = "positive" if view["ratified"] else ("warning" if view["accepted"] else "negative")
    if not view["negotiating"]:
        colour = "grey-7"
    with ui.card().classes("w-full").props('data-testid="response"'):
        ui.label(f"{view['responder_name']}: {view['response']}").classes(
            f"text-xl font-bold text-{colour}"
        ).props('data-testid="response-text"')
        for line in view["explanation"]:
            bold = line.startswith(("Binding", "Why"))
            weight = "text-lg font-bold" if bold else "text-lg"
            ui.label(line).classes(weight).props('data-testid="explanation"')


def world_card(view: dict) -> None:
    """China, Japan's politics, markets and events of the month, in one line each."""
    with ui.card().classes("w-full gap-1"):
        china = f"China: level {view['china_level']} — {view['china_text']}"
        ui.label(china).classes("text-lg font-bold").style(f"color:{SIDE_COLOUR['china']}")
        ui.label(view["china_seen"]).classes("text-base")
        if view["approval"] is not None:
            text = f"End of the month: Japan's cabinet approval {100 * view['approval']:.1f} %"
            if view["numbers"].get("win_set") is not None:
                text += f", the Diet's win-set {view['numbers']['win_set']:.3f}"
            ui.label(text).classes("text-lg").style(f"color:{SIDE_COLOUR['japan']}")
        markets = f"Nikkei {view['nikkei']:,.0f} · USD/JPY {view['usdjpy']:.2f}"
        ui.label(markets).classes("text-lg")
        if view["events"]:
            ui.label("Events: " + "; ".join(view["events"])).classes("text-lg text-warning")
        if view["tariff_letter"]:
            ui.label("The US sent a tariff letter this month").classes("text-lg text-negative")


WORDS = {
    "japan_utility": "worth to you (0-1)",
    "us_utility": "worth to you (0-1)",
    "political_cost": "its political cost at home",
    "win_set": "the Diet's win-set",
    "ratification_probability": "chance the Diet ratifies",
    "responder_reservation": "no deal is worth to you",
}


def _share(p: float) -> str:
    """A probability in whole per cent, '<1 %' rather than a misleading '0 %'."""
    return "<1 %" if 0 < p < 0.005 else f"{100 * p:.0f} %"


def seat_panel(
    turn: str | None,
    side: str,
    offer_on_table: dict | None,
    issues: list[dict],
    on_offer: Callable[[dict[str, float] | None], None],
    on_answer: Callable[[bool], None],
) -> None:
    """The person's decision for the next round: a package to propose, or an answer."""
    name = GROUPS[side]
    card = ui.card().classes("w-full gap-2").style(f"border-left: 8px solid {SIDE_COLOUR[side]}")
    with card.props('data-testid="seat"'):
        if turn is None:
            ui.label(f"You play {name}. Nothing to decide this round: press Step.").classes(
                "text-lg"
            )
            return
        if turn == "respond" and offer_on_table is not None:
            ui.label(
                f"You play {name}. Round {offer_on_table['round']}: "
                f"{offer_on_table['proposer_name']} offers"
            ).classes("text-xl font-bold")
            with ui.grid(columns=2).classes("w-full gap-x-6 gap-y-1"):
                for item in offer_on_table["issues"]:
                    ui.label(item["issue"].replace("_", " ")).classes("text-lg text-grey-8")
                    ui.label(item["offer_text"]).classes("text-lg font-bold")
            numbers = offer_on_table["numbers"]
            facts = []
            for key, value in numbers.items():
                if value is None:
                    continue
                shown = _share(value) if key == "ratification_probability" else f"{value:.3f}"
                facts.append(f"{WORDS.get(key, key)} {shown}")
            ui.label(" · ".join(facts)).classes("text-lg")
            with ui.row():
                ui.button("Accept", on_click=lambda: on_answer(True), color="positive").props(
                    'size=lg data-testid="accept"'
                )
                ui.button("Reject", on_click=lambda: on_answer(False), color="negative").props(
                    'size=lg data-testid="reject"'
                )
            return
        ui.label(f"You play {name}: propose a package").classes("text-xl font-bold")
        chosen: dict[str, float] = {}
        with ui.grid(columns=2).classes("w-full gap-x-8 gap-y-0"):
            for item in issues:
                chosen[item["issue"]] = item["value"]
                with ui.column().classes("gap-0"):
                    words = item["issue"].replace("_", " ")
                    label = ui.label(f"{words}: {item['value']:g} {item['unit']}").classes(
                        "text-lg"
                    )
                    ui.slider(
                        min=item["min"],
                        max=item["max"],
                        step=item["step"],
                        value=item["value"],
                        on_change=lambda e, i=item, lab=label, w=words: (
                            chosen.__setitem__(i["issue"], e.value),
                            lab.set_text(f"{w}: {e.value:g} {i['unit']}"),
                        ),
                    ).props(f'dense data-testid="seat:{item["issue"]}"')
        with ui.row():
            ui.button("Propose", on_click=lambda: on_offer(dict(chosen))).props(
                'size=lg data-testid="propose"'
            )
            ui.button("Make no offer", on_click=lambda: on_offer(None)).props("flat size=lg")


def debrief_table(rows: list[dict]) -> None:
    """Each round the person decided: their decision beside the model's own."""
    columns = [
        {"name": "round", "label": "round", "field": "round", "align": "left"},
        {"name": "you", "label": "you decided", "field": "you", "align": "left"},
        {
            "name": "model",
            "label": "the model's negotiator would have",
            "field": "model",
            "align": "left",
        },
    ]
    ui.table(columns=columns, rows=rows, row_key="round").props(
        "flat bordered dense wrap-cells hide-bottom"
    ).classes("w-full text-base").props('data-testid="debrief"')
