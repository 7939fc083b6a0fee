"""What an input file may be: its size, how many values it expands to, how deep it nests.

A scenario or experiment file is small (the fully commented baseline is ~24 KB, ~650 YAML
values, nested 6 deep; the lever table ~1,200 values). A file far beyond that is a mistake
or an attack: a 50 MB file, an alias bomb (``&a [*b, *b, ...]`` nine levels deep
describes a billion values in a few lines) or a merge-key bomb (``<<: [*a, *a]``) would
otherwise hang every command for minutes and take gigabytes while pydantic walks the
expanded tree. So every file is held to these limits before it is parsed for real, and
the refusal says which limit it broke:

- at most :data:`MAX_FILE_BYTES` bytes, read no further than that (so ``/dev/zero`` or a
  huge file costs only the limit);
- at most :data:`MAX_VALUES` values after expanding aliases and merge keys, counted on
  libyaml's event stream (each alias counts as many values as the collection it names),
  so a bomb is refused after reading its few lines, never expanded;
- at most :data:`MAX_DEPTH` levels of nested mappings and lists, and no alias to a
  collection from inside that collection (a recursive structure).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from negosim.scenario.problems import Problem, Reporter, ScenarioError, join_path, short_repr

#: Largest file read (1 MiB: forty times the fully commented baseline).
MAX_FILE_BYTES = 1024 * 1024
#: Values (scalars, mappings, lists) a file may expand to, aliases and merge keys expanded.
MAX_VALUES = 20_000
#: Nesting of mappings and lists (the baseline's deepest is 6).
MAX_DEPTH = 32

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_limited(path: Path, source: str, what: str = "scenario file") -> bytes:
    """The bytes of ``path`` (at most the size limit), or a ScenarioError saying why not."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        message = "file not found"
    except IsADirectoryError:
        message = f"is a directory, not a {what}"
    except OSError as err:
        message = f"cannot read file: {err.strerror or err}"
    else:
        if len(raw) > MAX_FILE_BYTES:
            raise ScenarioError([too_large(source)])
        return raw
    raise ScenarioError([Problem(source, None, "", message)])


def decode(raw: bytes, source: str) -> str:
    """``raw`` as UTF-8 text, or a ScenarioError naming the line of the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problem = Problem(
            source,
            line,
            "",
            f"not UTF-8 text (byte {raw[err.start]:#04x} at offset {err.start}); "
            "is this a binary file?",
            allowed="a UTF-8 YAML text file",
        )
        raise ScenarioError([problem]) from None


def too_large(source: str, size: int | None = None) -> Problem:
    """The problem of a file over :data:`MAX_FILE_BYTES`."""
    given = "more than the limit" if size is None else f"{size:,} bytes"
    return Problem(
        source,
        None,
        "",
        f"file too large: over the {MAX_FILE_BYTES:,}-byte (1 MiB) limit for an input file",
        given,
        f"at most {MAX_FILE_BYTES:,} bytes",
    )


def screen(text: str, source: str) -> Problem | None:
    """The first limit ``text`` breaks (size, values, depth, a recursive alias), or ``None``.

    Only limits are judged here: a syntax error ends the screening silently and is
    reported, with its line, by the parse that follows.
    """
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as err:
        line = text[: err.start].count("\n") + 1
        return Problem(source, line, "", "not UTF-8 text (a lone surrogate character)")
    if size > MAX_FILE_BYTES:
        return too_large(source, size)
    try:
        return _screen_events(text, source)
    except yaml.YAMLError:
        return None


def _screen_events(text: str, source: str) -> Problem | None:
    """Walk the event stream counting expanded values and depth (never building the tree)."""
    anchors: dict[str, int] = {}
    sizes: list[int] = []  # values so far in each open collection, outermost first
    names: list[str | None] = []  # the anchor of each open collection
    expanded = 0
    for event in yaml.parse(text, Loader=_LOADER):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.CollectionStartEvent):
            sizes.append(1)
            names.append(event.anchor)
            expanded += 1
            if len(sizes) > MAX_DEPTH:
                return Problem(
                    source,
                    line,
                    "",
                    f"nested more than {MAX_DEPTH} levels deep",
                    allowed=f"at most {MAX_DEPTH} levels of nested mappings and lists",
                )
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            values, name = sizes.pop(), names.pop()
            if name is not None:
                anchors[name] = values
            if sizes:
                sizes[-1] += values
            continue
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in names:
                return Problem(
                    source,
                    line,
                    "",
                    f"alias *{event.anchor} is used inside the collection it names "
                    "(a recursive structure)",
                    allowed="aliases to values defined before, outside them",
                )
            values = anchors.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            values = 1
            if event.anchor is not None:
                anchors[event.anchor] = 1
        else:
            continue
        expanded += values
        if sizes:
            sizes[-1] += values
        if expanded > MAX_VALUES:
            return Problem(
                source,
                line,
                "",
                f"the YAML expands to more than {MAX_VALUES:,} values (each alias or "
                "merge key counts the values it repeats): an alias bomb, or not a "
                "scenario or experiment file",
                allowed=f"at most {MAX_VALUES:,} values with aliases expanded",
            )
    return None


#: Largest magnitude of a number in a file (the shipped files' largest, seeds aside, is
#: the Nikkei's 38,787): products of a few such numbers stay far from overflow.
MAX_MAGNITUDE = 1e9


def check_numbers(data: object, reporter: Reporter, exempt: tuple[str, ...] = ("seed",)) -> bool:
    """Report every number of ``data`` outside what negosim computes with; true if none.

    Fields in ``exempt`` (top-level paths, such as the 63-bit ``seed``) keep only their
    schema's own range. NaN and infinities are left to the schema, which refuses them.
    """
    before = len(reporter.problems)
    for path, value in _numbers(data, ""):
        if path in exempt or value != value or value in (float("inf"), float("-inf")):
            continue
        if abs(value) > MAX_MAGNITUDE:
            reporter.add(
                path,
                f"too large a number: negosim computes with magnitudes up to {MAX_MAGNITUDE:g}",
                short_repr(value),
                f"a number in [-{MAX_MAGNITUDE:g}, {MAX_MAGNITUDE:g}]",
            )
    return len(reporter.problems) == before


def _numbers(data: object, prefix: str) -> Iterator[tuple[str, int | float]]:
    """Every number (not a boolean) in nested mappings and lists, with its dotted path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _numbers(value, join_path(prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _numbers(value, join_path(prefix, index))
    elif isinstance(data, int | float) and not isinstance(data, bool):
        yield prefix, data
