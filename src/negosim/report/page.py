"""The page every report shares: HTML skeleton, print-friendly style, figures and tables.

Figures are embedded as base64 PNG (``data:`` URIs) or inline SVG, so the file opens with
no network and no neighbouring files. The style uses system fonts only, keeps figures and
tables from splitting across printed pages, and prints on A4 or Letter alike.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

STYLE = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --band: #f4f6f8; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif;
       color: var(--ink); max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem;
       line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--rule); padding-bottom: .2rem;
     margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
.subtitle { color: var(--muted); margin-top: 0; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .88rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .6rem; text-align: left;
         vertical-align: top; }
th { background: var(--band); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.kv th { width: 14rem; background: none; color: var(--muted); font-weight: normal; }
figure { margin: 1rem 0 1.6rem; break-inside: avoid; page-break-inside: avoid; }
figure img, figure svg { max-width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: .85rem; }
pre.account { background: var(--band); padding: .8rem 1rem; font-size: .8rem;
              white-space: pre-wrap; break-inside: auto; }
.note { background: #fff4e0; border-left: 4px solid #E69F00; padding: .5rem .8rem; }
.toc a { margin-right: 1rem; }
code { font-size: .9em; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-before: auto; break-after: avoid; }
  .toc { display: none; }
  a { color: inherit; text-decoration: none; }
  table, tr { break-inside: avoid; }
}
@page { margin: 15mm; }
"""


def esc(value: Any) -> str:
    """Text made safe for HTML."""
    return html.escape(str(value), quote=True)


def page(title: str, subtitle: str, sections: Iterable[tuple[str, str]]) -> str:
    """A whole document: title, a table of contents, then each (heading, body HTML)."""
    sections = list(sections)
    anchors = [f"s{i}" for i in range(len(sections))]
    toc = " ".join(
        f'<a href="#{a}">{esc(h)}</a>' for a, (h, _) in zip(anchors, sections, strict=True)
    )
    body = "\n".join(
        f'<section id="{a}"><h2>{esc(h)}</h2>\n{content}\n</section>'
        for a, (h, content) in zip(anchors, sections, strict=True)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style></head>\n<body>\n"
        f'<h1>{esc(title)}</h1>\n<p class="subtitle">{esc(subtitle)}</p>\n'
        f'<nav class="toc">{toc}</nav>\n{body}\n</body></html>\n'
    )


def figure(path: Path, caption: str = "") -> str:
    """An image file embedded in the page (PNG as a data URI, SVG inline)."""
    if path.suffix == ".svg":
        inner = path.read_text(encoding="utf-8")
        inner = inner[inner.index("<svg") :]  # drop the XML prolog and doctype
    else:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        inner = f'<img alt="{esc(caption or path.stem)}" src="data:image/png;base64,{data}">'
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f"<figure>{inner}{cap}</figure>"


def code_and_command(record: Mapping[str, Any]) -> dict[str, str]:
    """The code identity and command line a result recorded (negosim.provenance), in words."""
    items: dict[str, str] = {}
    code = record.get("code")
    if isinstance(code, Mapping):
        parts = [f"negosim {code.get('version', '?')}"]
        if code.get("commit"):
            dirty = " (uncommitted changes)" if code.get("dirty") else ""
            parts.append(f"git commit {code['commit']}{dirty}")
        for key in ("source_sha256",):
            if code.get(key):
                parts.append(f"sources SHA-256 {code[key]}")
        items["code"] = ", ".join(parts)
    command = record.get("command")
    if isinstance(command, Mapping):
        items["command"] = " ".join(str(a) for a in command.get("argv", []))
        items["working directory"] = str(command.get("cwd", "?"))
    elif isinstance(command, list):
        items["command"] = " ".join(str(a) for a in command)
    return items


def key_values(items: Mapping[str, Any]) -> str:
    """A two-column table of labels and values."""
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in items.items())
    return f'<table class="kv">{rows}</table>'


def table(frame: pd.DataFrame, digits: int = 3, max_rows: int | None = None) -> str:
    """A DataFrame as an HTML table: numbers right-aligned, rounded, missing shown as —."""
    shown = frame if max_rows is None else frame.head(max_rows)
    head = "".join(
        f'<th class="{"num" if pd.api.types.is_numeric_dtype(shown[c]) else ""}">{esc(c)}</th>'
        for c in shown.columns
    )
    lines = []
    values = {c: shown[c].tolist() for c in shown.columns}  # per column: no upcasting
    for i in range(len(shown)):
        cells = []
        for column in shown.columns:
            value = values[column][i]
            numeric = pd.api.types.is_numeric_dtype(shown[column])
            if pd.isna(value):
                text = "—"
            elif isinstance(value, bool):
                text = "yes" if value else "no"
            elif numeric and isinstance(value, float):
                text = f"{value:,.{digits}f}"
            elif numeric:
                text = f"{value:,}"
            else:
                text = str(value)
            cells.append(f'<td class="{"num" if numeric else ""}">{esc(text)}</td>')
        lines.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if max_rows is not None and len(frame) > max_rows:
        more = f'<p class="subtitle">{len(frame) - max_rows:,} more rows in the files.</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>{more}"
