"""Writing a comparison under OUT: the full table (CSV, Markdown), figures, a record.

Layout::

    OUT/comparison.csv           every row, every column (docs/compare.md)
    OUT/comparison.md            provenance, pairing, methods and every row, for reading
    OUT/figures/<column>.png     overlaid distributions of each compared column
    OUT/figures/effects.png      the ranked effects
    OUT/comparison.json          both sweeps' identities, pairing, warnings, files written

Every file is written under a temporary name and renamed into place; the record is
written last, so a directory with ``comparison.json`` is complete. A directory that holds
something else (a sweep, a user's files) is refused rather than written into; one that
holds an earlier comparison (or the files of an interrupted one) is replaced, and files it
listed that this one does not make (figures of outcomes no longer compared) are removed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from negosim.compare.comparison import Comparison
from negosim.compare.errors import SelectionError
from negosim.compare.render import markdown
from negosim.results import atomic_path, versions

RECORD = "comparison.json"
FORMATS = ("png", "svg", "pdf")
#: What a comparison writes at the top of OUT (an interrupted one may lack the record).
OURS = {"comparison.csv", "comparison.md", RECORD, "figures", "report.html"}


def _check_out(out: Path) -> list[str]:
    """Files listed by an earlier comparison in ``out``; refuse a directory of other things."""
    if not out.exists():
        return []
    if not out.is_dir():
        raise SelectionError(f"--out {out}: is a file; name a directory for the comparison")
    record = out / RECORD
    if record.exists():
        try:
            return list(json.loads(record.read_text(encoding="utf-8")).get("files", []))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return []
    others = [p for p in out.iterdir() if not p.name.startswith(".") and p.name not in OURS]
    figures = out / "figures"
    if figures.is_dir():  # an interrupted comparison left figures, and nothing else, there
        others += [p for p in figures.iterdir() if p.suffix.lstrip(".") not in FORMATS]
    if others:
        what = "a sweep" if (out / "manifest.json").exists() else "other files"
        raise SelectionError(
            f"--out {out}: holds {what} and no earlier comparison; choose an empty or new directory"
        )
    left = [p for p in (out / "comparison.csv", out / "comparison.md") if p.exists()]
    if figures.is_dir():
        left += list(figures.iterdir())
    return [str(p.relative_to(out)) for p in left]


def _plain(value: object) -> object:
    """A numpy scalar (a selection given from Python) as a JSON value."""
    item = getattr(value, "item", None)
    return item() if callable(item) else str(value)


def _record(comparison: Comparison, files: list[str], command: Sequence[str] | None) -> dict:
    c = comparison
    sides = {}
    for side in c.sides():
        m = side.manifest
        sides[side.name] = {
            "directory": str(side.sweep.root),
            "label": side.label,
            "experiment": side.experiment,
            "identity": side.identity,
            "scenario": m["scenario"]["name"],
            "resolved_scenario_sha256": m["scenario"]["resolved_sha256"],
            "master_seed": m["master_seed"],
            "common_random_numbers": m["common_random_numbers"],
            "selection": side.selection,
            "points": [int(p) for p in side.points["point"]],
            "complete": side.complete,
            "chunks_done": side.chunks_done,
            "chunks": side.chunks,
        }
    return {
        "sides": sides,
        "paired": c.paired,
        "pairing": c.pairing.statement,
        "pairs": c.pairing.pairs,
        "alpha": c.alpha,
        "rows": len(c.table),
        "significant": int(c.table["significant"].sum()),
        "matches": [m.label for m in c.matches],
        "outcomes": [o.name for o in c.outcomes],
        "warnings": c.warnings,
        "notes": c.notes,
        "versions": versions(),
        "command": list(command) if command is not None else None,
        "written": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": files,
    }


def write_comparison(
    comparison: Comparison,
    out: str | Path,
    formats: Sequence[str] = ("png",),
    figures: bool = True,
    command: Sequence[str] | None = None,
) -> list[Path]:
    """Write the comparison's files under ``out``; return their paths (the record last)."""
    out = Path(out)
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise SelectionError(f"--format {', '.join(unknown)}: allowed: {', '.join(FORMATS)}")
    earlier = _check_out(out)
    written: list[Path] = []
    with atomic_path(out / "comparison.csv") as tmp:
        comparison.table.to_csv(tmp, index=False)
    written.append(out / "comparison.csv")
    figure_names: list[str] = []
    if figures:
        from negosim.compare.figures import distribution_figure, effects_figure

        columns = list(dict.fromkeys(o.column for o in comparison.outcomes))
        drawn = [("effects", lambda: effects_figure(comparison))] + [
            (c, lambda c=c: distribution_figure(comparison, c)) for c in columns
        ]
        for name, draw in drawn:
            fig = draw()
            for fmt in formats:
                path = out / "figures" / f"{name}.{fmt}"
                with atomic_path(path) as tmp:
                    fig.savefig(tmp, format=fmt)
                written.append(path)
                figure_names.append(f"figures/{name}.{fmt}")
    with atomic_path(out / "comparison.md") as tmp:
        pictures = [n for n in figure_names if n.endswith(".png")] or figure_names
        tmp.write_text(markdown(comparison, pictures), encoding="utf-8")
    written.insert(1, out / "comparison.md")
    names = [str(p.relative_to(out)) for p in written]
    for stale in set(earlier) - set(names) - {RECORD}:
        path = out / stale
        if path.resolve().is_relative_to(out.resolve()):
            path.unlink(missing_ok=True)
    with atomic_path(out / RECORD) as tmp:
        record = _record(comparison, [*names, RECORD], command)
        text = json.dumps(record, indent=2, ensure_ascii=False, default=_plain)
        tmp.write_text(text + "\n", encoding="utf-8")
    written.append(out / RECORD)
    return written
