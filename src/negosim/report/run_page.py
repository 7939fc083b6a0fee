"""The report of one run (``negosim run CONFIG --out DIR``): provenance, charts, account.

Read from ``summary.json`` and the per-round table only. The round-by-round account is the
one the run printed, saved in ``summary.json`` (``account``); an older directory without it
gets a table of each month's offer, response and reason instead.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from negosim.report.page import code_and_command, esc, figure, key_values, page, table

CAPTIONS = {
    "offers": "Each issue's offers by both sides and the package in force, month by month.",
    "approval": "Japan's cabinet approval and the Diet's win-set.",
    "china": "China's coercion level (escalation ladder) and its observables.",
    "markets": "Market indicators.",
    "outcome_space": "The outcome space: ratifiable Pareto frontier, the offers' path, the "
    "deal, the Nash and Kalai–Smorodinsky points and the value of no deal.",
}

#: The per-round columns shown when a run saved no account (older directories).
REASON_COLUMNS = ("round", "proposer", "reason", "responder_value", "responder_target")


def provenance(document: dict[str, Any]) -> dict[str, Any]:
    """Where the run came from: scenario and hash, seed, rounds, code and versions."""
    scenario = document.get("scenario", {})
    items: dict[str, Any] = {
        "scenario": scenario.get("name", "?"),
        "scenario file": scenario.get("source", "?"),
        "scenario SHA-256": scenario.get("sha256", "?"),
        "resolved scenario SHA-256": scenario.get("resolved_sha256", "?"),
        "seeds": ", ".join(str(s) for s in document.get("seeds", [])),
        "rounds": document.get("rounds", "?"),
    }
    items.update(code_and_command(document))
    versions = document.get("versions") or {}
    items["versions"] = ", ".join(f"{k} {v}" for k, v in versions.items())
    return items


def outcomes_table(outcome: dict[str, Any]) -> pd.DataFrame:
    """The run's outcomes, one row each (name, value)."""

    def shown(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:,.3f}"
        return "—" if value is None else str(value)

    return pd.DataFrame({"outcome": list(outcome), "value": [shown(v) for v in outcome.values()]})


def run_report(root: Path, replicate: int = 0) -> str:
    """The whole HTML report of a run directory (charts drawn into a temporary folder)."""
    from negosim.plots import draw_run, load_run

    run = load_run(root, replicate)
    document = json.loads((root / "summary.json").read_text(encoding="utf-8"))
    sections: list[tuple[str, str]] = [("Provenance", key_values(provenance(document)))]
    with tempfile.TemporaryDirectory() as tmp:
        drawn = draw_run(run, Path(tmp), "png")
        charts = "".join(
            figure(path, CAPTIONS.get(path.stem.split("_vs_")[0], path.stem))
            for path in drawn.written
        )
        if drawn.skipped:
            charts += '<p class="note">' + esc("; ".join(drawn.skipped)) + "</p>"
    sections.append(("Charts", charts))
    sections.append(("Outcomes", table(outcomes_table(run.outcomes))))
    account = document.get("account")
    if isinstance(account, list) and len(account) > replicate:
        account = account[replicate]
    if isinstance(account, str) and account:
        body = f'<pre class="account">{esc(account)}</pre>'
    else:
        shown = [c for c in REASON_COLUMNS if c in run.rounds]
        body = (
            '<p class="note">This directory has no saved account (written before negosim '
            "saved it); each month's proposer and reason instead.</p>" + table(run.rounds[shown])
        )
    sections.append(("Round by round", body))
    title = f"negosim run: {run.name}"
    subtitle = f"seed {run.seed}, {len(run.rounds)} months, from {root}"
    return page(title, subtitle, sections)
