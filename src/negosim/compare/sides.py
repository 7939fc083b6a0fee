"""One side of a comparison: a sweep directory, checked, and the design points chosen in it.

A side is opened from the directory ``negosim sweep`` wrote (docs/sweeps.md, "Results");
everything else is refused with a message naming the directory and what it holds instead
(a single run's ``--out``, another format, no finished chunk yet). An interrupted sweep
is accepted with a visible warning ("incomplete: 3 of 5 chunks"): its finished chunks are
complete runs, so they can be compared, but the reader must know the design is not full.

Points are chosen by parameter values (``china.omega=0.5``, or ``point=3`` by index), so a
user names what a point means, not where it sits in a file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from negosim.compare.errors import SelectionError, UnreadableSweepError
from negosim.scenario.problems import did_you_mean
from negosim.sweep.load import Sweep
from negosim.sweep.store import FORMAT

Value = float | int | str | bool
#: The selection key that picks a design point by its index.
POINT = "point"


@dataclass
class Side:
    """A sweep and the design points of it taking part in the comparison."""

    name: str  # "A" or "B"
    sweep: Sweep
    selection: dict[str, Value]
    points: pd.DataFrame  # the chosen rows of parameters.parquet
    chunks_done: int
    label: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def manifest(self) -> dict[str, Any]:
        """The sweep's manifest (what ran, with which seeds)."""
        return self.sweep.manifest

    @property
    def experiment(self) -> str:
        """The experiment's name."""
        return str(self.manifest["experiment"]["name"])

    @property
    def identity(self) -> str:
        """The experiment's SHA-256 (the hash a figure's footer shows)."""
        return str(self.manifest["identity"])

    @property
    def parameters(self) -> list[str]:
        """The dotted paths the sweep's design varies."""
        return list(self.manifest["design"]["parameters"])

    @property
    def complete(self) -> bool:
        """Whether every chunk of the sweep finished."""
        return self.sweep.complete

    @property
    def chunks(self) -> int:
        """How many chunks the sweep was cut into."""
        return int(self.manifest["chunks"])

    @property
    def completeness(self) -> str:
        """``complete`` or ``incomplete: N of M chunks``."""
        if self.complete:
            return "complete"
        return f"incomplete: {self.chunks_done} of {self.chunks} chunks"

    def describe(self) -> str:
        """One line: name, label, directory, design size, identity, completeness."""
        m = self.manifest
        points = len(self.points)
        design = (
            f"{points} of {m['design']['points']} points"
            if self.selection
            else (f"{points} points")
        )
        return (
            f"{self.name}: {self.label} ({self.sweep.root}): {design} × {m['replicates']} "
            f"replicates, experiment {self.identity[:12]}, {self.completeness}"
        )


def _refuse(root: Path, why: str) -> UnreadableSweepError:
    return UnreadableSweepError(f"{root}: {why}")


def open_sweep(root: str | Path) -> tuple[Sweep, int]:
    """The sweep at ``root`` and how many of its chunks finished; refuse anything else."""
    root = Path(root)
    if not root.exists():
        raise _refuse(root, "does not exist")
    if not root.is_dir():
        raise _refuse(root, "is a file, not a sweep's results directory")
    manifest_path = root / "manifest.json"
    if not manifest_path.exists():
        if (root / "summary.json").exists():
            raise _refuse(
                root,
                "is a single run's output (negosim run --out), not a sweep; compare takes "
                "two directories written by negosim sweep",
            )
        raise _refuse(root, "holds no sweep (no manifest.json); run negosim sweep first")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _refuse(root, f"manifest.json is not valid JSON ({err})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format", "none") if isinstance(manifest, dict) else "none"
        raise _refuse(
            root,
            f"was written in results format {found}, and this negosim reads format {FORMAT}; "
            "re-run the experiment with this version (negosim sweep EXPERIMENT --out DIR)",
        )
    if not (root / "parameters.parquet").exists():
        raise _refuse(root, "has a manifest but no parameters.parquet (the sweep never started)")
    done = len(list((root / "runs").glob("part-*.parquet")))
    if done == 0:
        raise _refuse(root, f"holds no finished runs yet (0 of {manifest.get('chunks')} chunks)")
    return Sweep(root, manifest), done


def parse_selection(texts: list[str] | None, option: str) -> dict[str, Value]:
    """``["china.omega=0.5,issues.tariff.status_quo=10"]`` → {path: value}.

    Each text holds one or more ``path=value`` separated by commas; an option may be
    repeated. Values are read as numbers or true/false when they look like one.
    """
    selection: dict[str, Value] = {}
    for text in texts or []:
        for item in text.split(","):
            if not item.strip():
                continue
            path, sep, value = item.partition("=")
            if not sep or not path.strip() or not value.strip():
                raise SelectionError(
                    f"{option}: {item.strip()!r} is not path=value (e.g. {option} china.omega=0.5)"
                )
            selection[path.strip()] = _value(value.strip())
    return selection


def _value(text: str) -> Value:
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def _matches(column: pd.Series, wanted: Value) -> pd.Series:
    """Which values of a parameter column equal ``wanted`` (numbers to 1e-9 relative)."""
    if pd.api.types.is_bool_dtype(column):
        return column == bool(wanted)
    if pd.api.types.is_numeric_dtype(column):
        if isinstance(wanted, str):
            return pd.Series(False, index=column.index)
        return column.map(
            lambda v: math.isclose(float(v), float(wanted), rel_tol=1e-9, abs_tol=1e-12)
        )
    return column.astype(str) == str(wanted)


def _shown(values: pd.Series, limit: int = 12) -> str:
    unique = list(dict.fromkeys(values.tolist()))
    text = ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in unique[:limit])
    return text + (f", … ({len(unique)} values)" if len(unique) > limit else "")


def select_points(sweep: Sweep, selection: dict[str, Value], option: str) -> pd.DataFrame:
    """The rows of ``parameters.parquet`` that match every ``path=value`` of the selection."""
    params = sweep.parameters
    varied = list(sweep.manifest["design"]["parameters"])
    chosen = pd.Series(True, index=params.index)
    for path, wanted in selection.items():
        if path != POINT and path not in varied:
            raise SelectionError(
                f"{option}: {path!r} is not a parameter of the design of {sweep.root} "
                f"(it varies: {', '.join(varied)}; or select by index with point=N)"
                + did_you_mean(path, [*varied, POINT])
            )
        hit = _matches(params[path], wanted)
        if not hit.any():
            raise SelectionError(
                f"{option}: {path}={wanted} matches no design point of {sweep.root} "
                f"({path} takes the values {_shown(params[path])})"
            )
        chosen &= hit
    if not chosen.any():
        raise SelectionError(
            f"{option}: no design point of {sweep.root} has all of "
            + ", ".join(f"{p}={v}" for p, v in selection.items())
        )
    return params[chosen].reset_index(drop=True)


def open_side(
    name: str, root: str | Path | Sweep, selection: dict[str, Value], option: str
) -> Side:
    """Open side ``name`` ("A" or "B") with the points chosen by ``selection``."""
    sweep, done = open_sweep(root.root if isinstance(root, Sweep) else root)
    points = select_points(sweep, selection, option)
    side = Side(name, sweep, selection, points, done)
    if not side.complete:
        side.warnings.append(
            f"{name} ({sweep.root}) is {side.completeness}: comparing the runs it holds"
        )
    return side


def short_names(paths: list[str]) -> dict[str, str]:
    """Each dotted path's shortest tail of two or more parts no other path ends with.

    ``issues.security_commitment.status_quo`` is ``security_commitment.status_quo`` and
    ``politics.approval.initial`` is ``approval.initial``: two parts say what a value is
    (``initial`` alone would not), the rest is where the file keeps it.
    """
    names = {}
    for path in paths:
        parts = path.split(".")
        for size in range(min(2, len(parts)), len(parts) + 1):
            tail = ".".join(parts[-size:])
            if not any(o != path and (o == tail or o.endswith("." + tail)) for o in paths):
                break
        names[path] = tail
    return names


def selection_text(selection: dict[str, Value], names: dict[str, str] | None = None) -> str:
    """``china.omega=0.5, point=3`` (empty for no selection), with ``names`` for paths."""
    names = names or {}
    return ", ".join(
        f"{names.get(p, p)}={v:g}" if isinstance(v, float) else f"{names.get(p, p)}={v}"
        for p, v in selection.items()
    )


def default_labels(a: Side, b: Side) -> tuple[str, str]:
    """Legend labels: the experiment names, or the selections when one experiment is compared."""
    labels = []
    names = short_names(list(dict.fromkeys([*a.parameters, *b.parameters])))
    for side in (a, b):
        chosen = selection_text(side.selection, names)
        if a.identity == b.identity and chosen:
            labels.append(chosen)
        elif chosen:
            labels.append(f"{side.experiment} ({chosen})")
        else:
            labels.append(side.experiment)
    return labels[0], labels[1]
