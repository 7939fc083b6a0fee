"""Scenario files as overlays: ``extends: baseline.yaml`` plus only what differs.

A preset that repeats the whole baseline hides its few changes among two hundred unchanged
lines, and drifts when the baseline is corrected. An overlay states what it changes; the
chain of files is read here and merged into one mapping before any check runs, and every
value keeps the file and line where it was written, so a problem still points at the place
to edit: the overlay's line for a value it sets, the base's line for one it inherits.

Merge rules (documented in docs/scenarios.md):

- a mapping in the overlay merges into the base's mapping key by key, recursively;
- anything else (a number, a string, ``null``, a list) replaces the base's value whole. A
  list such as ``events`` or ``politics.red_lines`` is therefore restated in full when an
  overlay changes it: merging list items by position would silently mix two lists;
- keys the base lacks are added after the base's keys (a new issue comes last);
- an inherited key cannot be deleted (``null`` sets the value to null); to drop an issue
  use ``enabled: false``.

``extends`` is a path relative to the file that writes it; bases may extend further bases.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from negosim.scenario.limits import decode, read_limited
from negosim.scenario.problems import Problem, ScenarioError, join_path, short_repr
from negosim.scenario.yaml_lines import parse_yaml

EXTENDS = "extends"


@dataclass(frozen=True)
class SourceFile:
    """One file of a scenario's chain: how it is named in messages, its text and hash."""

    source: str
    text: str
    sha256: str


@dataclass
class ReadChain:
    """A file merged with its bases: data, where each path was written, the chain, problems.

    ``lines`` maps a dotted path to (source, line) of the file that wrote the value the
    merged data holds; ``chain`` is the file first, then each base in order.
    """

    data: object = None
    lines: dict[str, tuple[str, int]] = field(default_factory=dict)
    chain: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ok: bool = False


def read_chain(
    text: str, raw: bytes, source: str, base_dir: Path, seen: tuple[Path, ...] = ()
) -> ReadChain:
    """Parse ``text`` (named ``source``) and, if it extends a base, merge it over the base.

    ``base_dir`` is where a relative ``extends`` is looked up; ``seen`` the resolved paths
    of the files on the chain so far, this one included when it is a file (to report a
    cycle rather than recurse forever).
    """
    parsed = parse_yaml(text, source)
    result = ReadChain(problems=list(parsed.problems))
    own = SourceFile(source, text, hashlib.sha256(raw).hexdigest())
    result.chain = [own]
    if not parsed.ok:
        return result
    result.data = parsed.data
    result.lines = {path: (source, line) for path, line in parsed.lines.items()}
    result.ok = True
    if not isinstance(parsed.data, dict) or EXTENDS not in parsed.data:
        return result
    data = dict(parsed.data)
    target = data.pop(EXTENDS)
    line = parsed.lines.get(EXTENDS)
    result.data = data
    result.lines = _without(result.lines, EXTENDS)
    base = _read_base(target, source, line, base_dir, seen)
    result.problems.extend(base.problems)
    if not base.ok:
        result.ok = False
        return result
    if not isinstance(base.data, dict):
        result.problems.append(
            Problem(
                base.chain[0].source,
                1,
                "",
                "a base scenario's top level must be a mapping of fields",
                allowed=f"a scenario file (named by {EXTENDS} in {source}:{line})",
            )
        )
        result.ok = False
        return result
    result.data, result.lines = merge(base.data, base.lines, data, result.lines)
    result.chain = [own, *base.chain]
    return result


def _read_base(
    target: object, source: str, line: int | None, base_dir: Path, seen: tuple[Path, ...]
) -> ReadChain:
    """Read the base named by ``extends`` (``target``), or say plainly why it cannot be."""
    failed = ReadChain()

    def problem(message: str, given: str | None = None, allowed: str | None = None) -> ReadChain:
        failed.problems.append(Problem(source, line, EXTENDS, message, given, allowed))
        return failed

    if not isinstance(target, str) or not target.strip():
        return problem(
            "must name the base scenario file, relative to this file",
            short_repr(target),
            "a file name such as baseline.yaml",
        )
    path = base_dir / target
    shown = str(Path(source).parent / target) if source[:1] != "<" else str(path)
    resolved = path.resolve()
    if resolved in seen:
        names = " -> ".join([*(p.name for p in seen), resolved.name])
        return problem(f"extends itself through a cycle: {names}", repr(target))
    if not path.is_file():
        reason = "is a directory" if path.is_dir() else "not found"
        return problem(f"base scenario {reason}: {shown}", repr(target), "an existing file")
    try:
        raw = read_limited(path, shown)
        text = decode(raw, shown)
    except ScenarioError as err:
        failed.problems.extend(err.problems)
        return failed
    return read_chain(text, raw, shown, resolved.parent, (*seen, resolved))


def merge(
    base: dict[object, object],
    base_lines: dict[str, tuple[str, int]],
    overlay: dict[object, object],
    overlay_lines: dict[str, tuple[str, int]],
) -> tuple[dict[object, object], dict[str, tuple[str, int]]]:
    """Deep-merge ``overlay`` over ``base`` (neither is modified), with the merged line map.

    Mappings merge key by key; every other value replaces the base's whole, and with it the
    base's lines below that path.
    """
    data = copy.deepcopy(base)
    lines = dict(base_lines)
    _merge_into(data, lines, overlay, overlay_lines, "")
    return data, lines


def _merge_into(
    data: dict[object, object],
    lines: dict[str, tuple[str, int]],
    overlay: dict[object, object],
    overlay_lines: dict[str, tuple[str, int]],
    prefix: str,
) -> None:
    for key, value in overlay.items():
        path = join_path(prefix, key)
        if path in overlay_lines:
            lines[path] = overlay_lines[path]
        current = data.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _merge_into(current, lines, value, overlay_lines, path)
            continue
        for stale in [p for p in lines if p.startswith(path + ".")]:
            del lines[stale]
        data[key] = copy.deepcopy(value)
        lines.update({p: at for p, at in overlay_lines.items() if p.startswith(path + ".")})


def _without(lines: dict[str, tuple[str, int]], path: str) -> dict[str, tuple[str, int]]:
    """``lines`` without ``path`` and everything below it."""
    return {p: at for p, at in lines.items() if p != path and not p.startswith(path + ".")}
