"""Reading a run's saved output (``negosim run --out DIR``) for the charts: ``load_run(DIR)``.

Charts are drawn from the saved results only, never by re-running the model, so everything
a chart shows must be in the directory: ``rounds.parquet`` (or ``rounds.csv`` when no
Parquet engine was installed) for the months, ``summary.json`` for the scenario, the seed,
the run's outcomes and its outcome space (:mod:`negosim.outcome_space`). Units come from
the Parquet field metadata; a CSV file cannot carry them, so they are rebuilt from the
declared column table and the scenario's issue units recorded in summary.json.

A directory that is missing, half-written or from an older negosim gets a
:class:`RunDirectoryError` that names the file and what is missing, never a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from negosim.columns.table import ISSUE_UNIT, ROUND_TEMPLATES
from negosim.schema import COERCION_LEVELS

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class RunDirectoryError(ValueError):
    """A directory that does not hold (all of) a run's saved output."""


@dataclass(frozen=True)
class Run:
    """One replicate's saved output: its months, its outcomes and where it came from."""

    root: Path
    rounds: pd.DataFrame = field(repr=False)
    outcomes: dict[str, Any] = field(repr=False)
    scenario: dict[str, Any] = field(repr=False)
    units: dict[str, str] = field(repr=False)
    outcome_space: dict[str, Any] | None = field(repr=False)
    versions: dict[str, str] = field(repr=False)
    replicate: int = 0

    @property
    def name(self) -> str:
        """The scenario's name (``name:`` in its file)."""
        return str(self.scenario.get("name", "unnamed scenario"))

    @property
    def seed(self) -> int:
        """The replicate's seed."""
        return int(self.outcomes["seed"])

    @property
    def resolved(self) -> dict[str, Any]:
        """The resolved scenario (every default) recorded in summary.json."""
        return self.scenario.get("resolved") or {}

    @property
    def issues(self) -> tuple[str, ...]:
        """The run's issues in grid order (those with an ``offer_`` column)."""
        return tuple(c.removeprefix("offer_") for c in self.rounds if _is_issue_offer(c))

    def issue(self, name: str) -> dict[str, Any]:
        """The resolved spec of one issue (unit, min, max, step, level names)."""
        return dict(self.resolved.get("issues", {}).get(name, {}))

    def unit(self, column: str) -> str:
        """The unit of a saved column ('' when it has none)."""
        return self.units.get(column, "")

    @property
    def months(self) -> pd.Series:
        """The rounds, 1 to N, in order."""
        return self.rounds["round"]

    @property
    def start_month(self) -> str | None:
        """The calendar month of round 1 ('YYYY-MM'), when the scenario records one."""
        return self.resolved.get("protocol", {}).get("start_month")

    def month_name(self, round_index: int) -> str:
        """'Feb 2025' for a round (or 'month N' without a start month)."""
        start = self.start_month
        if not start:
            return f"month {round_index}"
        year, month = (int(part) for part in start.split("-"))
        total = year * 12 + (month - 1) + (round_index - 1)
        return f"{_MONTHS[total % 12]} {total // 12}"

    @property
    def election_round(self) -> int | None:
        """The round of the upper-house election, if it falls inside the run."""
        election = self.resolved.get("politics", {}).get("election", {}).get("month")
        start = self.start_month
        if not election or not start:
            return None
        (ey, em), (sy, sm) = (map(int, m.split("-")) for m in (election, start))
        round_index = (ey - sy) * 12 + (em - sm) + 1
        return round_index if 1 <= round_index <= len(self.rounds) else None

    @property
    def level_names(self) -> list[str]:
        """China's escalation ladder, rung 0 first, as the scenario names it."""
        levels = self.resolved.get("china", {}).get("levels", {})
        return [
            str(levels.get(str(i), levels.get(i, f"level {i}"))) for i in range(COERCION_LEVELS)
        ]

    def footer(self) -> str:
        """Provenance for a chart: scenario, its file and hash, seed, negosim's version."""
        source, sha = self.scenario.get("source"), str(self.scenario.get("sha256", ""))[:12]
        where = ", ".join(part for part in (source, sha and f"sha256 {sha}") if part)
        version = self.versions.get("negosim")
        parts = [f"scenario {self.name}" + (f" ({where})" if where else ""), f"seed {self.seed}"]
        if version:
            parts.append(f"negosim {version}")
        return " · ".join(parts)

    def require(self, chart: str, columns: list[str]) -> None:
        """Refuse a chart whose columns the file lacks (an older or trimmed file)."""
        absent = [c for c in columns if c not in self.rounds]
        if absent:
            raise RunDirectoryError(
                f"{self.root}: the per-round table lacks {', '.join(absent)}, which the "
                f"{chart} chart needs (written by an older negosim? re-run "
                "`negosim run CONFIG --out DIR`)"
            )


def _is_issue_offer(column: str) -> bool:
    return column.startswith("offer_") and column not in ("offer_japan_utility", "offer_us_utility")


def _summary(root: Path) -> dict[str, Any]:
    path = root / "summary.json"
    again = f"the file is damaged: re-run `negosim run CONFIG --out {root}`"
    try:
        document = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as err:
        raise RunDirectoryError(f"{path}: not UTF-8 text (byte {err.start}); {again}") from None
    except json.JSONDecodeError as err:
        raise RunDirectoryError(
            f"{path}: not valid JSON (line {err.lineno}: {err.msg}); {again}"
        ) from None
    if not isinstance(document, dict):
        raise RunDirectoryError(f"{path}: expected a JSON object, found {type(document).__name__}")
    absent = [key for key in ("scenario", "seeds", "runs") if key not in document]
    if absent:
        raise RunDirectoryError(
            f"{path}: lacks {', '.join(absent)}; is this a summary written by `negosim run --out`?"
        )
    runs, scenario = document["runs"], document["scenario"]
    if not isinstance(runs, list) or not runs:
        raise RunDirectoryError(f"{path}: 'runs' holds no runs; {again}")
    if not all(isinstance(run, dict) and isinstance(run.get("seed"), int) for run in runs):
        raise RunDirectoryError(f"{path}: a run in 'runs' has no whole-number 'seed'; {again}")
    if not isinstance(scenario, dict) or not isinstance(scenario.get("resolved") or {}, dict):
        raise RunDirectoryError(f"{path}: 'scenario' is not the record of a scenario; {again}")
    return document


def _table_path(root: Path, document: dict[str, Any]) -> Path:
    named = document.get("per_round_table")
    candidates = [root / named] if named else []
    candidates += [root / "rounds.parquet", root / "rounds.csv"]
    for path in candidates:
        if path.is_file():
            return path
    raise RunDirectoryError(
        f"{root}: summary.json is there but the per-round table "
        f"({named or 'rounds.parquet'}) is missing; re-run `negosim run CONFIG --out {root}`"
    )


def _declared_units(resolved: dict[str, Any]) -> dict[str, str]:
    """Units of the round table's columns from the declarations (for a CSV file)."""
    issues = resolved.get("issues", {})
    units: dict[str, str] = {}
    for template in ROUND_TEMPLATES:
        if template.sweep_only:
            continue
        if "{issue}" in template.name:
            for name, spec in issues.items():
                unit = spec.get("unit", "") if template.unit == ISSUE_UNIT else template.unit
                units[template.name.format(issue=name)] = unit
        else:
            units[template.name] = template.unit
    return units


def _read_table(path: Path, resolved: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, str]]:
    try:
        if path.suffix == ".csv":
            words = {t.name: "string" for t in ROUND_TEMPLATES if t.dtype in ("string", "category")}
            return pd.read_csv(path, dtype=words), _declared_units(resolved)
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
        units = {f.name: (f.metadata or {}).get(b"unit", b"").decode("utf-8") for f in schema}
        return pd.read_parquet(path), units
    except (OSError, ValueError) as err:  # pyarrow's ArrowInvalid is a ValueError
        raise RunDirectoryError(
            f"{path}: cannot be read ({err}); was the run interrupted?"
        ) from None


def load_run(root: str | Path, replicate: int = 0) -> Run:
    """Open the output of ``negosim run --out DIR``: one replicate's months and outcomes."""
    root = Path(root)
    if not root.is_dir():
        raise RunDirectoryError(f"{root}: no such directory")
    if not (root / "summary.json").is_file():
        if any((root / name).is_file() for name in ("rounds.parquet", "rounds.csv")):
            raise RunDirectoryError(
                f"{root}: summary.json is missing (the scenario, seed and outcomes are in it); "
                f"re-run `negosim run CONFIG --out {root}`"
            )
        raise RunDirectoryError(
            f"{root}: holds no run's output (summary.json and rounds.parquet, written by "
            "`negosim run CONFIG --out DIR`)"
        )
    document = _summary(root)
    runs = document["runs"]
    if not 0 <= replicate < len(runs):
        raise RunDirectoryError(f"{root}: no replicate {replicate} (it holds {len(runs)})")
    scenario = document["scenario"]
    table, units = _read_table(_table_path(root, document), scenario.get("resolved") or {})
    absent = [c for c in ("round", "replicate") if c not in table]
    if absent:
        raise RunDirectoryError(f"{root}: the per-round table lacks {', '.join(absent)}")
    rounds = table[table["replicate"] == replicate].sort_values("round").reset_index(drop=True)
    if rounds.empty:
        raise RunDirectoryError(
            f"{root}: the per-round table holds no rows of replicate {replicate}"
        )
    spaces = document.get("outcome_space")
    space = spaces[replicate] if isinstance(spaces, list) and len(spaces) > replicate else None
    return Run(
        root=root,
        rounds=rounds,
        outcomes=dict(runs[replicate]),
        scenario=scenario,
        units=units,
        outcome_space=space,
        versions=dict(document.get("versions") or {}),
        replicate=replicate,
    )
