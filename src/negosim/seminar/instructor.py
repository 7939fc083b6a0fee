"""The instructor view: every live session's scenario, seat, round and outcome, read-only.

Behind the key the server prints at start, so a student on the same network cannot list
the class's runs; it shows summaries only and offers no control over any session.
"""

from __future__ import annotations

import secrets

from nicegui import ui

from negosim.seminar.server import Seminar

COLUMNS = ("session", "scenario", "seat", "round", "deal", "approval", "china")
#: Column headings (the fields keep the short names above).
LABELS = {"approval": "Japan's approval", "china": "China's level"}


def add_instructor_page(seminar: Seminar) -> None:
    """Register ``/instructor?key=...``."""

    @ui.page("/instructor")
    def instructor(key: str = "") -> None:
        ui.query("body").style("font-size: 18px")
        ui.add_css(".q-table td, .q-table th { font-size: 1.1rem !important; }")
        if not secrets.compare_digest(str(key), seminar.key):
            ui.label("The instructor view needs the key printed by negosim serve.").classes(
                "text-xl"
            )
            return
        ui.label("negosim seminar: sessions").classes("text-2xl font-bold")
        table = (
            ui.table(
                columns=[
                    {"name": c, "label": LABELS.get(c, c), "field": c, "align": "left"}
                    for c in COLUMNS
                ],
                rows=seminar.overview(),
                row_key="session",
            )
            .props('flat bordered hide-bottom data-testid="sessions"')
            .classes("w-full text-lg")
        )

        def update() -> None:
            table.rows = seminar.overview()
            table.update()

        ui.timer(2.0, update)
        ui.label("Updates every 2 s. Read-only: nothing here changes a student's run.").classes(
            "text-base text-grey-8"
        )
