"""``negosim sweep EXPERIMENT --json``: the sweep's report as one JSON document.

The same tables as the text report and ``DIR/tables/*.csv`` (agreement per point,
distributions, variance shares, Sobol indices), every row of each, with every digit; the
CSVs are still written, and the document names them. Missing values (a rate with no run,
an index that could not be estimated) are null. The keys are listed in
docs/command_line.md; ``schema_version`` changes when one's name or meaning does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from negosim.commands.run_json import dumps

if TYPE_CHECKING:
    from negosim.sweep import Experiment
    from negosim.sweep.load import Sweep
    from negosim.sweep.runner import SweepOutcome

SCHEMA_VERSION = 1


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """One dict per row, column order kept, missing values as None."""
    plain = frame.astype(object).where(frame.notna(), None)
    return [dict(zip(frame.columns, row, strict=True)) for row in plain.itertuples(index=False)]


def document(
    experiment: Experiment, outcome: SweepOutcome, sweep: Sweep, seconds: float
) -> dict[str, Any]:
    """The report of ``sweep`` (just run by ``outcome``) as data; writes DIR/tables/ too."""
    from negosim.sweep.report import report_tables, write_tables

    reported = list(experiment.spec.report)
    tables = report_tables(sweep, reported)
    written = write_tables(sweep, tables)
    return {
        "schema_version": SCHEMA_VERSION,
        "experiment": experiment.spec.name,
        "source": experiment.source,
        "sha256": experiment.sha256,
        "directory": str(sweep.root),
        "complete": sweep.complete,
        "points": len(experiment.points),
        "replicates": experiment.spec.replicates,
        "runs": experiment.total_runs,
        "ran": {
            "runs": outcome.runs_run,
            "chunks": outcome.chunks_run,
            "executor": outcome.executor,
            "seconds": round(seconds, 3),
        },
        "reported": reported,
        "tables": {name: records(frame) for name, frame in tables.named().items()},
        "sobol_skipped": dict(tables.sobol_skipped),
        "files": {name: str(path) for name, path in written.items()},
    }


def text(experiment: Experiment, outcome: SweepOutcome, sweep: Sweep, seconds: float) -> str:
    """What ``negosim sweep --json`` prints."""
    return dumps(document(experiment, outcome, sweep, seconds))
