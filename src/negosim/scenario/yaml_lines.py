"""Safe YAML reading that remembers where every field was written.

PyYAML's ``safe_load`` returns plain data and forgets positions, and it silently keeps the
last of two equal keys. Scenario errors must point at a line, and a duplicated key is almost
always a copy-paste mistake that would otherwise change results unnoticed. So the document is
composed into a node tree first (SafeLoader only: a scenario must never run code), positions
and duplicates are read off that tree, and the same tree is then constructed into data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from negosim.scenario.limits import MAX_VALUES, screen
from negosim.scenario.problems import Problem, join_path, short_repr

MERGE_TAG = "tag:yaml.org,2002:merge"
# The limits' screening bounds the expanded tree; this bound only keeps the walk finite.
MAX_NODES = 4 * MAX_VALUES
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    """A date or time, or a YAML error at its line (PyYAML raises a bare ValueError)."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as err:
        raise yaml.constructor.ConstructorError(
            None, None, f"not a valid date or time {node.value!r} ({err})", node.start_mark
        ) from None


class _SafeLoader(yaml.SafeLoader):
    """Python's safe loader, with impossible dates reported as YAML errors."""


class _CSafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader (same data, same marks), with the same date handling."""


for _loader in (_SafeLoader, _CSafeLoader):
    _loader.add_constructor(TIMESTAMP_TAG, _timestamp)
#: libyaml's safe loader when PyYAML was built with it (ten times faster), else Python's.
FAST_LOADER: type = _CSafeLoader
#: Up to this size a file libyaml refuses is parsed again in Python for a fuller message.
REPARSE_BYTES = 64 * 1024


@dataclass
class ParsedYaml:
    """Result of reading YAML text: the data (``None`` on failure), lines, problems."""

    data: object = None
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    ok: bool = False


def parse_yaml(text: str, source: str) -> ParsedYaml:
    """Parse ``text`` with the safe loader, mapping dotted paths to 1-based key lines.

    The text is first held to the input limits (:mod:`negosim.scenario.limits`: size,
    values with aliases expanded, depth). A syntax error yields one problem at the parser's
    line; duplicate keys yield one problem each (the data then holds the last value, as
    PyYAML would, but ``ok`` is still set so structural checks can also run and report
    everything at once). libyaml parses when it is installed (ten times faster); a small
    file that libyaml refuses is parsed again in Python, whose messages name more.
    """
    result = ParsedYaml()
    refused = screen(text, source)
    if refused is not None:
        result.problems.append(refused)
        return result
    problem = _parse_into(result, text, source, FAST_LOADER)
    if problem is not None and len(text) <= REPARSE_BYTES:
        result = ParsedYaml()
        problem = _parse_into(result, text, source, _SafeLoader)
    if problem is not None:
        result.problems.append(problem)
    return result


def _parse_into(result: ParsedYaml, text: str, source: str, loader_class: type) -> Problem | None:
    """Compose, walk and construct ``text`` into ``result``; the problem that stopped it."""
    loader = None
    try:
        loader = loader_class(text)
        node = loader.get_single_node()
        if node is None:
            result.ok = True
            return None
        walker = _Walker(source)
        walker.walk(node, "")
        result.lines = walker.lines
        result.problems.extend(walker.problems)
        result.data = loader.construct_document(node)
        result.ok = True
    except yaml.MarkedYAMLError as err:
        return _syntax_problem(err, source)
    except yaml.reader.ReaderError as err:
        return _reader_problem(err, text, source)
    except yaml.YAMLError as err:
        return Problem(source, None, "", f"invalid YAML: {err}")
    except (ValueError, OverflowError) as err:  # a constructor's own error (``!!float x``)
        return Problem(source, None, "", f"invalid YAML value: {err}")
    except RecursionError:  # the depth limit should make this unreachable
        return Problem(source, None, "", "nested too deeply to read", None, "a shallower file")
    finally:
        if loader is not None:
            loader.dispose()
    return None


def _reader_problem(err: yaml.reader.ReaderError, text: str, source: str) -> Problem:
    """A character YAML does not allow (a control character), at its line."""
    line = text[: err.position].count("\n") + 1 if isinstance(err.position, int) else None
    code = err.character if isinstance(err.character, int) else ord(str(err.character)[:1] or "?")
    return Problem(
        source,
        line,
        "",
        f"character {code:#06x} is not allowed in YAML ({err.reason or 'unprintable'})",
        allowed="printable text; of the control characters only tab, newline and carriage return",
    )


def _syntax_problem(err: yaml.MarkedYAMLError, source: str) -> Problem:
    """One problem for a parser/composer/constructor error, at the line it points to."""
    mark = err.problem_mark or err.context_mark
    line = mark.line + 1 if mark is not None else None
    parts = [p for p in (err.context, err.problem) if p]
    message = "invalid YAML: " + ("; ".join(parts) if parts else str(err))
    if err.context_mark is not None and err.problem_mark is not None and err.context:
        message += f" (the construct started at line {err.context_mark.line + 1})"
    return Problem(source, line, "", message)


class _Walker:
    """Walks a composed node tree recording key lines and duplicate keys."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines: dict[str, int] = {}
        self.problems: list[Problem] = []
        self._keys = yaml.SafeLoader("")
        self._visited = 0
        self._stack: set[int] = set()

    def walk(self, node: yaml.Node, path: str, line: int | None = None) -> None:
        """Record ``path`` at ``line`` (the key's line) and descend into collections."""
        self._visited += 1
        if self._visited > MAX_NODES or id(node) in self._stack:
            return
        self.lines[path] = line if line is not None else node.start_mark.line + 1
        self._stack.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                self._walk_mapping(node, path)
            elif isinstance(node, yaml.SequenceNode):
                for index, item in enumerate(node.value):
                    self.walk(item, join_path(path, index))
        finally:
            self._stack.discard(id(node))

    def _walk_mapping(self, node: yaml.MappingNode, path: str) -> None:
        """Explicit keys first (duplicates are errors), then keys merged in with ``<<``."""
        seen: dict[object, int] = {}
        merged: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                merged.extend(_merge_sources(value_node))
                continue
            key = self._key(key_node)
            key_line = key_node.start_mark.line + 1
            child = join_path(path, key)
            if key in seen:
                self.problems.append(
                    Problem(
                        self.source,
                        key_line,
                        child,
                        f"duplicate key {short_repr(key)} (first written at line {seen[key]}); "
                        "YAML would silently keep only this last value",
                        allowed="each key at most once per mapping",
                    )
                )
            seen[key] = key_line
            self.walk(value_node, child, key_line)
        for source in merged:
            for key_node, value_node in source.value:
                if key_node.tag == MERGE_TAG:
                    continue
                key = self._key(key_node)
                if key not in seen:
                    seen[key] = key_node.start_mark.line + 1
                    self.walk(value_node, join_path(path, key), seen[key])

    def _key(self, key_node: yaml.Node) -> object:
        """Construct the key (``0`` for ``0:``) so paths match what pydantic reports."""
        if isinstance(key_node, yaml.ScalarNode):
            try:
                key = self._keys.construct_object(key_node)
            except yaml.YAMLError:
                return key_node.value
            try:
                hash(key)
            except TypeError:
                return key_node.value
            return key
        return f"<{key_node.id} key at line {key_node.start_mark.line + 1}>"


def _merge_sources(value_node: yaml.Node) -> list[yaml.MappingNode]:
    """Collect the mappings named by a ``<<`` merge key: one mapping or a sequence."""
    if isinstance(value_node, yaml.MappingNode):
        return [value_node]
    if isinstance(value_node, yaml.SequenceNode):
        return [n for n in value_node.value if isinstance(n, yaml.MappingNode)]
    return []
