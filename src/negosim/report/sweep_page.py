"""The report of a sweep (``negosim sweep``): provenance, the charts, distribution tables.

Read from the sweep directory only: the manifest (experiment, hash, seeds, design, code),
the parameter table, the runs, and the charts of ``negosim plot`` drawn from them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from negosim.report.page import code_and_command, figure, key_values, page, table

#: Per-point tables longer than this are cut in the report (the files hold every row).
MAX_ROWS = 40


def provenance(manifest: dict[str, Any]) -> dict[str, Any]:
    """Where the sweep came from: experiment, its hash, scenario, seeds, design, code."""
    experiment = manifest.get("experiment") or {}
    scenario = manifest.get("scenario") or {}
    design = manifest.get("design") or {}
    items: dict[str, Any] = {
        "experiment": experiment.get("name", "?"),
        "experiment file": experiment.get("source", "?"),
        "identity (hash of what ran)": manifest.get("identity", "?"),
        "scenario": scenario.get("name", "?"),
        "resolved scenario SHA-256": scenario.get("resolved_sha256", "?"),
        "design": design.get("method", "?"),
        "replicates per point": manifest.get("replicates"),
        "runs": f"{manifest.get('total_runs', 0):,}",
        "rounds": manifest.get("rounds"),
        "master seed": manifest.get("master_seed"),
        "common random numbers": manifest.get("common_random_numbers"),
        "seeds": manifest.get("seed_derivation"),
        "started": manifest.get("started"),
        "finished": manifest.get("finished") or "not finished (incomplete sweep)",
    }
    items.update(code_and_command(manifest))
    versions = manifest.get("versions") or {}
    items["versions"] = ", ".join(f"{k} {v}" for k, v in versions.items())
    return items


def sweep_report(root: Path) -> str:
    """The whole HTML report of a sweep directory (charts drawn into a temporary folder)."""
    from negosim.plots.sweep import draw_all
    from negosim.sweep import load_sweep
    from negosim.sweep.stats import agreement_table, distribution_table

    sweep = load_sweep(root)  # the manifest checked: a damaged one is named, not a traceback
    manifest = sweep.manifest
    sections: list[tuple[str, str]] = [("Provenance", key_values(provenance(manifest)))]
    if not sweep.complete:
        sections[0] = (
            "Provenance",
            '<p class="note">Incomplete sweep: the tables and charts hold the chunks '
            "finished so far (resume it with `negosim sweep ... --resume`).</p>" + sections[0][1],
        )
    sections.append(("Design points", table(sweep.parameters, max_rows=MAX_ROWS)))
    with tempfile.TemporaryDirectory() as tmp:
        charts = "".join(
            figure(path, path.stem.removeprefix("sweep-").replace("-", " "))
            for path in draw_all(sweep, Path(tmp), "png")
        )
    sections.append(("Charts", charts or "<p>No chart could be drawn.</p>"))
    sections.append(("Agreement per point", table(agreement_table(sweep), max_rows=MAX_ROWS)))
    present = [o for o in reported(manifest) if o in run_columns(root)]
    if present:
        sections.append(
            (
                "Distributions per point",
                table(distribution_table(sweep, present), max_rows=MAX_ROWS),
            )
        )
    name = (manifest.get("experiment") or {}).get("name", root.name)
    runs, identity = manifest.get("total_runs", 0), str(manifest.get("identity", "?"))[:12]
    return page(f"negosim sweep: {name}", f"{runs:,} runs, identity {identity}", sections)


def reported(manifest: dict[str, Any]) -> list[str]:
    """The outcomes the experiment asked to report (its ``report:``), else the default."""
    import yaml

    from negosim.sweep.experiment import DEFAULT_REPORT

    try:
        text = yaml.safe_load((manifest.get("experiment") or {}).get("text") or "") or {}
    except yaml.YAMLError:
        text = {}
    chosen = text.get("report") if isinstance(text, dict) else None
    return [str(o) for o in chosen] if isinstance(chosen, list) else list(DEFAULT_REPORT)


def run_columns(root: Path) -> set[str]:
    """The runs table's columns, from one chunk file's schema (no rows read)."""
    import pyarrow.parquet as pq

    for path in sorted((root / "runs").glob("part-*.parquet")):
        return set(pq.read_schema(path).names)
    return set()
