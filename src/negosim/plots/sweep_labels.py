"""Words for a sweep's parameters and points: "ω = 0.5, commitment in force = 2".

A reader of a chart knows the parameters by their meaning, not by a design-point index or
a dotted path; the well-known paths of the shipped experiments get short domain names and
units here, any other path its last words (``agents.us.tariff_threat.level`` → "tariff
threat level"). Issue parameters (``issues.<issue>.<field>``) take the issue's own unit
from the scenario the sweep recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import yaml

from negosim.plots.style import axis_label

#: Short names and units of parameters the shipped experiments vary (docs/model.md).
KNOWN: Final[Mapping[str, tuple[str, str]]] = {
    "china.omega": ("ω", "0 deterrence … 1 spiral"),
    "politics.approval.initial": ("initial approval", "share 0-1"),
    "agents.us.linkage": ("US linkage", "0-1"),
    "agents.japan.linkage": ("Japan linkage", "0-1"),
    "agents.us.concession.params.e": ("US concession e", "exponent"),
    "agents.us.tariff_threat.level": ("tariff threat", "% ad valorem"),
    "agents.us.tariff_threat.probability": ("tariff-threat probability", "per month"),
    "agents.us.reversal_hazard.trade": ("trade reversal hazard", "per item-month"),
    "agents.us.reversal_hazard.security": ("security reversal hazard", "per item-month"),
    "agents.us.outside_option": ("US outside option", "utility"),
    "issues.security_commitment.status_quo": ("commitment in force", "level"),
    "politics.leader": ("leader", ""),
    "protocol.rounds": ("rounds", "months"),
    "protocol.deadline": ("deadline", "month"),
}

#: Last path words that say nothing on their own ("status_quo" of what?).
_GENERIC: Final = frozenset(
    {"initial", "level", "probability", "status_quo", "e", "trade", "security", "value", "min"}
)


def parameter_name(path: str) -> str:
    """A short name for a varied parameter's dotted path."""
    if path in KNOWN:
        return KNOWN[path][0]
    words = [w for w in path.split(".") if not w.isdigit() and w != "params"]
    chosen = words[-2:] if len(words) > 1 and words[-1] in _GENERIC else words[-1:]
    return " ".join(chosen).replace("_", " ")


def _issue_units(manifest: Mapping[str, Any]) -> dict[str, str]:
    text = manifest.get("scenario", {}).get("text", "")
    try:
        issues = (yaml.safe_load(text) or {}).get("issues", {})
    except yaml.YAMLError:
        return {}
    return {k: str(v.get("unit", "")) for k, v in issues.items() if isinstance(v, Mapping)}


def parameter_unit(path: str, manifest: Mapping[str, Any]) -> str:
    """The parameter's unit: known paths, an issue's own unit, else none."""
    if path in KNOWN:
        return KNOWN[path][1]
    parts = path.split(".")
    if parts[0] == "issues" and len(parts) >= 3 and parts[2] in ("status_quo", "min", "max"):
        return _issue_units(manifest).get(parts[1], "")
    return ""


def parameter_axis(path: str, manifest: Mapping[str, Any]) -> str:
    """An axis label for a parameter: its short name and unit ("ω [0 deterrence … 1 spiral]")."""
    name = parameter_name(path)
    unit = parameter_unit(path, manifest)
    return f"{name} [{unit}]" if unit else name


def format_value(value: object) -> str:
    """A parameter value as a reader writes it: 0.5, 2, 0.125, dove."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if number.is_integer() and abs(number) < 1e6:
            return str(int(number))
        return f"{number:.3g}"
    return str(value)


def point_label(values: Mapping[str, object], paths: Sequence[str], sep: str = ", ") -> str:
    """The label of one point's values of ``paths``: "ω = 0.5, commitment in force = 2"."""
    return sep.join(f"{parameter_name(p)} = {format_value(values[p])}" for p in paths)


_PROPER: Final[Mapping[str, str]] = {
    "us": "US",
    "japan": "Japan",
    "china": "China",
    "nash": "Nash",
    "ks": "KS",
    "nikkei": "Nikkei",
    "usdjpy": "USD/JPY",
}


def outcome_title(name: str) -> str:
    """An outcome's name in words ("China max level", "US utility")."""
    words = [_PROPER.get(w, w) for w in name.split("_")]
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def outcome_phrase(name: str) -> str:
    """An outcome's name inside a sentence ("mean China max level", "share with deal reached")."""
    title = outcome_title(name)
    first = name.split("_")[0]
    return title if first in _PROPER else title[:1].lower() + title[1:]


def outcome_axis(name: str, unit: str) -> str:
    """An outcome's axis label with its declared unit."""
    return axis_label(outcome_title(name), unit or None)
