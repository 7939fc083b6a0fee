"""The declared table for people: ``docs/columns.md`` and ``negosim list columns``.

The document is generated, never edited: ``scripts/make_columns_doc.py`` rewrites it and a
test fails when it is out of date, so the documentation cannot drift from the files.
"""

from __future__ import annotations

from collections.abc import Sequence

from negosim.columns.declared import Column
from negosim.columns.table import LEADER_TYPES, TEMPLATES, Template

_DTYPE_WORDS = {
    "float64": "float",
    "int64": "integer",
    "uint64": "unsigned integer",
    "bool": "true/false",
    "category": "category",
    "string": "text",
}

_SHORT = {
    "float64": "float",
    "int64": "integer",
    "uint64": "uint",
    "bool": "bool",
    "category": "category",
    "string": "text",
}

HEADER = """\
# Output columns

<!-- Generated from src/negosim/columns/table.py by scripts/make_columns_doc.py; do not edit. -->

Every column negosim writes, declared once in `src/negosim/columns/table.py`. The same
declarations are checked against what the model records (an undeclared column is an error),
stored in every Parquet file as field metadata (`unit`, `meaning`, `missing`, `labels`;
`pyarrow.parquet.read_schema(path).field("reason").metadata`), validated in a sweep's
`keep:` and printed by `negosim list columns [CONFIG]`.

- **Per-issue columns** (`offer_{issue}`, `in_force_{issue}`, `final_{issue}`) exist once
  per enabled issue of the scenario, in the issue's own `unit` (baseline:
  `security_commitment` level, `tariff` % ad valorem, `defense_budget` % of GDP,
  `investment_pledge` US$ bn to 2029). `months_at_level_{level}` exists for China's
  coercion levels 0-5.
- **Categories** (`reason`, `proposer`, `leader`, `final_leader`, `final_status`) are stored
  as labelled categories (Arrow dictionary columns; pandas `category`), with the column's
  full label list in every file, so the chunks of a sweep share it.
- **Missing values** are nulls (pandas `<NA>` for integers, `NaN` for floats; DuckDB and
  Arrow skip them in means). Only the columns with a "missing means" entry below can be
  missing; there a missing value means what the entry says ("no deal in the run"), never
  a number such as -1. A NaN anywhere else would be a computed value, and is stored as NaN.
- In Python, `negosim.outcomes.round_frame(model)` and `run_frame(model)` give the same
  encodings; `round_table`/`summarize` give the raw numpy columns (codes as integers, a
  missing `first_deal_round` as -1, missing floats as NaN).
- A sweep's tables add `point` (the design point); `load_sweep(DIR).runs` and `.rounds`
  carry each point's parameter values.
"""


def _unit(template: Template) -> str:
    return template.unit.replace("|", "\\|") if template.unit else ""


def _row(template: Template) -> str:
    kind = _DTYPE_WORDS[template.dtype]
    if template.dtype == "int64" and template.missing:
        kind = "integer or missing"
    meaning = template.meaning.replace("{level_name}", "its name in china.levels")
    if template.sweep_only:
        meaning += " (sweeps only)"
    cells = [f"`{template.name}`", kind, _unit(template), meaning, template.missing]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _labels(template: Template) -> list[str]:
    if template.labels == LEADER_TYPES:
        return [
            f"### `{template.name}`",
            "",
            "The scenario's leader types (`politics.leader_types`; baseline: `dove`, "
            "`centrist`, `hawk`).",
            "",
        ]
    words = template.label_meanings or template.labels
    lines = [f"### `{template.name}`", "", "| label | meaning |", "|---|---|"]
    lines += [f"| `{label}` | {word} |" for label, word in zip(template.labels, words, strict=True)]
    return [*lines, ""]


def markdown() -> str:
    """The whole of ``docs/columns.md``."""
    lines = [HEADER]
    for table, title in (("round", "Per round (`rounds`)"), ("run", "Per run (`runs`, summary)")):
        lines += [
            f"## {title}",
            "",
            "| column | type | unit | meaning | missing means |",
            "|---|---|---|---|---|",
        ]
        lines += [_row(t) for t in TEMPLATES if t.table == table]
        lines.append("")
    lines += ["## Labels of the categories", ""]
    seen: set[str] = set()
    for template in TEMPLATES:
        if template.labels and template.name not in seen:
            seen.add(template.name)
            lines += _labels(template)
    return "\n".join(lines).rstrip("\n") + "\n"


def listing(columns: Sequence[Column]) -> str:
    """Plain text for the terminal: one line per column, labels under categories."""
    width = max(len(c.name) for c in columns)
    lines = []
    for table in ("round", "run"):
        chosen = [c for c in columns if c.table == table]
        if not chosen:
            continue
        lines.append(f"{'per-round' if table == 'round' else 'per-run'} columns ({table}s):")
        for c in chosen:
            unit = f" [{c.unit}]" if c.unit else ""
            kind = _SHORT[c.dtype]
            lines.append(f"  {c.name:<{width}} {kind:<8} {c.meaning}{unit}")
            if c.missing:
                lines.append(f"  {'':<{width}} {'':<8} missing: {c.missing}")
            if c.labels:
                lines.append(f"  {'':<{width}} {'':<8} labels: {', '.join(c.labels)}")
    return "\n".join(lines) + "\n"
