"""Scenario files sent to the seminar server: bounded before they are parsed for real.

A scenario from a browser is input from anyone on the network the server listens on, so it
gets limits a file on the instructor's disk does not need: a size cap, a cap on YAML nodes,
aliases and nesting (counted on PyYAML's event stream, which never builds the document, so an
alias bomb costs what its text costs), and an ``extends`` that may only name a shipped
preset, never a path (a relative path would read the server's other files). What passes is
validated exactly as ``negosim validate`` does (:func:`negosim.scenario.load_scenario_text`).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from negosim.scenario import Problem, Scenario, ScenarioError, load_scenario_text

#: Largest scenario accepted from a browser (the baseline, fully commented, is ~25 KB).
MAX_UPLOAD_BYTES = 256 * 1024
#: YAML events (scalars, mappings, sequences) in one upload (the baseline has ~1,400).
MAX_NODES = 20_000
#: Aliases (``*name``) in one upload; the shipped scenarios use none, and with k aliases a
#: nested expansion can reach at most about 3^(k/3) nodes.
MAX_ALIASES = 8
#: Nesting depth of mappings and sequences (the baseline's deepest is 6).
MAX_DEPTH = 24


def screen(raw: bytes, source: str) -> str:
    """The upload's text if it is within the limits; otherwise a ScenarioError saying which."""

    def refuse(message: str, allowed: str) -> ScenarioError:
        return ScenarioError([Problem(source, None, "", message, None, allowed)])

    if len(raw) > MAX_UPLOAD_BYTES:
        raise refuse(f"file too large ({len(raw):,} bytes)", f"at most {MAX_UPLOAD_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise refuse(f"not UTF-8 text (byte {err.start})", "a UTF-8 YAML file") from None
    nodes = aliases = depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            nodes += 1
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
            elif isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if nodes > MAX_NODES or aliases > MAX_ALIASES or depth > MAX_DEPTH:
                raise refuse(
                    "the YAML is too large or too deeply nested for a scenario",
                    f"at most {MAX_NODES:,} nodes, {MAX_ALIASES} aliases, depth {MAX_DEPTH}",
                )
    except yaml.YAMLError as err:
        raise _invalid_yaml(err, source) from None
    return text


def _invalid_yaml(err: yaml.YAMLError, source: str) -> ScenarioError:
    """PyYAML's complaint, with its line, as a scenario problem."""
    mark = getattr(err, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(err, "problem", None) or str(err)
    return ScenarioError([Problem(source, line, "", f"not valid YAML: {problem}")])


def load_upload(raw: bytes, source: str, presets: dict[str, Path]) -> Scenario:
    """Screen, then check and resolve an uploaded scenario; ``extends`` names a preset file.

    ``presets`` maps each shipped file name (``baseline.yaml``) to its path.
    """
    text = screen(raw, source)
    try:  # a tag (!!python/object, !foo, bad !!binary) passes the event screen, not this
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise _invalid_yaml(err, source) from None
    base = data.get("extends") if isinstance(data, dict) else None
    if base is not None and (not isinstance(base, str) or base not in presets):
        raise ScenarioError(
            [
                Problem(
                    source,
                    None,
                    "extends",
                    "an uploaded scenario can extend only a shipped preset",
                    repr(base)[:60],
                    ", ".join(sorted(presets)),
                )
            ]
        )
    directory = presets[base].parent if base else Path(".")
    return load_scenario_text(text, source, base_dir=directory)
