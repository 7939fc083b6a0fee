"""The charts of ``negosim plot`` for a session's run so far, drawn for the page.

The run is written as ``negosim run --out`` writes it (rounds table, summary.json with the
outcome space) into the session's own temporary folder, read back with
:func:`negosim.plots.load_run` and drawn by the same chart functions, so what the page shows
is exactly what ``negosim plot`` would draw from the same run. Charts are drawn from saved
results only; nothing here re-runs the model.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from negosim.account import account
from negosim.columns import declared_for
from negosim.outcome_space import outcome_spaces
from negosim.outcomes import round_table, summarize
from negosim.plots import (
    approval_chart,
    coercion_chart,
    house_style,
    load_run,
    markets_chart,
    offers_chart,
    outcome_space_chart,
)
from negosim.results import write_summary_json, write_table

if TYPE_CHECKING:
    from negosim.seminar.session import SeminarSession

#: The page's charts, in the order of ``negosim plot``: (file stem, title on the page).
CHARTS = (
    ("offers", "Issues and offers"),
    ("approval", "Approval and win-set"),
    ("china", "China"),
    ("markets", "Markets"),
    ("outcome_space", "Outcome plane and Nash point"),
)


def save_run(session: SeminarSession, folder: Path) -> Path:
    """The session's run so far as ``negosim run --out folder`` would write it."""
    model = session.model
    summary = summarize(model)
    table = write_table(round_table(model), folder / "rounds", declared_for(model, "round"))
    write_summary_json(
        folder / "summary.json",
        session.scenario,
        [session.settings.seed],
        len(model.history),
        summary,
        table,
        declared_for(model, "run"),
        outcome_spaces(model),
        account=[account(model, summary)],
    )
    return folder


def run_report_html(session: SeminarSession) -> bytes:
    """The run so far as ``negosim report`` writes it: one self-contained HTML file."""
    from negosim.report.run_page import run_report

    if session.round == 0:
        raise ValueError("nothing to report yet: play at least one round")
    with tempfile.TemporaryDirectory(prefix="negosim-seminar-") as tmp:
        return run_report(save_run(session, Path(tmp))).encode("utf-8")


def run_charts(session: SeminarSession) -> dict[str, bytes]:
    """Each chart of the run so far as PNG bytes (empty before the first round)."""
    if session.round == 0:
        return {}
    draw = {
        "offers": offers_chart,
        "approval": approval_chart,
        "china": coercion_chart,
        "markets": markets_chart,
        "outcome_space": outcome_space_chart,
    }
    images: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="negosim-seminar-") as tmp:
        run = load_run(save_run(session, Path(tmp)))
        with house_style():
            for stem, _ in CHARTS:
                fig = draw[stem](run)
                buffer = io.BytesIO()
                fig.savefig(buffer, format="png", dpi=110)
                images[stem] = buffer.getvalue()
    return images
