"""The student page's tabs besides the round: charts, briefs, events, compare, scenario, files.

Each tab lays out what a package function returns and hands its buttons to the session;
long work (the 1,000-run comparison) runs off the event loop so other tabs stay live.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from nicegui import background_tasks, run, ui

from negosim.core.protocol import Reason
from negosim.scenario import ScenarioError
from negosim.seminar import compare as comparing
from negosim.seminar.briefs import brief, brief_html
from negosim.seminar.export import file_stem, run_csv, run_json
from negosim.seminar.session import SeminarSession, SessionError
from negosim.seminar.uploads import MAX_UPLOAD_BYTES

#: The instructor's events: (button, event kind, value or the scenario field giving it).
INSTRUCTOR_EVENTS: tuple[tuple[str, str, float | str], ...] = (
    ("Taiwan statement by Japan's leader", "taiwan_statement", 1.0),
    ("US tariff letter", "tariff_letter", "agents.us.tariff_threat.level"),
    ("Court ruling against the tariffs", "legal_shock", 1.0),
    ("Coalition collapse in Tokyo", "coalition_collapse", "politics.election.margin_after_loss"),
    ("Collision at sea", "collision_at_sea", 5.0),
)


class ChartsPanel:
    """The charts of ``negosim plot`` for the run so far, redrawn off the event loop.

    Drawing five charts takes a second or two, so it happens only while the tab is open,
    in a worker thread; a round played meanwhile marks the charts stale and they are drawn
    again once the current drawing is done.
    """

    def __init__(self, session: SeminarSession) -> None:
        self.session = session
        self.visible = False
        self.busy = False
        self.stale = True
        from negosim.seminar.charts import CHARTS

        self.images: dict[str, str] = {}
        titles = {title: stem for stem, title in CHARTS}
        self.pick = ui.toggle(
            list(titles), value=CHARTS[0][1], on_change=lambda e: self._show(titles[e.value])
        ).props("no-caps")
        self.note = ui.label("").classes("text-base text-grey-8")
        self.image = ui.image("").classes("w-full").style("max-width: 1100px")
        self.image.props('data-testid="chart"')
        self.titles = titles

    def show(self, visible: bool) -> None:
        """The tab was opened (True) or left (False)."""
        self.visible = visible
        if visible and self.stale:
            self.redraw()

    def changed(self) -> None:
        """The run moved: redraw now if the tab is open, else when it is opened."""
        self.stale = True
        if self.visible:
            self.redraw()

    def redraw(self) -> None:
        """Start drawing unless a drawing is under way (it will draw again when done)."""
        if not self.busy:
            background_tasks.create(self._draw(), name="seminar-charts")

    async def _draw(self) -> None:
        from negosim.seminar.charts import CHARTS, run_charts

        self.busy = True
        try:
            while self.stale:
                self.stale = False
                at = self.session.round
                self.note.set_text(f"drawing the charts of rounds 1-{at} …")
                images = await run.io_bound(run_charts, self.session)
                self.images = {
                    stem: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
                    for stem, png in images.items()
                }
                self._show(self.titles[self.pick.value] if self.pick.value else CHARTS[0][0])
                self.note.set_text(
                    f"Rounds 1-{at}, drawn by the functions of negosim plot."
                    if images
                    else "Play a round to draw the charts."
                )
        finally:
            self.busy = False

    def _show(self, stem: str) -> None:
        self.image.set_source(self.images.get(stem, ""))
        self.image.props(f'data-stem="{stem}"')


def briefs_tab(session: SeminarSession) -> Any:
    """The confidential briefs: only the seated side's, or both for the projector.

    Returns the refreshable the page calls when the settings or the seat change.
    """
    ui.add_css(".brief h1 {font-size: 1.9rem; line-height: 1.2} .brief h2 {font-size: 1.4rem}")

    @ui.refreshable
    def show() -> None:
        sides = [session.seat.side] if session.seat else ["japan", "us"]
        for side in sides:
            with ui.card().classes("w-full"):
                ui.markdown(brief(session.scenario, side)).classes("text-lg brief")  # type: ignore[arg-type]
                ui.button(
                    "Download printable brief",
                    icon="print",
                    on_click=lambda s=side: ui.download.content(
                        brief_html(session.scenario, s).encode("utf-8"),  # type: ignore[arg-type]
                        f"{file_stem(session)}_brief_{s}.html",
                        "text/html",
                    ),
                ).props(f'outline data-testid="brief-{side}"')

    show()
    return show


def event_value(session: SeminarSession, value: float | str) -> float:
    """An instructor event's value: a number, or read from the scenario's own field."""
    if isinstance(value, str):
        node: Any = session.scenario.resolved
        for part in value.split("."):
            node = node[part]
        return float(node)
    return value


def events_tab(session: SeminarSession, after: Callable[[], None]) -> None:
    """Buttons for the instructor's events at the next round, and a custom event."""
    from negosim.core.events import EVENT_KINDS

    ui.label("Inject an event at the next round").classes("text-xl font-bold")

    def inject(kind: str, value: float | str, note: str) -> None:
        try:
            event = session.inject(kind, event_value(session, value), note)
        except SessionError as err:
            ui.notify(str(err), type="negative")
            return
        ui.notify(f"round {event.round}: {note or kind}", type="warning")
        after()

    with ui.row().classes("gap-2"):
        for label, kind, value in INSTRUCTOR_EVENTS:
            ui.button(label, on_click=lambda k=kind, v=value, n=label: inject(k, v, n)).props(
                f'color=warning text-color=dark data-testid="event-{kind}"'
            )
    with ui.row().classes("items-end gap-2"):
        kind = ui.select(EVENT_KINDS.names(), value="approval_shock", label="kind").classes("w-56")
        value = ui.number("value", value=-0.05).classes("w-32")
        ui.button("Inject", on_click=lambda: inject(kind.value, value.value, "")).props("outline")
    ui.label("negosim list describes each kind and the values it accepts.").classes("text-sm")


def compare_tab(session: SeminarSession) -> None:
    """1,000 runs of the current settings over the baseline's 1,000, on the same seeds."""
    result = ui.column().classes("w-full")

    async def go() -> None:
        result.clear()
        with result:
            ui.spinner(size="lg")
        baseline = session.library[session.library.first].scenario
        current = session.scenario

        def work() -> tuple[list[comparing.Row], bytes, float]:
            from negosim.seminar.compare_chart import comparison_png

            base = comparing.baseline_distribution(baseline)
            (now, seconds) = comparing.timed(lambda: comparing.distribution(current))
            rows = comparing.compare(now, base)  # type: ignore[arg-type]
            png = comparison_png(now, base, f"{session.settings.source}, seeds 0-999")  # type: ignore[arg-type]
            return rows, png, seconds

        rows, png, seconds = await run.io_bound(work)
        result.clear()
        with result:
            ui.label(
                f"Current settings vs {session.library.first}: 1,000 runs each on seeds "
                f"0-999 ({seconds:.1f} s)"
            ).classes("text-lg")
            ui.table(
                columns=[
                    {"name": k, "label": k, "field": k, "align": "left"}
                    for k in ("outcome", "baseline", "current", "difference (95 % CI)")
                ],
                rows=[
                    {
                        "outcome": f"{r.label} [{r.unit}]",
                        "baseline": f"{r.baseline:.3g}",
                        "current": f"{r.current:.3g}",
                        "difference (95 % CI)": f"{r.difference:+.3g} "
                        f"({r.low:+.3g} to {r.high:+.3g})",
                    }
                    for r in rows
                ],
                row_key="outcome",
            ).props('flat bordered dense hide-bottom data-testid="compare-table"').classes(
                "w-full text-base"
            )
            data = base64.b64encode(png).decode("ascii")
            ui.image(f"data:image/png;base64,{data}").classes("w-full").props(
                'data-testid="compare-chart"'
            )

    ui.button("Compare with baseline (1,000 runs)", icon="compare", on_click=go).props(
        'data-testid="compare"'
    )
    ui.label(
        "Runs the current settings (the controls as applied) 1,000 times and draws each "
        "main outcome over the baseline's distribution."
    ).classes("text-base")


def scenario_tab(session: SeminarSession, after: Callable[[], None]) -> None:
    """Upload a scenario file or edit the current one; problems are marked on their line."""
    ui.label("Upload a scenario file, or edit this one").classes("text-xl font-bold")
    problems_box = ui.column().classes("w-full gap-0")

    def use(raw: bytes, name: str) -> None:
        problems_box.clear()
        try:
            session.upload(raw, name)
        except ScenarioError as err:
            marks = []
            lines = editor.value.splitlines(keepends=True)
            with problems_box:
                for p in err.problems:
                    where = f"line {p.line} · " if p.line else ""
                    text = f"{where}{p.path or 'file'}: {p.message}"
                    text += f" (given {p.given})" if p.given else ""
                    text += f" (allowed: {p.allowed})" if p.allowed else ""
                    ui.label(text).classes("text-negative").props('data-testid="problem"')
                    if p.line and name == "edited.yaml" and p.line <= len(lines):
                        end = sum(len(x) for x in lines[: p.line]) - 1
                        marks.append({"kind": "line", "line": p.line, "class": "bg-red-100"})
                        marks.append(
                            {
                                "kind": "widget",
                                "position": max(end, 0),
                                "text": f"   ⟵ {p.message}",
                                "side": 1,
                            }
                        )
            editor.decorations = marks
            ui.notify(f"{len(err.problems)} problem(s): nothing changed", type="negative")
            return
        editor.decorations = []
        ui.notify(f"{name}: valid, now in use", type="positive")
        after()

    async def uploaded(event: Any) -> None:
        if event.file.size() > MAX_UPLOAD_BYTES:
            ui.notify(f"too large: at most {MAX_UPLOAD_BYTES:,} bytes", type="negative")
            return
        use(await event.file.read(), event.file.name)

    ui.upload(
        on_upload=uploaded, auto_upload=True, max_file_size=MAX_UPLOAD_BYTES, label="scenario .yaml"
    ).props('accept=".yaml,.yml" data-testid="upload"').classes("w-96")
    editor = ui.codemirror(session.base.text, language="YAML").classes("w-full h-96")
    editor.props('data-testid="editor"')
    ui.button(
        "Check and use the edited scenario",
        on_click=lambda: use(editor.value.encode("utf-8"), "edited.yaml"),
    ).props('data-testid="use-edited"')


def download_tab(session: SeminarSession) -> None:
    """The run so far as CSV and JSON."""
    ui.label("Download the run so far").classes("text-xl font-bold")

    async def send(kind: str) -> None:
        from negosim.seminar.charts import run_report_html

        makers = {"csv": run_csv, "json": run_json, "html": run_report_html}
        try:
            data = await run.io_bound(makers[kind], session)
        except ValueError as err:
            ui.notify(str(err), type="warning")
            return
        media = {"csv": "text/csv", "json": "application/json", "html": "text/html"}[kind]
        ui.download.content(data, f"{file_stem(session)}.{kind}", media)

    with ui.row():
        ui.button("Rounds (CSV)", icon="download", on_click=lambda: send("csv")).props(
            'data-testid="download-csv"'
        )
        ui.button("Whole run (JSON)", icon="download", on_click=lambda: send("json")).props(
            'data-testid="download-json"'
        )
        ui.button("Report (HTML)", icon="description", on_click=lambda: send("html")).props(
            'data-testid="download-html"'
        )
    ui.label(
        "The report is what negosim report writes for the run so far: provenance, the "
        "charts, the outcomes and the round-by-round account, in one file that opens offline "
        "and prints well."
    ).classes("text-base text-grey-8")


def offer_sliders(session: SeminarSession) -> list[dict]:
    """One slider per issue for the seated person's package, starting at what is in force."""
    grid = session.model.tables.grid
    in_force = grid.values(session.model.state.levels)[0]
    return [
        {
            "issue": axis.name,
            "unit": axis.spec.unit,
            "min": axis.spec.min,
            "max": axis.spec.max,
            "step": axis.spec.step,
            "value": float(in_force[i]),
        }
        for i, axis in enumerate(grid.axes)
    ]


def debrief_rows(session: SeminarSession) -> list[dict]:
    """Each round the person decided, beside what the model's negotiator would have done."""
    seat = session.seat
    if seat is None:
        return []
    grid = session.model.tables.grid

    def package(levels: tuple[int, ...] | None) -> str:
        if levels is None:
            return "no offer"
        return "; ".join(
            f"{axis.name.replace('_', ' ')} {axis.values[level]:g}"
            for axis, level in zip(grid.axes, levels, strict=True)
        )

    rows = []
    for t in sorted(set(seat.offers) | set(seat.responses)):
        if t in seat.offers:
            you = "proposed " + package(seat.offers[t])
            model = "proposed " + package(seat.model_offers.get(t))
        else:
            you = "accepted" if seat.responses[t] else "rejected"
            reason = seat.model_reasons.get(t)
            model = Reason(reason).label if reason is not None else "—"
        rows.append({"round": t, "you": you, "model": model})
    return rows
