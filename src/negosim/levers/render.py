"""The lever table as Markdown (docs/levers.md): provenance, how to read it, one table per group.

Plain GitHub Markdown: one table per lever group, the lever's name and change on its first
row, every number with the precision its interval supports, and a closing list of the
levers that are inert or wrong-signed today with the reason the spec gives for each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import yaml

from negosim.levers.measure import RowResult
from negosim.levers.spec import Lever, LeverTable
from negosim.levers.stats import LEVEL, Effect

ARROWS = {"up": "↑ up", "down": "↓ down", "none": "no effect", "ambiguous": "ambiguous"}
FLAGGED = ("no effect", "wrong sign", "unexpected effect", "no valid pairs")


@dataclass(frozen=True)
class Provenance:
    """How the table was produced (printed at its top)."""

    command: str
    replicates: int
    seed: int
    version: str
    commit: str
    date: str
    seconds: float
    workers: int
    scenario: str


def flow(value: object) -> str:
    """A value as one line of YAML flow style (``[{round: 2, kind: taiwan_statement}]``)."""
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10**6)
    return text.strip().removesuffix("...").strip()


def cell(text: str) -> str:
    """Escape a table cell (pipes, line breaks)."""
    return text.replace("|", "\\|").replace("\n", " ")


def change(lever: Lever) -> str:
    """``path`` low → high, for each moved path (fixed ``set:`` values after a semicolon)."""
    parts = [
        f"`{p}` {flow(lever.overrides['low'][p])} → {flow(lever.overrides['high'][p])}"
        for p in lever.paths
    ]
    text = "; ".join(parts)
    fixed = [f"`{p}` {flow(v)}" for p, v in lever.spec.set.items()]
    if lever.spec.rounds is not None:
        fixed.append(f"{lever.spec.rounds}-month runs")
    return text + (" (with " + ", ".join(fixed) + ")" if fixed else "")


def decimals(effect: Effect) -> int:
    """Decimals that show the interval's width with two significant figures (0–6)."""
    half = (effect.ci_high - effect.ci_low) / 2
    if not math.isfinite(half) or half <= 0:
        scale = max(abs(effect.low_mean), abs(effect.high_mean), abs(effect.mean))
        return 3 if scale < 10 else 1
    return int(min(6, max(0, 1 - math.floor(math.log10(half)))))


def effect_cells(effect: Effect | None) -> tuple[str, str, str]:
    """(Δ [CI], low → high means, n) as table cells."""
    if effect is None:
        return "— (no pair has this outcome in both runs)", "—", "0"
    k = decimals(effect)
    if math.isfinite(effect.ci_low):
        ci = f"[{effect.ci_low:+.{k}f}, {effect.ci_high:+.{k}f}]"
    else:
        ci = "[one pair: no interval]"
    delta = f"{effect.mean:+.{k}f} {ci}"
    means = f"{effect.low_mean:.{k}f} → {effect.high_mean:.{k}f}"
    return delta, means, f"{effect.n:,}"


def _group_table(results: list[RowResult]) -> list[str]:
    lines = [
        "| lever | change | outcome | theory predicts | measured Δ [95 % CI] "
        "| low → high means | n | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    previous = None
    for res in results:
        first = res.lever.name != previous
        previous = res.lever.name
        lever = f"`{res.lever.name}`" if first else ""
        moved = change(res.lever) if first else ""
        outcome = f"`{res.row.outcome}`" + (f" given {res.row.given}" if res.row.given else "")
        predicts = f"{ARROWS[res.row.predicts]}: {res.row.theory}"
        delta, means, n = effect_cells(res.effect)
        verdict = f"**{res.verdict}**" if res.verdict.startswith(FLAGGED) else res.verdict
        cells = [lever, moved, outcome, predicts, delta, means, n, verdict]
        lines.append("| " + " | ".join(cell(c) for c in cells) + " |")
    return lines


def _lever_notes(results: list[RowResult]) -> list[str]:
    """One bullet per lever: what it is, why each outcome should move, its note."""
    lines: list[str] = []
    for lever in _levers_of(results):
        why = " ".join(f"`{r.row.label}`: {r.row.why.strip()}" for r in results if r.lever is lever)
        text = f"- `{lever.name}`: {lever.spec.what.strip()} *Why:* {why}"
        if lever.spec.note.strip():
            text += f" *Note:* {lever.spec.note.strip()}"
        lines.append(text.replace("\n", " "))
    return lines


def _levers_of(results: list[RowResult]) -> list[Lever]:
    """The levers of ``results``, each once, in order."""
    levers: list[Lever] = []
    for res in results:
        if all(res.lever is not x for x in levers):
            levers.append(res.lever)
    return levers


def _flagged(results: list[RowResult]) -> list[str]:
    """One bullet per lever with an inert or wrong-signed row, with the spec's reason."""
    lines = []
    for lever in _levers_of(results):
        rows = [r for r in results if r.lever is lever and r.verdict.startswith(FLAGGED)]
        if not rows:
            continue
        found = "; ".join(
            f"`{r.row.label}` {r.verdict} (predicted {r.row.predicts}, measured "
            f"{effect_cells(r.effect)[0]})"
            for r in rows
        )
        note = lever.spec.note.strip() or "No reason is stated in the spec."
        lines.append(f"- `{lever.name}`: {found}. *Reason:* {note}".replace("\n", " "))
    return lines


HOW_TO_READ = f"""\
## How to read this

Each lever compares two settings of a scenario parameter (its *change*, low → high) on the
same replicate seeds (common random numbers): replicate i of the low setting and
replicate i of the high setting meet the same China draws, elections and US reversals, so
their difference d_i = high_i − low_i is the lever's effect on that one history.
*Measured Δ* is the mean of the d_i with its {LEVEL * 100:.0f} % Student t interval over the n
pairs; for a 0/1 outcome (`deal_reached`, `deal_by_round_N`) that is the difference of the
two deal rates with the paired (McNemar-consistent) interval, whose width comes from the
pairs where only one of the two runs reached a deal. *given deal* keeps only the pairs in
which both runs reached a deal (n says how many); `first_deal_round` always counts only
such pairs, as a run without a deal has none. *Low → high means* are the outcome's means
over the same pairs. The *verdict* compares the interval with the direction the cited
theory predicts: **agrees** (the interval excludes 0 on the predicted side, or covers 0
where no effect is predicted), **wrong sign** (it excludes 0 on the other side), **no
effect** (it covers 0), *ambiguous theory* (the theory predicts no single sign, the
measured direction is reported). An interval excludes 0 because of this model, these
settings and this many pairs; a "no effect" is an effect too small to see at n pairs, not
proof that there is none. Outcomes are the per-run columns of
[columns.md](columns.md) (`final_tariff` is the final package's tariff, after any
reversal); `joint_utility` is `japan_utility + us_utility`.
"""


def render(table: LeverTable, results: list[RowResult], prov: Provenance) -> str:
    """The whole document."""
    header = table.spec.lever_table
    base = table.base
    lines = [
        "# Levers: what each one should move, and what it moves in the model",
        "",
        f"<!-- Generated by `{prov.command}` from {table.source}; do not edit. -->",
        "",
        header.description.strip(),
        "",
        f"- **Command:** `{prov.command}` (the runs took {prov.seconds:.0f} s on {prov.workers} "
        f"worker{'s' if prov.workers > 1 else ''})",
        f"- **Scenario:** `{base.spec.name}` ({prov.scenario}), resolved SHA-256 "
        f"`{base.resolved_sha256}`",
        f"- **Replicates:** {prov.replicates:,} pairs per lever, master seed {prov.seed} "
        "(seeds as `negosim.sweep.seeds.derive_seeds` with common random numbers)",
        f"- **Produced:** negosim {prov.version}, git commit {prov.commit}, {prov.date}",
        f"- **Spec:** `{table.source}`, SHA-256 `{table.sha256}`",
        "",
        HOW_TO_READ.rstrip(),
    ]
    for group, block in table.spec.groups.items():
        rows = [r for r in results if r.lever.group == group]
        if not rows:
            continue
        lines += ["", f"## {block.title}", ""]
        if block.intro:
            lines += [block.intro.strip(), ""]
        lines += _group_table(rows)
        lines += ["", *_lever_notes(rows)]
    lines += ["", "## Inert and wrong-signed levers", ""]
    flagged = _flagged(results)
    lines += flagged or ["None: every lever moves what the theory says it should."]
    return "\n".join(lines).rstrip() + "\n"
