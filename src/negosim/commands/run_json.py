"""``negosim run CONFIG --json``: the run's summary as one JSON document on standard output.

For programs (a grader, a notebook, a shell pipeline with ``jq``) that want the outcome of
one run without parsing the account. The outcome is encoded exactly as ``summary.json``'s
``runs[0]`` (labels for categories, null for "no deal" or "no benchmark", never NaN), so
``--json`` and ``--out`` agree field for field. The keys are listed in
docs/command_line.md; ``schema_version`` changes when one's name or meaning does.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from negosim.model import NegotiationModel
    from negosim.outcomes import Columns
    from negosim.scenario import Scenario

SCHEMA_VERSION = 1


def plain(value: Any) -> Any:
    """Numpy values, tuples and non-finite floats → JSON values (NaN and ±inf → null)."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def dumps(document: dict[str, Any]) -> str:
    """The document as printed: indented, UTF-8 kept, strict JSON (no NaN), newline-ended."""
    return json.dumps(plain(document), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def document(
    scenario: Scenario, model: NegotiationModel, summary: Columns, out: Path | None
) -> dict[str, Any]:
    """The summary of replicate 0: which scenario and seed, how long, and every outcome."""
    from negosim import __version__
    from negosim.columns import declared_for
    from negosim.columns.encoding import python_rows

    (outcome,) = python_rows(summary, declared_for(model, "run"))
    files = None
    if out is not None:
        files = {"directory": str(out), "summary": str(out / "summary.json")}
    return {
        "schema_version": SCHEMA_VERSION,
        "negosim": __version__,
        "scenario": {
            "name": scenario.spec.name,
            "source": scenario.source,
            "sha256": scenario.sha256,
            "resolved_sha256": scenario.resolved_sha256,
        },
        "seed": int(model.seeds[0]),
        "rounds": int(model.rounds),
        "rounds_run": len(model.history),
        "outcome": outcome,
        "files": files,
    }


def text(scenario: Scenario, model: NegotiationModel, summary: Columns, out: Path | None) -> str:
    """What ``negosim run --json`` prints."""
    return dumps(document(scenario, model, summary, out))
