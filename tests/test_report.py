"""negosim report: one self-contained HTML file per run directory (issue 8).

Fixtures are made by running the model (`negosim run --out`); the report is read back as
text: provenance from summary.json, every chart embedded as a data URI, the account the
run printed, nothing fetched from anywhere.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import BASELINE, cli


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from negosim.cli import main

    out = tmp_path_factory.mktemp("run") / "baseline"
    assert main(["run", str(BASELINE), "--out", str(out), "--quiet"]) == 0
    return out


def test_report_of_a_run_embeds_everything_it_shows(run_dir, capsys):
    code, stdout, _ = cli(capsys, "report", run_dir)
    assert code == 0
    report = run_dir / "report.html"
    assert f"wrote {report}" in stdout
    text = report.read_text(encoding="utf-8")
    document = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    # provenance: the scenario's name and both hashes, the seed
    assert document["scenario"]["sha256"] in text
    assert document["scenario"]["resolved_sha256"] in text
    assert str(document["seeds"][0]) in text
    assert document["code"]["source_sha256"] in text  # the code that ran
    assert " ".join(document["command"]["argv"]) in text  # and how it was called
    # every chart of `negosim plot` is embedded, none is linked
    images = re.findall(r'<img [^>]*src="([^"]+)"', text)
    assert len(images) == 5
    assert all(src.startswith("data:image/png;base64,") for src in images)
    assert not re.search(r'(src|href)="(https?:)?//', text)  # nothing to fetch
    # the account the run printed, escaped, with each month's reason
    story = document["account"][0]
    assert "Round 1 (Feb 2025)" in story
    assert story.splitlines()[3].replace("'", "&#x27;") in text
    # print-friendly: figures are kept whole on a page
    assert "break-inside: avoid" in text


def test_report_of_an_older_run_lists_each_months_reason(run_dir, tmp_path, capsys):
    old = tmp_path / "old"
    shutil.copytree(run_dir, old)
    document = json.loads((old / "summary.json").read_text(encoding="utf-8"))
    del document["account"]
    (old / "summary.json").write_text(json.dumps(document), encoding="utf-8")
    code, _, _ = cli(capsys, "report", old, "--out", tmp_path / "r.html")
    assert code == 0
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "no saved account" in text and "<th" in text and "reason" in text


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_report_of_a_directory_without_results_is_refused(tmp_path, capsys, kind):
    target = tmp_path / "nothing"
    if kind == "empty":
        target.mkdir()
    code, stdout, stderr = cli(capsys, "report", target)
    assert code == 2 and stdout == ""
    assert str(target) in stderr and "Traceback" not in stderr
    assert not (target / "report.html").exists()


def test_compare_report_holds_the_pairing_the_ranked_table_and_the_figures(tmp_path, capsys):
    """`negosim compare A B --report`: the same self-contained page, from the files the
    comparison wrote (two tiny sweeps on the same seeds, ω 0 against 1)."""
    from conftest import write
    from negosim.sweep.experiment import load_experiment
    from negosim.sweep.runner import run_sweep

    dirs = []
    for omega in (0.0, 1.0):
        text = (
            f"name: omega_{int(omega)}\nscenario: {BASELINE}\nseed: 5\nreplicates: 30\n"
            f"rounds: 12\ndesign:\n  method: grid\n  parameters:\n"
            f"    china.omega: {{values: [{omega}]}}\n"
        )
        experiment = load_experiment(write(tmp_path, text, f"omega_{int(omega)}.yaml"))
        run_sweep(experiment, tmp_path / f"s{int(omega)}", executor="inline", progress=False)
        dirs.append(tmp_path / f"s{int(omega)}")
    out = tmp_path / "cmp"
    args = ["compare", *dirs, "--out", out, "--outcomes", "deal_reached,china_max_level"]
    args += ["--a-point", "point=0", "--b-point", "point=0"]
    code, stdout, stderr = cli(capsys, *args, "--report")
    assert code == 0, stderr
    assert f"wrote {out / 'report.html'}" in stdout
    text = (out / "report.html").read_text(encoding="utf-8")
    record = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert record["pairing"] in text.replace("&#x27;", "'")
    assert "china_max_level" in text and "deal_reached" in text
    images = re.findall(r'<img [^>]*src="([^"]+)"', text)
    assert len(images) == 3 and all(s.startswith("data:image/png;base64,") for s in images)
    assert not re.search(r'(src|href)="(https?:)?//', text)
    # the report is the comparison's own file: comparing again into OUT is allowed
    code, _, _ = cli(capsys, *args, "--report", tmp_path / "elsewhere.html")
    assert code == 0 and (tmp_path / "elsewhere.html").is_file()


def test_report_of_a_sweep_has_provenance_charts_and_tables_equal_to_pandas(tmp_path, capsys):
    from conftest import write
    from negosim.sweep import load_sweep
    from negosim.sweep.experiment import load_experiment
    from negosim.sweep.runner import run_sweep

    text = (
        f"name: tiny\nscenario: {BASELINE}\nseed: 3\nreplicates: 25\nrounds: 12\n"
        "design:\n  method: grid\n  parameters:\n    china.omega: {values: [0.0, 1.0]}\n"
    )
    run_sweep(
        load_experiment(write(tmp_path, text)), tmp_path / "s", executor="inline", progress=False
    )
    code, _, _ = cli(capsys, "report", tmp_path / "s")
    assert code == 0
    html = (tmp_path / "s" / "report.html").read_text(encoding="utf-8")
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["identity"] in html and "negosim sweep: tiny" in html
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', html)) >= 5
    assert not re.search(r'(src|href)="(https?:)?//', html)
    runs = load_sweep(tmp_path / "s").runs
    for omega, rate in runs.groupby("china.omega")["deal_reached"].mean().items():
        assert f"{rate:,.3f}" in html, (omega, rate)  # the agreement table, per point
