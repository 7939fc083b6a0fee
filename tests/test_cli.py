"""The ``negosim`` command end to end: run, validate, list, help, and what --out writes.

Most checks call ``negosim.cli.main`` in-process (capsys); one test runs the installed
console script as a real subprocess and checks it prints exactly what ``main`` prints.
Broken scenario files are made from configs/baseline.yaml by targeted text edits, each
asserting that its anchor is unique so a drifting baseline fails loudly.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys

import pytest

import negosim
from conftest import BASE_TEXT, BASELINE, NEGOSIM, ROOT, cli, edit, line_of
from negosim.cli import main
from negosim.core.china_rules import CHINA_RULES
from negosim.core.concession import CONCESSION_STYLES
from negosim.core.events import EVENT_KINDS
from negosim.core.protocol import Reason
from negosim.model import NegotiationModel
from negosim.outcomes import round_frame, round_table, run_frame, summarize
from negosim.scenario import load_scenario

SCENARIO = load_scenario(BASELINE)
DEFAULT_SEED = SCENARIO.spec.seed
ROUNDS = SCENARIO.spec.protocol.rounds
UNITS = {name: issue.unit for name, issue in SCENARIO.spec.issues.items()}
EXECUTABLE = NEGOSIM


def api_run(seed: int = DEFAULT_SEED, rounds: int = ROUNDS):
    model = NegotiationModel(SCENARIO, seeds=[seed], rounds=rounds).run()
    return model, round_table(model), summarize(model)


def round_blocks(text: str) -> list[str]:
    """The account's per-round blocks, in order."""
    return re.findall(r"^Round \d+ \(.*?(?=^Round \d+ |^Summary)", text, flags=re.M | re.S)


# --- run ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline_output() -> str:
    """`negosim run configs/baseline.yaml` as printed by main (captured once)."""
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["run", str(BASELINE)]) == 0
    return buffer.getvalue()


def test_run_prints_every_round(baseline_output):
    text = baseline_output
    assert text.startswith(f"negosim: baseline (seed {DEFAULT_SEED}, {ROUNDS} rounds)\n")
    blocks = round_blocks(text)
    assert len(blocks) == ROUNDS
    months = [
        "Feb 2025",
        "Mar 2025",
        "Apr 2025",
        "May 2025",
        "Jun 2025",
        "Jul 2025",
        "Aug 2025",
        "Sep 2025",
        "Oct 2025",
        "Nov 2025",
        "Dec 2025",
        "Jan 2026",
    ]
    for k, (block, month) in enumerate(zip(blocks, months, strict=True), start=1):
        proposer = "United States" if k % 2 == 1 else "Japan"
        heads = (
            f"Round {k} ({month}): {proposer} proposes",
            f"Round {k} ({month}): no negotiation",
        )
        assert block.startswith(heads), block
        for label in (
            "  response: ",
            "  China: level ",
            "contiguous-zone presence",
            "  Japan: approval ",
            "win-set K ",
            "  happened: ",
            "  markets: Nikkei ",
            "USD/JPY ",
        ):
            assert label in block, f"round {k} lacks {label!r}"


def test_run_offers_carry_units_and_responses_their_reasons(baseline_output):
    blocks = round_blocks(baseline_output)
    offers = [line for b in blocks for line in b.splitlines() if line.startswith("  offer: ")]
    assert offers, "no offer printed"
    for line in offers:
        for name, unit in UNITS.items():
            assert re.search(rf"{name} [\d,.]+ {re.escape(unit)}", line), (name, line)
    _, table, _ = api_run()
    for k, block in enumerate(blocks):
        reason = Reason(int(table["reason"][k]))
        response = next(x for x in block.splitlines() if x.startswith("  response: "))
        expected = {
            Reason.ACCEPTED: "accepted (U ",
            Reason.FAILED_RATIFICATION: "the Diet failed to ratify (P_rat ",
            Reason.BELOW_TARGET: "rejected: below target (U ",
            Reason.BELOW_RESERVATION: "rejected: worth less than no deal (U ",
        }.get(reason, reason.label)
        assert expected in response, (k + 1, reason, response)
        if reason in (Reason.BELOW_TARGET, Reason.BELOW_RESERVATION, Reason.ACCEPTED):
            assert re.search(
                r"U -?\d\.\d{3}, target -?\d\.\d{3}, value of no deal -?\d\.\d{3}", response
            )


def test_run_account_matches_the_model(baseline_output):
    """The printed numbers are the model's numbers for the same seed."""
    _, table, summary = api_run()
    blocks = round_blocks(baseline_output)
    for k, block in enumerate(blocks):
        assert f"China: level {table['coercion_level'][k]} (" in block
        assert f"approval {100 * table['approval'][k]:.1f} %" in block
        assert f"win-set K {table['win_set'][k]:.3f}" in block
        assert f"Nikkei {table['nikkei'][k]:,.0f}" in block
    summary_text = baseline_output.split("\nSummary\n", 1)[1]
    assert f"Nash (θ {SCENARIO.spec.benchmarks.nash_weight_japan:g}) at" in summary_text
    assert f"distance {summary['distance_nash'][0]:.3f}" in summary_text
    assert "Kalai–Smorodinsky at" in summary_text
    assert f"distance {summary['distance_ks'][0]:.3f}" in summary_text
    assert f"left on the table {summary['distance_pareto'][0]:.3f}" in summary_text
    if summary["deal_reached"][0]:
        assert f"deal: yes, first in round {summary['first_deal_round'][0]}" in summary_text
    else:
        assert "deal: no" in summary_text
    assert (
        "months at levels 0-5: "
        + ", ".join(str(summary[f"months_at_level_{k}"][0]) for k in range(6))
        in summary_text
    )


def test_run_with_seed_rounds_and_quiet(capsys):
    code, seven, err = cli(capsys, "run", BASELINE, "--seed", "7")
    assert code == 0 and err == ""
    assert seven.startswith(f"negosim: baseline (seed 7, {ROUNDS} rounds)")
    code, again, _ = cli(capsys, "run", BASELINE, "--seed", "7")
    assert again == seven, "same seed, different output"
    code, eight, _ = cli(capsys, "run", BASELINE, "--seed", "8")
    assert eight != seven

    code, short, _ = cli(capsys, "run", BASELINE, "--rounds", "3", "--seed", "7")
    assert code == 0
    assert short.startswith("negosim: baseline (seed 7, 3 rounds)")
    assert len(round_blocks(short)) == 3
    assert "Round 3 (Apr 2025)" in short and "Round 4 " not in short
    # The first three months do not depend on how many follow.
    assert round_blocks(short) == round_blocks(seven)[:3]

    code, quiet, _ = cli(capsys, "run", BASELINE, "--quiet", "--seed", "7")
    assert code == 0
    assert "Round " not in quiet
    assert quiet.startswith("Summary\n")
    # --quiet prints exactly the summary of the full account.
    assert quiet.rstrip("\n") == "Summary\n" + seven.split("\nSummary\n", 1)[1].rstrip("\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rounds", "0"], "--rounds: expected a whole number ≥ 1, got '0'"),
        (["--rounds", "two"], "--rounds: expected a whole number ≥ 1, got 'two'"),
        (["--seed", "-1"], "--seed: expected a whole number from 0 to 2**63-1, got '-1'"),
        (
            ["--seed", str(2**63)],
            f"--seed: expected a whole number from 0 to 2**63-1, got '{2**63}'",
        ),
    ],
)
def test_run_rejects_bad_arguments(capsys, args, message):
    with pytest.raises(SystemExit) as info:
        main(["run", str(BASELINE), *args])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_run_out_writes_parquet_and_summary_json(capsys, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "nested" / "run7"
    code, text, _ = cli(
        capsys, "run", BASELINE, "--seed", "7", "--rounds", "6", "--quiet", "--out", out
    )
    assert code == 0
    table_path, json_path = out / "rounds.parquet", out / "summary.json"
    assert f"wrote {table_path} and {json_path}" in text
    assert sorted(p.name for p in out.iterdir()) == ["rounds.parquet", "summary.json"]

    model, table, summary = api_run(seed=7, rounds=6)
    written = pq.read_table(table_path)
    assert written.num_rows == 6
    assert written.column_names == list(table)
    for column in (
        "replicate",
        "seed",
        "round",
        "proposer",
        "reason",
        "accepted",
        "ratified",
        "coercion_level",
        "approval",
        "win_set",
        "reversal_belief",
        "nikkei",
        "usdjpy",
        "events",
        "deal_in_force",
        "tariff_letter",
        *(f"offer_{n}" for n in UNITS),
        *(f"in_force_{n}" for n in UNITS),
    ):
        assert column in written.column_names, column
    assert written.column("round").to_pylist() == [1, 2, 3, 4, 5, 6]
    assert set(written.column("seed").to_pylist()) == {7}
    pd = pytest.importorskip("pandas")
    frame = pd.read_parquet(table_path)
    assert frame.shape == (6, len(table))
    assert frame["round"].tolist() == [1, 2, 3, 4, 5, 6]
    expected = round_frame(model)  # the file decodes to exactly the documented frame
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    assert frame["reason"].tolist() == [Reason(r).name.lower() for r in table["reason"]]
    assert frame["proposer"].tolist() == [("us", "japan")[p] for p in table["proposer"]]

    document = json.loads(json_path.read_text(encoding="utf-8"))
    assert document["scenario"]["name"] == "baseline"
    assert document["scenario"]["sha256"] == hashlib.sha256(BASELINE.read_bytes()).hexdigest()
    assert document["scenario"]["text"] == BASE_TEXT
    assert document["scenario"]["source"] == str(BASELINE)
    resolved = load_scenario(BASELINE).resolved
    assert document["scenario"]["resolved"] == resolved  # the resolved scenario, every default
    assert [f["source"] for f in document["scenario"]["chain"]] == [str(BASELINE)]
    assert document["seeds"] == [7]
    assert document["rounds"] == 6
    assert document["per_round_table"] == "rounds.parquet"
    versions = document["versions"]
    assert versions["negosim"] == negosim.__version__
    for package in ("python", "numpy", "mesa", "pydantic", "pyarrow"):
        assert versions.get(package), package
    (run,) = document["runs"]
    assert list(run) == list(summary)
    assert run["seed"] == 7
    (decoded,) = run_frame(model).to_dict("records")
    for name, value in decoded.items():
        if pd.isna(value):
            assert run[name] is None, name  # missing (or NaN) is null, never -1
        else:
            assert run[name] == value, name


def test_run_out_default_rounds_has_one_row_per_round(capsys, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    code, _, _ = cli(capsys, "run", BASELINE, "--quiet", "--out", tmp_path)
    assert code == 0
    assert pq.read_table(tmp_path / "rounds.parquet").num_rows == ROUNDS
    document = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert document["seeds"] == [DEFAULT_SEED] and document["rounds"] == ROUNDS


def test_run_out_files_have_ordinary_permissions(capsys, tmp_path):
    code, _, _ = cli(capsys, "run", BASELINE, "--quiet", "--rounds", "2", "--out", tmp_path)
    assert code == 0
    umask = os.umask(0)
    os.umask(umask)
    for name in ("rounds.parquet", "summary.json"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~umask, name


def test_run_out_on_a_file_fails_cleanly(capsys, tmp_path):
    target = tmp_path / "taken"
    target.write_text("x")
    code, _, err = cli(capsys, "run", BASELINE, "--quiet", "--rounds", "1", "--out", target)
    assert code != 0
    assert str(target) in err


# --- validate -----------------------------------------------------------------------------


def test_validate_baseline(capsys):
    code, out, err = cli(capsys, "validate", BASELINE)
    assert code == 0
    assert out == f"{BASELINE}: ok\n"
    assert err == ""


BROKEN = {
    "unknown_key": (
        ("  omega: 0.5 ", "  omgea: 0.5 "),
        "omgea: 0.5",
        "china.omgea",
        "unknown field; did you mean 'omega'?",
    ),
    "wrong_type": (
        ("  omega: 0.5 ", '  omega: "high" '),
        'omega: "high"',
        "china.omega",
        "wrong type (given: 'high'; allowed: a number in [0, 1])",
    ),
    "out_of_range": (
        ("  omega: 0.5 ", "  omega: 1.5 "),
        "omega: 1.5",
        "china.omega",
        "out of range (given: 1.5; allowed: a number in [0, 1])",
    ),
    "priorities_sum": (
        (
            "        security_commitment: 0.35\n        tariff: 0.35\n",
            "        security_commitment: 0.35\n        tariff: 0.45\n",
        ),
        "# weights w_Jk",
        "politics.leader_types.centrist.priorities",
        "weights over enabled issues sum to 1.1, not 1",
    ),
    "bad_style": (
        ("style: boulware ", "style: boulwar "),
        "style: boulwar ",
        "agents.us.concession.style",
        "unknown concession style; did you mean 'boulware'?",
    ),
    "wrong_integer": (
        ("  rounds: 12 ", "  rounds: twelve "),
        "rounds: twelve",
        "protocol.rounds",
        "wrong type (given: 'twelve'",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_validate_broken_file(capsys, tmp_path, case):
    (old, new), needle, path, message = BROKEN[case]
    text = edit(BASE_TEXT, old, new)
    config = tmp_path / f"{case}.yaml"
    config.write_text(text, encoding="utf-8")
    code, out, err = cli(capsys, "validate", config)
    assert code != 0
    assert out == ""
    line = line_of(text, needle)
    assert f"{config}:{line}: {path}: {message}" in err, err
    assert err.rstrip("\n").endswith(f"{config}: 1 problem(s)")


def test_validate_yaml_syntax_error(capsys, tmp_path):
    text = edit(BASE_TEXT, "seed: 20250207 ", "seed: 20250207: oops ")
    config = tmp_path / "syntax.yaml"
    config.write_text(text, encoding="utf-8")
    code, _, err = cli(capsys, "validate", config)
    assert code != 0
    assert f"{config}:{line_of(text, 'seed: 20250207')}: invalid YAML" in err


def test_validate_missing_file(capsys, tmp_path):
    config = tmp_path / "nope.yaml"
    code, out, err = cli(capsys, "validate", config)
    assert code == 2 and out == ""
    assert err == f"negosim validate: cannot read {config}: No such file or directory\n"


def test_validate_reports_every_problem_and_every_file(capsys, tmp_path):
    text = edit(BASE_TEXT, "  omega: 0.5 ", "  omega: 1.5 ")
    text = edit(text, "  memory: 3 ", "  memroy: 3 ")
    text = edit(text, "  rounds: 12 ", "  rounds: twelve ")
    broken = tmp_path / "three.yaml"
    broken.write_text(text, encoding="utf-8")
    code, out, err = cli(capsys, "validate", BASELINE, broken, tmp_path / "gone.yaml")
    assert code == 2
    assert out == f"{BASELINE}: ok\n"
    assert f"{broken}:{line_of(text, 'rounds: twelve')}: protocol.rounds: wrong type" in err
    assert f"{broken}:{line_of(text, 'omega: 1.5')}: china.omega: out of range" in err
    assert f"{broken}:{line_of(text, 'memroy: 3')}: china.memroy: unknown field" in err
    assert f"{broken}: 3 problem(s)" in err
    assert f"cannot read {tmp_path / 'gone.yaml'}: No such file or directory" in err
    # Problems come in file order.
    assert err.index("protocol.rounds") < err.index("china.omega") < err.index("china.memroy")


def test_run_on_broken_file_exits_2_with_the_message(capsys, tmp_path):
    text = edit(BASE_TEXT, "  omega: 0.5 ", "  omega: 1.5 ")
    config = tmp_path / "broken.yaml"
    config.write_text(text, encoding="utf-8")
    code, out, err = cli(capsys, "run", config)
    assert code == 2
    assert out == ""
    assert err == (
        f"{config}:{line_of(text, 'omega: 1.5')}: china.omega: out of range "
        "(given: 1.5; allowed: a number in [0, 1])\n"
    )
    code, out, err = cli(capsys, "run", tmp_path / "missing.yaml")
    assert code == 2 and out == ""
    missing = tmp_path / "missing.yaml"
    assert err == f"negosim run: cannot read {missing}: No such file or directory\n"


# --- list and help ------------------------------------------------------------------------


def test_list_shows_the_registries(capsys):
    code, out, _ = cli(capsys, "list")
    assert code == 0
    assert "concession styles (agents.us.concession.style, politics.leader_types.*" in out
    assert "China rules (china.rule):" in out
    assert "event kinds (events.N.kind):" in out
    for registry in (CONCESSION_STYLES, CHINA_RULES, EVENT_KINDS):
        for entry in registry.values():
            line = rf"^  {entry.name} +{re.escape(entry.summary())}$"
            assert re.search(line, out, flags=re.M), entry.name
            assert entry.citation in out
    for style in CONCESSION_STYLES.values():
        defaults = ", ".join(f"{k}={v!r}" for k, v in style.parameters().model_dump().items())
        assert f"tactic: {style.tactic}; parameters: {defaults}]" in out
        if style.tactic == "time":  # Faratin's time-dependent styles: e and k
            assert f"parameters: e={style.default_e!r}, k=0.05]" in out
        else:  # behaviour-dependent (tit-for-tat): no e, a window of offers
            assert set(style.parameters().model_dump()) == {"k", "window"}


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (
            [],
            [
                "usage: negosim",
                "Japan-US alliance negotiations",
                "run",
                "validate",
                "list",
                "examples:",
            ],
        ),
        (
            ["run"],
            [
                "usage: negosim run",
                "Run one replicate of CONFIG",
                "binding reason",
                "benchmarks",
                "--seed",
                "--rounds",
                "--out DIR",
                "--quiet",
                "config",
            ],
        ),
        (["validate"], ["usage: negosim validate", "Check each file", "experiment", "FILE"]),
        (["list"], ["usage: negosim list", "concession.style", "china.rule"]),
    ],
)
def test_help(capsys, argv, fragments):
    with pytest.raises(SystemExit) as info:
        main([*argv, "--help"])
    assert info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps to the terminal width
    for fragment in fragments:
        assert fragment in out, fragment


def test_version_and_missing_command(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"negosim {negosim.__version__}"
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "required: COMMAND" in capsys.readouterr().err


# --- as a real subprocess -----------------------------------------------------------------


def test_console_script_runs_the_baseline(baseline_output):
    assert EXECUTABLE.exists(), f"console script not installed at {EXECUTABLE}"
    done = subprocess.run(
        [str(EXECUTABLE), "run", "configs/baseline.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout == baseline_output  # same seed, same account, in any process


def test_python_m_negosim_is_the_same_command_line(baseline_output):
    done = subprocess.run(
        [sys.executable, "-m", "negosim", "run", "configs/baseline.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == baseline_output


def test_console_script_on_a_broken_file_has_no_traceback(tmp_path):
    config = tmp_path / "broken.yaml"
    config.write_text(edit(BASE_TEXT, "style: boulware ", "style: boulwar "), encoding="utf-8")
    done = subprocess.run(
        [str(EXECUTABLE), "run", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert f"{config}:" in done.stderr and "did you mean 'boulware'?" in done.stderr


def test_run_out_writes_csv_when_no_parquet_engine(tmp_path, monkeypatch, capsys):
    """Without pyarrow the per-round table falls back to CSV, with the same rows."""
    import csv

    from negosim import results

    monkeypatch.setattr(results, "parquet_available", lambda: False)
    out = tmp_path / "csvrun"
    assert main(["run", "configs/baseline.yaml", "--quiet", "--out", str(out)]) == 0
    capsys.readouterr()
    with (out / "rounds.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 12
    assert [int(r["round"]) for r in rows] == list(range(1, 13))
    assert {"reason", "offer_tariff", "approval", "coercion_level", "nikkei"} <= set(rows[0])
    summary = json.loads((out / "summary.json").read_text())
    assert summary["per_round_table"] == "rounds.csv"
    assert not (out / "rounds.parquet").exists()
