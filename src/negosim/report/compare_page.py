"""The report of a comparison (``negosim compare ... --report``), from the files it wrote.

Reads ``OUT/comparison.json`` (both sweeps' identities, pairing, warnings), the ranked
``comparison.csv`` and the PNG figures, so the report shows what the comparison recorded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from negosim.report.page import esc, figure, key_values, page, table

#: The ranked table's columns shown in the report (all are in comparison.csv).
SHOWN = {
    "rank": "rank",
    "outcome": "outcome",
    "unit": "unit",
    "point": "point",
    "mean_a": "A",
    "mean_b": "B",
    "difference": "B − A",
    "ci95_low": "95 % CI low",
    "ci95_high": "95 % CI high",
    "test": "test",
    "p_adjusted": "q (BH)",
    "effect": "effect",
    "effect_measure": "effect measure",
}


def side_items(side: dict[str, Any]) -> dict[str, Any]:
    """One sweep's identity, as the comparison recorded it."""
    return {
        "directory": side.get("directory"),
        "experiment": side.get("experiment"),
        "identity": side.get("identity"),
        "scenario": side.get("scenario"),
        "resolved scenario SHA-256": side.get("resolved_scenario_sha256"),
        "master seed": side.get("master_seed"),
        "common random numbers": side.get("common_random_numbers"),
        "points": ", ".join(str(p) for p in side.get("points", [])),
        "complete": side.get("complete"),
        "chunks": f"{side.get('chunks_done')} of {side.get('chunks')}",
    }


def compare_report(out: Path) -> str:
    """The whole HTML report of the comparison written under ``out``."""
    record = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    sides = record.get("sides", {})
    sections: list[tuple[str, str]] = []
    overview = {
        "pairing": record.get("pairing"),
        "pairs": record.get("pairs"),
        "rows compared": record.get("rows"),
        "significant (Benjamini–Hochberg q < α)": record.get("significant"),
        "α": record.get("alpha"),
        "command": " ".join(record.get("command") or []) or "—",
        "versions": ", ".join(f"{k} {v}" for k, v in (record.get("versions") or {}).items()),
    }
    body = key_values(overview)
    for warning in record.get("warnings", []):
        body += f'<p class="note">{esc(warning)}</p>'
    sections.append(("Comparison", body))
    for name, side in sides.items():
        sections.append((f"Sweep {name}", key_values(side_items(side))))
    rows = pd.read_csv(out / "comparison.csv")
    if "p_adjusted" in rows:
        rows["p_adjusted"] = [
            "—" if pd.isna(q) else "<0.001" if q < 0.001 else f"{q:.3f}" for q in rows["p_adjusted"]
        ]
    shown = rows[[c for c in SHOWN if c in rows.columns]].rename(columns=SHOWN)
    sections.append(("What differs most", table(shown, digits=3, max_rows=60)))
    figures_dir = out / "figures"
    pictures = sorted(figures_dir.glob("*.png")) if figures_dir.is_dir() else []
    pictures.sort(key=lambda p: (p.stem != "effects", p.stem))
    if pictures:
        sections.append(
            (
                "Figures",
                "".join(figure(p, p.stem.replace("_", " ")) for p in pictures),
            )
        )
    a = sides.get("A", {}).get("experiment", "A")
    b = sides.get("B", {}).get("experiment", "B")
    return page(f"negosim compare: {a} vs {b}", str(record.get("pairing", "")), sections)
