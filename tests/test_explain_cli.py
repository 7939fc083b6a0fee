"""``negosim run CONFIG --explain [--round N] [--json]`` end to end, in-process.

--round selects one round; --json is valid JSON with exactly the fields docs/explain.md
documents; --out also writes explanation.json; and explaining leaves the run's files
unchanged (rounds.parquet is the same table with and without --explain).
"""

from __future__ import annotations

import json
import re

import pyarrow.parquet as pq
import pytest

from conftest import BASELINE, CONFIGS, ROOT
from negosim.cli import main

ROUNDS = 12
DOC = ROOT / "docs" / "explain.md"


def heads(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^Round (\d+) · ", text, flags=re.M)]


def test_explain_prints_every_round_then_the_summary(capsys):
    assert main(["run", str(BASELINE), "--explain"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("negosim: baseline (seed ")
    assert heads(out) == list(range(1, ROUNDS + 1))
    assert out.count("\n  Why: ") == ROUNDS
    assert "\nSummary\n" in out


def test_round_selects_one_round(capsys):
    assert main(["run", str(BASELINE), "--explain", "--round", "3"]) == 0
    out = capsys.readouterr().out
    assert heads(out) == [3]
    assert "Round 3 · Apr 2025 · " in out
    assert "Summary" not in out
    assert main(["run", str(BASELINE), "--round", "5", "--rounds", "6"]) == 0  # implies it
    assert heads(capsys.readouterr().out) == [5]


@pytest.mark.parametrize("n", ["0", "13"])
def test_a_round_outside_the_run_is_refused_before_running(capsys, n):
    assert main(["run", str(BASELINE), "--explain", "--round", n]) == 2
    err = capsys.readouterr().err
    assert f"--round {n} is not a round of this run (it has rounds 1..{ROUNDS})" in err


def documented_fields() -> set[str]:
    """Dotted field paths in docs/explain.md's JSON table (``rounds[].tokyo.win_set``)."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## The JSON form", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_\[\].]+)` \|", section, flags=re.M))


def fields(value: object, prefix: str = "") -> set[str]:
    """Every dotted path in a JSON value; lists as ``name[]``; issue-keyed maps not entered."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            found.add(path)
            if not path.endswith("cost_by_issue"):
                found |= fields(item, path)
    elif isinstance(value, list):
        for item in value:
            found |= fields(item, prefix + "[]")
    return found


def test_json_is_valid_and_has_exactly_the_documented_fields(capsys):
    found: set[str] = set()
    for config in (BASELINE, CONFIGS / "classroom_three_issues.yaml"):
        assert main(["run", str(config), "--explain", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert [r["round"] for r in data["rounds"]] == list(range(1, data["rounds_run"] + 1))
        found |= fields(data)
    documented = documented_fields()
    assert len(documented) > 60
    assert found == documented, (
        f"in the JSON, not documented: {sorted(found - documented)}; "
        f"documented, not in the JSON: {sorted(documented - found)}"
    )


def test_json_of_one_round(capsys):
    assert main(["run", str(BASELINE), "--json", "--round", "6"]) == 0
    data = json.loads(capsys.readouterr().out)
    (only,) = data["rounds"]
    assert only["round"] == 6 and only["why"] and only["reason"]
    for side in only["sides"]:
        if side["utility"] is not None:
            total = sum(i["value"] for i in side["issues"])
            total += side["security"]["value"] if side["security"] else 0.0
            assert total == pytest.approx(side["utility"], abs=1e-12)


def test_explaining_leaves_the_run_files_unchanged(tmp_path, capsys):
    plain, explained = tmp_path / "plain", tmp_path / "explained"
    assert main(["run", str(BASELINE), "--seed", "7", "--out", str(plain), "--quiet"]) == 0
    capsys.readouterr()
    assert (
        main(["run", str(BASELINE), "--seed", "7", "--out", str(explained), "--explain", "--json"])
        == 0
    )
    out = capsys.readouterr()
    json.loads(out.out)  # stdout is the JSON alone; "wrote ..." went to stderr
    assert "explanation.json" in out.err
    a, b = pq.read_table(plain / "rounds.parquet"), pq.read_table(explained / "rounds.parquet")
    assert a.equals(b, check_metadata=True)
    assert (plain / "rounds.parquet").read_bytes() == (explained / "rounds.parquet").read_bytes()
    written = json.loads((explained / "explanation.json").read_text(encoding="utf-8"))
    assert written["seed"] == 7 and len(written["rounds"]) == ROUNDS
    assert not (plain / "explanation.json").exists()


def test_the_quoted_examples_are_the_current_output(monkeypatch):
    """README.md and docs/explain.md quote real output (scripts/make_explain_examples.py)."""
    import importlib.util

    path = ROOT / "scripts" / "make_explain_examples.py"
    spec = importlib.util.spec_from_file_location("make_explain_examples", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.chdir(ROOT)
    for doc in script.FILES:
        text = doc.read_text(encoding="utf-8")
        assert len(script.MARKER.findall(text)) >= 1, doc
        assert script.refresh(text) == text, (
            f"{doc.name} quotes outdated output: run .venv/bin/python "
            "scripts/make_explain_examples.py"
        )
