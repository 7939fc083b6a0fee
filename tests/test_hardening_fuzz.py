"""Fuzzing both file formats: every input loads (and then runs to finite results) or is refused.

Property, for scenario and experiment YAML alike: loading either succeeds, and a short run
of a loaded scenario records only finite numbers (NaN only where a column declares a missing
value), or it raises :class:`ScenarioError`: never any other exception. Inputs are random
structures (wrong types, NaN and infinities, huge and negative numbers, unicode keys, deep
nesting), empty and binary files, and mutations of the shipped ``configs/*.yaml`` and
``experiments/*.yaml`` (a value replaced, a line deleted or duplicated, garbage bytes).

The default suite runs a few hundred inputs in about ten seconds. For a long run set
``NEGOSIM_FUZZ_EXAMPLES`` to the number of examples per test (docs/reliability.md gives the
counts of the last long run), e.g.::

    NEGOSIM_FUZZ_EXAMPLES=2500 .venv/bin/python -m pytest -q -p no:cacheprovider \\
        tests/test_hardening_fuzz.py
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CONFIGS, EXPERIMENTS
from negosim.model import NegotiationModel
from negosim.outcomes import round_table, summarize
from negosim.scenario import (
    ScenarioError,
    apply_overrides,
    leaf_paths,
    load_scenario,
    scenario_from_mapping,
)
from negosim.sweep import load_experiment

LONG = int(os.environ.get("NEGOSIM_FUZZ_EXAMPLES", "0"))


def examples(default: int) -> settings:
    """``default`` examples in the suite, NEGOSIM_FUZZ_EXAMPLES in a long run."""
    return settings(
        max_examples=LONG or default,
        deadline=None,
        derandomize=not LONG,  # the suite is reproducible; a long run explores
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# A copy of configs/ and experiments/ side by side, so mutated files keep their relative
# ``extends:`` and ``scenario:`` paths and are written as real files (bytes included).
WORK = Path(tempfile.mkdtemp(prefix="negosim-fuzz-"))
shutil.copytree(CONFIGS, WORK / "configs")
shutil.copytree(EXPERIMENTS, WORK / "experiments")
SCENARIO_FILES = sorted(p.name for p in CONFIGS.glob("*.yaml"))
EXPERIMENT_FILES = sorted(p.name for p in EXPERIMENTS.glob("*.yaml"))
TEXTS = {p: (CONFIGS / p).read_text(encoding="utf-8") for p in SCENARIO_FILES}
TEXTS |= {f"x/{p}": (EXPERIMENTS / p).read_text(encoding="utf-8") for p in EXPERIMENT_FILES}

HOSTILE_NUMBERS = st.sampled_from(
    [math.nan, math.inf, -math.inf, 1e308, -1e308, 1e300, 1e10, -1e10, 1e9, 2**63, 2**64,
     -(2**63), 10**30, -1, -0.5, 0, 0.0, 1e-300, 5e-324, 120, 121, 1, 2]
)  # fmt: skip
SCALARS = (
    HOSTILE_NUMBERS
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.integers(-(2**70), 2**70)
    | st.booleans()
    | st.none()
    | st.text(max_size=12)
)
KEYS = st.text(min_size=1, max_size=10) | st.sampled_from(
    ["name", "issues", "agents", "politics", "china", "seed", "protocol", "名前", "😀", "design"]
)
STRUCTURES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)
TOKENS = st.sampled_from(
    [".nan", ".inf", "-.inf", "1.0e+400", "-1.0e+308", "1.0e+300", "99999999999999999999999",
     "-1", "0", "-0.5", "[]", "{}", "null", "~", "'x'", "true", "no", "[1, 2]", "{a: 1}",
     "&a [*a]", "*undefined", "!!python/name:os.system", "!!binary aGk=", "2025-13-01",
     '"\\x01"', "名前", "[[[[[[[[[[]]]]]]]]]]", "<<: *a", "- x", ": :", "'unterminated"]
) | SCALARS.map(lambda v: yaml.safe_dump(v, default_flow_style=True).strip())  # fmt: skip
GARBAGE = st.binary(min_size=1, max_size=6)


def short_run(scenario) -> None:
    """Run ``scenario`` long enough for every scheduled event; results must be finite."""
    spec = scenario.spec
    scheduled = [e.round for e in spec.events] + [
        line.announced_round for line in spec.politics.red_lines
    ]
    rounds = min(spec.protocol.rounds, max([3, *scheduled]))
    with np.errstate(all="ignore"):  # a RuntimeWarning is no failure; a NaN result is
        model = NegotiationModel(scenario, seeds=[11, 12], rounds=rounds).run()
        round_table(model)  # each raises NonFiniteResultError on a silent NaN or inf
        summarize(model)


def loads_or_refuses(path: Path) -> None:
    """The property: a valid input runs to finite results; anything else is a ScenarioError."""
    if path.parent.name == "experiments":
        with contextlib.suppress(ScenarioError):
            load_experiment(path)
        return
    try:
        scenario = load_scenario(path)
    except ScenarioError:
        return
    short_run(scenario)  # a NonFiniteResultError here is a failure: the file was accepted


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A shipped file with one to three edits: replace, delete, duplicate, insert bytes."""
    name = draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[name].split("\n")
    data = [line.encode("utf-8") for line in lines]
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(data) - 1))
        line = lines[index] if index < len(lines) else ""
        operation = draw(st.sampled_from(["value", "value", "value", "delete", "dup", "bytes"]))
        if operation == "value" and ":" in line and not line.lstrip().startswith("#"):
            key, _, rest = line.partition(":")
            comment = rest[rest.index("#") :] if "#" in rest else ""
            data[index] = f"{key}: {draw(TOKENS)} {comment}".rstrip().encode("utf-8")
        elif operation == "delete":
            data[index] = b""
        elif operation == "dup":
            data.insert(index, data[index])
        else:
            at = draw(st.integers(0, len(data[index])))
            data[index] = data[index][:at] + draw(GARBAGE) + data[index][at:]
    folder = "experiments" if name.startswith("x/") else "configs"
    return f"{folder}/{name.removeprefix('x/')}", b"\n".join(data)


def write(relative: str, content: bytes) -> Path:
    """Write ``content`` beside the copies of the shipped files (one fuzz file per folder)."""
    folder, _, name = relative.partition("/")
    path = WORK / folder / f"fuzz_{name}"
    path.write_bytes(content)
    return path


@examples(60)
@given(mutated())
def test_mutated_shipped_files_load_or_are_refused(case):
    relative, content = case
    loads_or_refuses(write(relative, content))


@examples(30)
@given(
    STRUCTURES,
    st.sampled_from(["configs", "experiments"]),
)
def test_random_structures_are_refused_cleanly(structure, folder):
    text = yaml.safe_dump(structure, allow_unicode=True)
    loads_or_refuses(write(f"{folder}/random.yaml", text.encode("utf-8")))


@examples(10)
@given(
    st.sampled_from(["configs", "experiments"]),
    st.binary(max_size=200) | st.sampled_from([b"", b"\n", b"\x00" * 64, b"\xff\xfe\x00a"]),
)
def test_empty_and_binary_files_are_refused_cleanly(folder, content):
    loads_or_refuses(write(f"{folder}/binary.yaml", content))


@examples(10)
@given(st.integers(1, 300), st.sampled_from(["[", "{a: ", "- "]), st.sampled_from(["c", "x"]))
def test_deep_nesting_is_refused_cleanly(depth, opener, folder):
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    if opener == "- ":
        text = "".join("  " * i + "-\n" for i in range(depth)) + "  " * depth + "1\n"
    else:
        text = "name: " + opener * depth + "1" + closer * depth + "\n"
    loads_or_refuses(
        write(f"{'configs' if folder == 'c' else 'experiments'}/deep.yaml", text.encode())
    )


BASE = load_scenario(CONFIGS / "baseline.yaml")
BASE_DATA = dict(BASE.data or {})
LEAVES = leaf_paths(BASE_DATA)


@examples(60)
@given(st.lists(st.tuples(st.sampled_from(LEAVES), STRUCTURES | HOSTILE_NUMBERS), max_size=3))
def test_overridden_values_are_validated_like_the_file(overrides):
    """What sweep points and --set do: any value at any path loads-and-runs or is refused."""
    try:
        scenario = scenario_from_mapping(apply_overrides(BASE_DATA, dict(overrides)))
    except ScenarioError:
        return
    short_run(scenario)
