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
