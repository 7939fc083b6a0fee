"""The student page: settings on the left, the run's controls on top, the round below.

One :class:`StudentPage` per browser tab, over that tab's own session. Every handler runs
through :func:`guarded`, so a bad value or a failure is a message in that tab and never
reaches another session.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from nicegui import Client, ui

from negosim.agents.seat import SeatError
from negosim.scenario import ScenarioError
from negosim.seminar import panels, tabs
from negosim.seminar.breakdown import breakdown_card
from negosim.seminar.server import Seminar, Student
from negosim.seminar.session import SessionError
from negosim.seminar.views import round_view

log = logging.getLogger("negosim.seminar")

SPEEDS = {"slow (2 s a round)": 2.0, "1 s a round": 1.0, "fast (0.3 s)": 0.3}
SEATS = {"model plays both": None, "I play Japan": "japan", "I play the US": "us"}
EXPECTED = (SessionError, ScenarioError, SeatError, ValueError, TypeError, KeyError)


def guarded(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Run a UI handler; any error becomes a message in this tab only."""

    @functools.wraps(handler)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        except EXPECTED as err:
            ui.notify(str(err)[:400], type="negative", multi_line=True)
        except Exception:
            log.exception("seminar handler failed")
            ui.notify("something went wrong; this session is unchanged", type="negative")
        return None

    return run


def add_student_page(seminar: Seminar) -> None:
    """Register ``/``: each visit opens a fresh session."""

    @ui.page("/")
    def student_page(client: Client) -> None:
        student = seminar.open_session(client.id)
        client.on_delete(lambda: seminar.close_session(client.id))
        StudentPage(seminar, student).build()


class StudentPage:
    """The widgets of one tab and the handlers that call its session."""

    def __init__(self, seminar: Seminar, student: Student) -> None:
        self.seminar = seminar
        self.student = student
        self.session = student.session
        self.values: dict[str, Any] = dict(self.session.settings.values)
        self.errors: dict[str, ui.label] = {}
        self.shown = 0

    # -- layout --------------------------------------------------------------------------
    def build(self) -> None:
        """Header (run controls), left drawer (settings), tabs (what the run shows)."""
        ui.query("body").style("font-size: 18px")
        ui.add_css(".q-table td, .q-table th { font-size: 1.05rem !important; }")
        ui.colors(primary="#0072B2", secondary="#D55E00")
        with ui.header().classes("items-center gap-3 py-1 bg-slate-800"):
            ui.label("negosim seminar").classes("text-2xl font-bold")
            ui.label(self.student.label).classes("text-base opacity-70")
            ui.space()
            self.seat_choice = (
                ui.select(list(SEATS), value="model plays both", on_change=self.on_seat)
                .props('dark dense outlined data-testid="seat-choice"')
                .classes("w-48")
            )
            ui.button("Reset", icon="restart_alt", on_click=self.on_reset).props(
                'flat color=white data-testid="reset"'
            )
            ui.button("Step", icon="skip_next", on_click=self.on_step).props(
                'color=white text-color=dark data-testid="step"'
            )
            self.play = ui.button("Play", icon="play_arrow", on_click=self.on_play).props(
                'flat color=white data-testid="play"'
            )
            self.speed = ui.select(list(SPEEDS), value="1 s a round", on_change=self.on_speed)
            self.speed.props("dark dense outlined").classes("w-44")
        with ui.left_drawer(value=True).props("width=370 bordered").classes("bg-grey-1 p-3"):
            self.settings_panel()
        with ui.row().classes("w-full items-center gap-4 no-wrap"):
            self.status = ui.label("").classes("text-xl font-bold whitespace-nowrap")
            self.status.props('data-testid="status"')
            self.scrubber = ui.slider(min=0, max=1, step=1, value=0, on_change=self.on_scrub)
            self.scrubber.props('label-always markers snap data-testid="scrubber"')
            self.scrubber.classes("grow")
            ui.button("Play on from here", on_click=self.on_back).props(
                'outline data-testid="back-to"'
            )
        with ui.tabs().classes("w-full text-lg") as tab_bar:
            names = ["Round", "Charts", "Briefs", "Events", "Compare", "Scenario", "Download"]
            tab_items = {name: ui.tab(name).props(f'data-testid="tab-{name}"') for name in names}
        self.tab_items = tab_items
        with ui.tab_panels(
            tab_bar, value=tab_items["Round"], on_change=guarded(self.on_tab)
        ).classes("w-full"):
            with ui.tab_panel(tab_items["Round"]):
                self.round_panel()
            with ui.tab_panel(tab_items["Charts"]):
                self.charts = tabs.ChartsPanel(self.session)
            with ui.tab_panel(tab_items["Briefs"]):
                self.briefs = tabs.briefs_tab(self.session)
            with ui.tab_panel(tab_items["Events"]):
                tabs.events_tab(self.session, guarded(self.after_event))
            with ui.tab_panel(tab_items["Compare"]):
                tabs.compare_tab(self.session)
            with ui.tab_panel(tab_items["Scenario"]):
                tabs.scenario_tab(self.session, guarded(self.after_new_scenario))
            with ui.tab_panel(tab_items["Download"]):
                tabs.download_tab(self.session)
        self.timer = ui.timer(SPEEDS["1 s a round"], guarded(self.on_tick), active=False)
        self.refresh()

    def settings_panel(self) -> None:
        """Preset, seed, rounds and every control; errors shown beside their field."""
        library = self.seminar.library
        ui.label("Scenario").classes("text-xl font-bold")
        self.preset = (
            ui.select(library.names(), value=self.session.settings.source, on_change=self.on_preset)
            .classes("w-full")
            .props('dense data-testid="preset"')
        )
        self.preset_text = ui.label("").classes("text-sm text-grey-8")
        with ui.row().classes("w-full no-wrap"):
            self.seed = ui.number("seed", value=self.session.settings.seed, format="%d")
            self.seed.classes("w-1/2").props('dense data-testid="seed"')
            self.rounds = ui.number("rounds", value=self.session.settings.rounds, format="%d")
            self.rounds.classes("w-1/2").props('dense data-testid="rounds"')
        self.errors["seed"] = ui.label("").classes("text-negative text-sm")
        self.errors["rounds"] = ui.label("").classes("text-negative text-sm")
        self.controls_box = ui.column().classes("w-full gap-0")
        self.fill_controls()
        self.general_error = ui.label("").classes("text-negative text-sm")
        ui.button("Apply settings and restart", icon="check", on_click=self.on_apply).classes(
            "w-full"
        ).props('data-testid="apply"')

    def fill_controls(self) -> None:
        """(Re)build the controls for the session's scenario."""
        self.controls_box.clear()
        self.values = dict(self.session.settings.values)
        self.preset_text.set_text(self._describe())
        with self.controls_box:
            panels.controls_panel(self.session.controls, self.values, self.errors, self.on_value)
        for label in self.errors.values():
            label.visible = False

    def _describe(self) -> str:
        source = self.session.settings.source
        if source in self.seminar.library:
            return self.seminar.library[source].description
        return f"{source}: {self.session.base.spec.description}"

    @ui.refreshable_method
    def round_panel(self) -> None:
        """The shown round: the offer, the response and why; the seat; the debrief."""
        session = self.session
        if session.seat is not None:
            self.seat_section()
        if self.shown == 0:
            start = "decide above" if session.seat is not None else "press Step (or Play)"
            ui.label(f"Round 0: nothing played yet; {start} to start the negotiation.").classes(
                "text-xl"
            )
            return
        view = round_view(session.model, self.shown, session.seat.side if session.seat else None)
        with ui.row().classes("w-full no-wrap gap-4 items-start"):
            with ui.column().classes("w-3/5 gap-2"):
                title = f"Round {view['round']} ({view['month']}): "
                title += (
                    f"{view['proposer_name']} proposes"
                    if view["negotiating"]
                    else "no negotiation this month"
                )
                ui.label(title).classes("text-2xl font-bold").props('data-testid="round-title"')
                panels.offer_table(view)
                if view["breakdown"] is not None:
                    breakdown_card(view["breakdown"])
                panels.world_card(view)
            with ui.column().classes("w-2/5 gap-2"):
                panels.response_card(view)

    def seat_section(self) -> None:
        """The seated person's decision, or their debrief once the run is over."""
        session = self.session
        seat = session.seat
        assert seat is not None
        if session.finished:
            ui.label("Debrief: your decisions and the model's own").classes("text-xl font-bold")
            panels.debrief_table(tabs.debrief_rows(session))
            return
        if self.shown != session.round:
            return
        turn = session.seat_turn()
        table = round_view(session.preview(), session.round + 1, seat.side)
        panels.seat_panel(
            turn,
            seat.side,
            table,
            tabs.offer_sliders(session),
            guarded(self.on_offer),
            guarded(self.on_answer),
        )

    def refresh(self) -> None:
        """Status line, scrubber and round panel after anything changed."""
        session = self.session
        self.shown = min(self.shown, session.round)
        state = "over" if session.finished else "running"
        self.status.set_text(f"Round {session.round} of {session.model.rounds} · {state}")
        self.scrubber.props(f"max={max(session.round, 1)}")
        self.scrubber.set_value(self.shown)
        self.round_panel.refresh()
        self.charts.changed()

    # -- handlers ------------------------------------------------------------------------
    def on_tab(self, event: Any) -> None:
        """Charts are drawn only while their tab is open."""
        value = getattr(event.value, "_props", {}).get("name", event.value)
        self.charts.show(value == "Charts")

    @guarded
    def on_step(self) -> None:
        """Play one round (a seated person decides through the seat panel instead)."""
        session = self.session
        if session.seat is not None and session.seat_turn() is not None:
            ui.notify("Your move: decide in the panel below", type="warning")
            return
        if not session.step():
            ui.notify("The run is over: Reset, or go back to an earlier round", type="info")
        self.shown = session.round
        self.refresh()

    def on_tick(self) -> None:
        """Play's clock: a round per tick until the end or the seated person's turn."""
        session = self.session
        if session.finished or (session.seat is not None and session.seat_turn() is not None):
            self.stop_playing()
            self.refresh()
            return
        session.step()
        self.shown = session.round
        self.refresh()

    @guarded
    def on_play(self) -> None:
        """Start or pause the clock."""
        if self.timer.active:
            self.stop_playing()
        else:
            self.timer.activate()
            self.play.set_text("Pause")
            self.play.props("icon=pause")

    def stop_playing(self) -> None:
        """Pause the clock."""
        self.timer.deactivate()
        self.play.set_text("Play")
        self.play.props("icon=play_arrow")

    @guarded
    def on_speed(self, event: Any) -> None:
        """Seconds per round while playing."""
        self.timer.interval = SPEEDS.get(event.value, 1.0)

    @guarded
    def on_reset(self) -> None:
        """Back to round 0 with the current settings."""
        self.stop_playing()
        self.session.reset()
        self.shown = 0
        self.refresh()

    @guarded
    def on_scrub(self, event: Any) -> None:
        """Show an earlier round of the current run."""
        value = int(event.value or 0)
        self.shown = max(0, min(value, self.session.round))
        self.round_panel.refresh()

    @guarded
    def on_back(self) -> None:
        """Go back to the shown round and play on from there."""
        self.stop_playing()
        self.session.back_to(self.shown)
        self.refresh()

    @guarded
    def on_seat(self, event: Any) -> None:
        """Take or leave a seat; the run starts over."""
        self.stop_playing()
        self.session.take_seat(SEATS.get(event.value))
        self.shown = 0
        self.briefs.refresh()
        self.refresh()

    def on_offer(self, offer: dict[str, float] | None) -> None:
        """The seated person proposes (or makes no offer); the round is played."""
        self.session.decide(offer=offer)
        self.shown = self.session.round
        self.refresh()

    def on_answer(self, accept: bool) -> None:
        """The seated person answers the offer; the round is played."""
        self.session.decide(accept=accept)
        self.shown = self.session.round
        self.refresh()

    def on_value(self, path: str, value: Any) -> None:
        """Remember a control's value until Apply."""
        self.values[path] = value

    @guarded
    def on_apply(self) -> None:
        """Apply settings; show each problem beside its control."""
        self.stop_playing()
        for label in self.errors.values():
            label.visible = False
        self.general_error.set_text("")
        problems = self.session.apply(self.values, self.seed.value, self.rounds.value)
        for path, message in problems.items():
            if path in self.errors:
                self.errors[path].set_text(message)
                self.errors[path].visible = True
            else:
                self.general_error.set_text(f"{self.general_error.text}{path}: {message}\n")
        if problems:
            ui.notify(f"{len(problems)} setting(s) to fix (shown in red)", type="negative")
            return
        ui.notify("Settings applied: the run starts over", type="positive")
        self.shown = 0
        self.briefs.refresh()
        self.refresh()

    @guarded
    def on_preset(self, event: Any) -> None:
        """Start over from another preset."""
        if event.value == self.session.settings.source:
            return
        self.stop_playing()
        self.session.choose_preset(event.value)
        self.after_new_scenario()

    def after_new_scenario(self) -> None:
        """Controls, seed and rounds follow the new scenario."""
        self.seed.set_value(self.session.settings.seed)
        self.rounds.set_value(self.session.settings.rounds)
        self.fill_controls()
        self.seat_choice.set_value("model plays both")
        self.shown = 0
        self.briefs.refresh()
        self.refresh()

    def after_event(self) -> None:
        """An injected event is listed at the next round."""
        self.refresh()
