"""Bad and hostile input files end in a ScenarioError that says what is wrong, never a traceback.

Each test feeds one kind of input a careless or hostile user could write (issue 10): empty,
binary and non-UTF-8 files, control characters, a top-level list, unicode keys, NaN and
infinities, numbers too large to compute with, deep nesting, alias and merge-key bombs,
oversized files, Python tags and importable paths where a registered name belongs. Hostile
files must be refused within a second and with bounded memory.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import BASE_TEXT, BASELINE, edit, line_of
from negosim.scenario import (
    ScenarioError,
    load_scenario,
    load_scenario_text,
    validate_file,
)
from negosim.scenario.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES
from negosim.sweep import load_experiment

TINY_EXPERIMENT = f"""name: tiny
scenario: {BASELINE}
seed: 1
replicates: 2
design:
  parameters:
    china.omega: {{values: [0.25, 0.5]}}
"""


def problems_of(tmp_path: Path, content: str | bytes, name: str = "bad.yaml") -> list[str]:
    """Write ``content`` and return its problems as text (the file must be refused)."""
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    problems = validate_file(path)
    assert problems, "expected the file to be refused"
    assert all(p.source == str(path) for p in problems)
    return [str(p) for p in problems]


def refused_quickly(load, *args: object) -> tuple[str, float, int]:
    """Run ``load`` twice; it must raise ScenarioError. Its message, seconds and peak bytes.

    Seconds are timed on the first call, peak memory traced on the second (tracing slows
    Python several times over, so it would distort the time).
    """
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as err:
        load(*args)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        with pytest.raises(ScenarioError):
            load(*args)
        return str(err.value), seconds, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- files that are not scenario text ------------------------------------------------------


@pytest.mark.parametrize("content", ["", "   \n\n", "# only a comment\n", "---\n"])
def test_an_empty_file_is_refused_as_empty(tmp_path, content):
    (message,) = problems_of(tmp_path, content)
    assert "the scenario is empty" in message and "allowed:" in message


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        bytes(range(256)) * 4,
        b"name: caf\xe9\n",  # Latin-1, not UTF-8
    ],
)
def test_binary_and_non_utf8_files_say_so(tmp_path, content):
    (message,) = problems_of(tmp_path, content)
    assert "not UTF-8 text" in message


def test_a_non_utf8_byte_is_located_on_its_line(tmp_path):
    (message,) = problems_of(tmp_path, b"name: x\n\ndescription: caf\xe9\n")
    assert "bad.yaml:3: not UTF-8 text (byte 0xe9" in message


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\ufffe"])
def test_a_control_character_names_its_line_and_what_is_allowed(tmp_path, char):
    text = edit(BASE_TEXT, "name: baseline", f"name: base{char}line")
    (message,) = problems_of(tmp_path, text)
    assert f"bad.yaml:{line_of(BASE_TEXT, 'name: baseline')}: character" in message
    assert "not allowed in YAML" in message and "tab, newline" in message


@pytest.mark.parametrize(
    ("content", "kind"),
    [("- a\n- b\n", "a list"), ("42\n", "a number"), ("just words\n", "a string")],
)
def test_a_top_level_list_or_scalar_is_refused(tmp_path, content, kind):
    (message,) = problems_of(tmp_path, content)
    assert f"the top level must be a mapping of fields, not {kind}" in message


def test_unicode_keys_are_named_in_the_problem(tmp_path):
    text = BASE_TEXT + "名前: 交渉\n😀: 1\n"
    messages = problems_of(tmp_path, text)
    assert any("名前: unknown field" in m for m in messages)
    assert any("😀: unknown field" in m for m in messages)


def test_a_directory_and_a_missing_file(tmp_path):
    assert "is a directory" in str(validate_file(tmp_path)[0])
    assert "file not found" in str(validate_file(tmp_path / "nope.yaml")[0])


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN", "1.0e+400"])
@pytest.mark.parametrize(
    ("anchor", "path"),
    [
        ("  omega: 0.5 ", "china.omega"),
        ("  nikkei_per_tariff_point: -0.3", "markets.nikkei_per_tariff_point"),
        ("    intercept: -0.3", "china.beta.intercept"),
    ],
)
def test_nan_and_infinities_are_refused_as_not_finite(tmp_path, value, anchor, path):
    old = next(line for line in BASE_TEXT.splitlines() if line.startswith(anchor))
    number = old.split(":", 1)[1].split("#")[0].strip()
    text = edit(BASE_TEXT, old, old.replace(number, value, 1))
    (message,) = problems_of(tmp_path, text)
    assert f":{line_of(BASE_TEXT, old)}: {path}: must be a finite number" in message
    assert "allowed: a finite number" in message


def test_nan_in_a_list_and_in_a_mapping_is_refused(tmp_path):
    text = edit(BASE_TEXT, "thresholds: [-1.4,", "thresholds: [.nan,")
    text = edit(text, "{security_commitment: 0.40,", "{security_commitment: .inf,")
    messages = problems_of(tmp_path, text)
    assert any("china.thresholds.0: must be a finite number" in m for m in messages)
    assert any("priorities.security_commitment: must be a finite number" in m for m in messages)


@pytest.mark.parametrize("value", ["1.0e+300", "-1.0e+300", "123456789012345678901234567890"])
def test_numbers_too_large_to_compute_with_are_refused(tmp_path, value):
    text = edit(BASE_TEXT, "  asia_beta: 0.6", f"  asia_beta: {value}")
    (message,) = problems_of(tmp_path, text)
    assert "markets.asia_beta: too large a number" in message
    assert "allowed: a number in [-1e+09, 1e+09]" in message


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("  rounds: 12 ", "  rounds: -5 ", "protocol.rounds: out of range"),
        ("  rounds: 12 ", "  rounds: 99999999999999999999 ", "protocol.rounds: too large"),
        ("seed: 20250207", "seed: 18446744073709551616", "seed: out of range"),
        ("    min: 0\n", "    min: -.inf\n", "must be a finite number"),
    ],
)
def test_huge_and_negative_integers_are_refused(tmp_path, old, new, needle):
    text = BASE_TEXT.replace(old, new, 1)
    assert text != BASE_TEXT
    assert any(needle in m for m in problems_of(tmp_path, text))


def test_an_infinite_issue_range_reaches_no_semantic_check(tmp_path):
    # was an OverflowError in scenario/semantics.py (grid points of an infinite range)
    text = BASE_TEXT.replace("    max: 4\n", "    max: .inf\n", 1)
    assert any("issues." in m and "finite" in m for m in problems_of(tmp_path, text))


def test_a_tiny_step_is_refused_by_the_grid_limit(tmp_path):
    text = BASE_TEXT.replace("    step: 1\n", "    step: 1e-9\n", 1)
    assert any("outcome grid has" in m or "step" in m for m in problems_of(tmp_path, text))


# --- hostile YAML: bombs, size, depth, tags, names ------------------------------------------

BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    + "name: *i\n"
)
MERGE_BOMB = "a0: &a0 {k0: 1, k1: 2, k2: 3, k3: 4}\n" + "".join(
    f"a{i}: &a{i} {{<<: [{', '.join([f'*a{i - 1}'] * 8)}], x{i}: 1}}\n" for i in range(1, 9)
)


@pytest.mark.parametrize("bomb", [BILLION_LAUGHS, MERGE_BOMB], ids=["alias", "merge"])
@pytest.mark.parametrize("loader", ["scenario", "experiment"])
def test_bombs_are_refused_within_a_second_with_bounded_memory(tmp_path, bomb, loader):
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb, encoding="utf-8")
    load = load_scenario if loader == "scenario" else load_experiment
    message, seconds, peak = refused_quickly(load, path)
    assert f"more than {MAX_VALUES:,} values" in message and str(path) in message
    assert seconds < 1.0
    assert peak < 20 * 2**20


def test_an_alias_bomb_given_as_text_is_refused_too():
    message, seconds, _ = refused_quickly(load_scenario_text, BILLION_LAUGHS, "<upload>")
    assert "<upload>:" in message and "aliases expanded" in message and seconds < 1.0


@pytest.mark.parametrize("loader", ["scenario", "experiment"])
def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path, loader):
    path = tmp_path / "huge.yaml"
    path.write_text(BASE_TEXT + "#" * (50 * 2**20) + "\n", encoding="utf-8")
    load = load_scenario if loader == "scenario" else load_experiment
    message, seconds, peak = refused_quickly(load, path)
    assert "file too large" in message and f"at most {MAX_FILE_BYTES:,} bytes" in message
    assert seconds < 1.0 and peak < 4 * MAX_FILE_BYTES


def test_oversized_text_is_refused_too():
    message, seconds, _ = refused_quickly(load_scenario_text, "a: 1\n" * 300_000)
    assert "file too large" in message and seconds < 1.0


def test_many_values_under_the_size_limit_are_refused_by_count(tmp_path):
    path = tmp_path / "wide.yaml"
    path.write_text("a: [" + ",".join(["1"] * (MAX_VALUES + 10)) + "]\n", encoding="utf-8")
    assert path.stat().st_size < MAX_FILE_BYTES
    message, seconds, _ = refused_quickly(load_scenario, path)
    assert f"more than {MAX_VALUES:,} values" in message and seconds < 1.0


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000])
@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path, depth, style):
    if style == "flow":
        text = "name: " + "[" * depth + "]" * depth + "\n"
    else:
        text = "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "x\n"
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    message, seconds, _ = refused_quickly(load_scenario, path)
    assert f"nested more than {MAX_DEPTH} levels deep" in message and seconds < 1.0


def test_nesting_at_the_limit_is_read(tmp_path):
    text = "name: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    messages = problems_of(tmp_path, text)
    assert not any("nested" in m for m in messages)  # refused for its fields, not its depth


def test_a_recursive_alias_is_refused(tmp_path):
    (message,) = problems_of(tmp_path, "name: &x [1, *x]\n")
    assert "alias *x is used inside the collection it names" in message


@pytest.mark.parametrize(
    "tag",
    [
        '!!python/object/apply:os.system ["touch {marker}"]',
        "!!python/name:os.system",
        '!!python/object/new:subprocess.Popen [["touch", "{marker}"]]',
        "!!python/module:os",
        "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    ],
)
def test_no_tag_constructs_a_python_object(tmp_path, tag):
    marker = tmp_path / "ran"
    text = edit(BASE_TEXT, "name: baseline", "name: " + tag.format(marker=marker))
    (message,) = problems_of(tmp_path, text)
    assert "could not determine a constructor for the tag" in message
    assert f":{line_of(BASE_TEXT, 'name: baseline')}:" in message
    assert not marker.exists()


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("rule: ordered_logit", "rule: os.system", "unknown China rule"),
        ("rule: ordered_logit", "rule: negosim.core.china_rules:ordered_logit", "unknown China"),
        ("style: polynomial", "style: builtins.eval", "unknown concession style"),
    ],
)
def test_a_scenario_names_only_registered_rules(tmp_path, old, new, needle):
    text = BASE_TEXT.replace(old, new, 1)
    assert text != BASE_TEXT
    (message,) = problems_of(tmp_path, text)
    assert needle in message and "allowed: one of '" in message


def test_an_event_kind_cannot_be_an_importable_path(tmp_path):
    text = BASE_TEXT + "events:\n  - {round: 2, kind: builtins.exec, value: 1.0}\n"
    messages = problems_of(tmp_path, text.replace("\nevents: []", "\n"))
    assert any("unknown event kind" in m and "'tariff_letter'" in m for m in messages)


# --- experiment files --------------------------------------------------------------------


def experiment_problem(tmp_path: Path, content: str | bytes) -> str:
    path = tmp_path / "exp.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_experiment(path)
    assert str(path) in str(err.value)
    return str(err.value)


def test_a_tiny_experiment_loads(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(TINY_EXPERIMENT, encoding="utf-8")
    assert len(load_experiment(path).points) == 2


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"name: caf\xe9\n", "not UTF-8 text"),  # was silently replaced by U+FFFD
        (b"\x00\x01\x02binary", "not allowed in YAML"),
        ("", "the top level must be a mapping of fields (given: an empty file"),
        ("42\n", "the top level must be a mapping of fields (given: 42"),
        ("seed: .nan\n" + TINY_EXPERIMENT.replace("seed: 1\n", ""), "seed: wrong type"),
        (TINY_EXPERIMENT.replace("0.25, 0.5", "0.25, .nan"), "must be a finite number"),
        (TINY_EXPERIMENT.replace("0.25, 0.5", "0.25, 1.0e+300"), "too large a number"),
        (TINY_EXPERIMENT.replace("replicates: 2", "replicates: 1.0e+400"), "replicates"),
        (TINY_EXPERIMENT.replace("replicates: 2", "replicates: -3"), "out of range"),
        (TINY_EXPERIMENT + "rounds: .inf\n", "rounds: wrong type"),
    ],
)
def test_malformed_experiments_say_what_is_wrong(tmp_path, content, needle):
    assert needle in experiment_problem(tmp_path, content)
