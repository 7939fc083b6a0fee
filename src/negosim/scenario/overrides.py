"""Dotted-path overrides of a scenario mapping, as used by ``--set`` and parameter sweeps.

An override replaces a value the file has, or sets a field the schema declares but the file
leaves at its default (``agents.us.concession.params.e``). Any other path fails here, with the
paths that do exist nearby: a typo in a sweep path (``china.omgea``) would otherwise be
caught only as an "unknown field" far from the command that caused it.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping

from negosim.scenario.moved import moved_hint
from negosim.scenario.problems import Problem, ScenarioError, join_path, short_repr
from negosim.scenario.structure import declared_fields

SOURCE = "<overrides>"


def leaf_paths(data: object, prefix: str = "") -> list[str]:
    """Dotted paths of every leaf (scalar, empty mapping, empty list) in file order."""
    if isinstance(data, Mapping) and data:
        paths: list[str] = []
        for key, value in data.items():
            paths.extend(leaf_paths(value, join_path(prefix, key)))
        return paths
    if isinstance(data, list) and data:
        paths = []
        for index, value in enumerate(data):
            paths.extend(leaf_paths(value, join_path(prefix, index)))
        return paths
    return [prefix] if prefix else []


def apply_overrides(data: dict[str, object], overrides: Mapping[str, object]) -> dict[str, object]:
    """Deep copy of ``data`` with each dotted path in ``overrides`` set to its value.

    Paths use mapping keys and list indices (``politics.red_lines.0.bound``); integer keys
    such as level labels match by their text. Every bad path is reported together, each
    with the keys that do exist where it went wrong and close matches among all leaves.
    Values are deep-copied too, so later edits to ``overrides`` cannot leak in.
    """
    result = copy.deepcopy(data)
    problems: list[Problem] = []
    leaves: list[str] | None = None
    for path, value in overrides.items():
        error = _set(result, path, copy.deepcopy(value))
        if error is None:
            continue
        if leaves is None:
            leaves = leaf_paths(data)
        message, siblings = error
        parts = path.split(".")
        moved = next((h for n in range(1, len(parts) + 1) if (h := moved_hint(parts[:n]))), None)
        if moved:
            message += f"; {moved}"
        close = difflib.get_close_matches(path, leaves, n=5, cutoff=0.6)
        allowed = []
        if siblings:
            allowed.append("existing here: " + ", ".join(siblings))
        if close:
            allowed.append("close matches: " + ", ".join(close))
        problems.append(
            Problem(SOURCE, None, path, message, short_repr(value), "; ".join(allowed) or None)
        )
    if problems:
        raise ScenarioError(problems)
    return result


def _set(root: dict[str, object], path: str, value: object) -> tuple[str, list[str]] | None:
    """Set ``path`` in ``root``; on failure return (message, keys at the deepest level)."""
    parts = path.split(".") if path else []
    if not parts or any(p == "" for p in parts):
        return "not a valid dotted path", [str(k) for k in root]
    node: object = root
    for depth, part in enumerate(parts):
        parent = join_path(*parts[:depth]) or "the top level"
        last = depth == len(parts) - 1
        if isinstance(node, dict):
            key = _match_key(node, part)
            if key is None:
                declared = declared_fields(parts[:depth])
                if part not in declared:
                    present = [str(k) for k in node]
                    nearby = present + [f for f in declared if f not in present]
                    return f"no key '{part}' in {parent}", nearby
                key = part
                node[key] = {} if not last else None
            if last:
                node[key] = value
                return None
            node = node[key]
        elif isinstance(node, list):
            if not part.lstrip("-").isdigit() or not 0 <= int(part) < len(node):
                indices = [str(i) for i in range(len(node))]
                return f"no item '{part}' in list {parent} ({len(node)} items)", indices
            if last:
                node[int(part)] = value
                return None
            node = node[int(part)]
        else:
            return f"{parent} is a value ({short_repr(node)}), not a mapping or list", []
    return None


def _match_key(mapping: dict[object, object], part: str) -> object | None:
    """Find the key of ``mapping`` written as ``part`` (exact string first, then by text)."""
    if part in mapping:
        return part
    for key in mapping:
        if str(key) == part:
            return key
    return None
