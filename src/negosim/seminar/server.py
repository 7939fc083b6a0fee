"""The seminar server: NiceGUI pages over per-browser sessions, everything served locally.

NiceGUI (FastAPI, Vue and Quasar, with its fonts, scripts and styles in its own wheel) is
used rather than Mesa's SolaraViz because a classroom may have no network: SolaraViz's
default set-up fetches its Vue/Vuetify assets from a CDN (a blank page offline), and a page
that loads nothing from outside is what the browser test proves (tests/test_seminar_page.py).

Each browser tab that opens ``/`` gets its own :class:`SeminarSession` (two students never
see each other's runs); the instructor view lists them, read-only, behind a key printed
when the server starts. A request body larger than an upload may be is refused before it
is read, and every handler's error is answered in that tab only.
"""

from __future__ import annotations

import itertools
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from negosim.seminar.library import PresetLibrary
from negosim.seminar.session import SeminarSession
from negosim.seminar.uploads import MAX_UPLOAD_BYTES
from negosim.seminar.views import run_status

log = logging.getLogger("negosim.seminar")

#: A request body beyond this is refused before it is read (uploads plus form overhead).
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 64 * 1024


@dataclass
class Student:
    """A session and how the instructor view names it."""

    label: str
    session: SeminarSession


@dataclass
class Seminar:
    """The server's shared, read-only parts and the registry of live sessions."""

    library: PresetLibrary
    key: str = field(default_factory=lambda: secrets.token_urlsafe(8))
    students: dict[str, Student] = field(default_factory=dict)
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    def open_session(self, client_id: str) -> Student:
        """A new student's session (the server's CONFIG preset)."""
        student = Student(f"session {next(self._numbers)}", SeminarSession(self.library))
        self.students[client_id] = student
        return student

    def close_session(self, client_id: str) -> None:
        """Forget a session whose tab has gone."""
        self.students.pop(client_id, None)

    def overview(self) -> list[dict]:
        """One row per live session: preset, seat, round, outcome (the instructor's list)."""
        rows = []
        for student in self.students.values():
            session = student.session
            status = run_status(session.model)
            rows.append(
                {
                    "session": student.label,
                    "scenario": session.settings.source,
                    "seat": session.seat.side if session.seat else "—",
                    "round": f"{status['round']} of {session.model.rounds}",
                    "deal": "yes" if status["deal"] else "no",
                    "approval": "—"
                    if status["approval"] is None
                    else f"{100 * status['approval']:.1f} %",
                    "china": "—" if status["china_level"] is None else str(status["china_level"]),
                }
            )
        return rows


async def limit_body(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Refuse request bodies over :data:`MAX_BODY_BYTES` (and uploads of unknown size)."""
    if request.method in ("POST", "PUT", "PATCH"):
        length = request.headers.get("content-length")
        if length is None and "/upload/" in request.url.path:
            return PlainTextResponse("an upload must say its size", status_code=411)
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return PlainTextResponse(
                f"too large: at most {MAX_BODY_BYTES:,} bytes", status_code=413
            )
    return await call_next(request)


def serve(config: Path, host: str, port: int) -> None:
    """Build the pages for the presets beside ``config`` and run the server (blocks)."""
    for name in ("PYTEST_CURRENT_TEST", "NICEGUI_HOST", "NICEGUI_PORT", "NICEGUI_PROTOCOL"):
        os.environ.pop(name, None)  # NiceGUI reads these as its own test or reload settings
    from nicegui import app, ui

    from negosim.seminar.instructor import add_instructor_page
    from negosim.seminar.page import add_student_page

    seminar = Seminar(PresetLibrary(config))
    for problem in seminar.library.problems:
        print(f"negosim serve: preset {problem}")
    app.middleware("http")(limit_body)
    add_student_page(seminar)
    add_instructor_page(seminar)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    address = f"http://{shown}:{port}"
    app.on_startup(
        lambda: print(
            f"negosim seminar on {address}/  (listening on {host}; Ctrl-C stops it)\n"
            f"instructor view: {address}/instructor?key={seminar.key}",
            flush=True,
        )
    )
    ui.run(
        host=host,
        port=port,
        title="negosim seminar",
        reload=False,
        show=False,
        show_welcome_message=False,
        favicon=Path(__file__).with_name("favicon.svg"),
        uvicorn_logging_level="warning",
        reconnect_timeout=10.0,
    )
