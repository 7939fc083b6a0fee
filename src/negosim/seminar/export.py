"""Downloads of a session's run: the per-round table as CSV, the whole run as JSON.

The bytes are built in memory and sent to the browser that asked; nothing is read from
or written to the server's disk, and the file name is made of safe characters only, so
no name a browser sends can reach another folder.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from negosim import __version__
from negosim.outcomes import round_frame, run_frame

if TYPE_CHECKING:
    from negosim.seminar.session import SeminarSession


def safe_name(text: str) -> str:
    """``text`` reduced to letters, digits, '-' and '_' (at most 40), never empty."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text.removesuffix(".yaml")).strip("_")[:40] or "run"


def file_stem(session: SeminarSession) -> str:
    """``negosim_<scenario>_seed<seed>_round<r>``."""
    name = safe_name(session.settings.source.removeprefix("upload:"))
    return f"negosim_{name}_seed{session.settings.seed}_round{session.round}"


def _played(session: SeminarSession) -> None:
    if session.round == 0:
        raise ValueError("nothing to download yet: play at least one round")


def run_csv(session: SeminarSession) -> bytes:
    """One row per round played: offers, responses, reasons, China, politics, markets."""
    _played(session)
    frame = round_frame(session.model)
    return frame.to_csv(index=False).encode("utf-8")


def run_json(session: SeminarSession) -> bytes:
    """The scenario, settings, seat decisions, every round and the outcomes so far."""
    _played(session)
    seat: dict[str, Any] | None = None
    if session.seat is not None:
        seat = {
            "side": session.seat.side,
            "offers": {str(k): v for k, v in session.seat.offers.items()},
            "responses": {str(k): v for k, v in session.seat.responses.items()},
            "model_offers": {str(k): v for k, v in session.seat.model_offers.items()},
            "model_reasons": {str(k): v for k, v in session.seat.model_reasons.items()},
        }
    document = {
        "negosim_version": __version__,
        "scenario": session.settings.source,
        "scenario_sha256": session.scenario.resolved_sha256,
        "seed": session.settings.seed,
        "rounds_planned": session.model.rounds,
        "rounds_played": session.round,
        "settings": session.settings.values,
        "events": [e.model_dump() for e in session.model.events],
        "seat": seat,
        "rounds": json.loads(round_frame(session.model).to_json(orient="records")),
        "outcomes": json.loads(run_frame(session.model).to_json(orient="records"))[0],
        "resolved_scenario": session.scenario.resolved,
    }
    return json.dumps(document, indent=1, ensure_ascii=False, default=str).encode("utf-8")
