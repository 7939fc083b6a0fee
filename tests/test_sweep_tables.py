"""The sweep report's tables: short in the terminal for large designs, full in files.

A table of more than 20 points prints its 10 lowest and 10 highest points and says how many
more there are and in which file; the files hold every row, and their numbers are the
pandas computations from the runs.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from conftest import SOBOL_DOMINANT, cli, write
from negosim.sweep import load_sweep
from negosim.sweep.report import (
    DEFAULT_ROWS,
    TABLES,
    format_report,
    markdown_table,
    report_tables,
    short_table,
    write_tables,
)
from negosim.sweep.stats import agreement_table

OUTCOMES = ["deal_reached", "china_max_level", "final_nikkei"]


@pytest.fixture(scope="module")
def written(crn_sobol, tmp_path_factory):
    """The fixture's sweep copied aside, with its tables written."""
    _, sweep = crn_sobol
    root = shutil.copytree(sweep.root, tmp_path_factory.mktemp("tables") / "out")
    copy = load_sweep(root)
    tables = report_tables(copy, OUTCOMES)
    return copy, tables, write_tables(copy, tables)


def test_a_long_table_prints_its_extremes_and_says_where_the_rest_is(written):
    sweep, tables, files = written
    report = format_report(sweep, OUTCOMES, tables=tables, written=files)
    assert len(sweep.parameters) == 64 > DEFAULT_ROWS
    block = report.split("\n\n")[1]  # china_max_level per point
    lines = block.splitlines()
    assert lines[0].startswith("china_max_level per point (mean, median, 5th and 95th")
    assert "the 10 points with the lowest and the 10 with the highest mean:" in lines[0]
    rows = [line for line in lines[2:-1] if line.strip() != "..."]
    assert len(rows) == 20 and lines[12].strip() == "..."
    where = sweep.root / TABLES / "distributions.csv"
    assert (
        lines[-1] == f"44 more of 64 points in {where} (and .md); --full-tables prints every point"
    )
    means = sweep.runs.groupby("point")["china_max_level"].mean().sort_values(kind="stable")
    shown = [int(row.split()[0]) for row in rows]
    assert shown == means.index[:10].tolist() + means.index[-10:].tolist()
    assert len(report.splitlines()) < 120  # not one line per point and outcome


def test_full_tables_print_every_point(written):
    sweep, tables, _ = written
    report = format_report(sweep, OUTCOMES, max_rows=None, tables=tables)
    assert agreement_table(sweep).to_string(index=False, float_format="{:.3f}".format) in report
    assert "more of 64 points" not in report


def test_short_table_of_a_small_table_is_the_whole_table():
    table = pd.DataFrame({"point": [0, 1, 2], "mean": [0.5, np.nan, 0.25]})
    assert short_table(table, "mean", 20) == table.to_string(
        index=False, float_format="{:.3f}".format
    )
    short = short_table(table, "mean", 2).splitlines()
    assert [line.split()[0] for line in short[1:3]] == ["2", "..."]  # lowest, then the gap
    assert short[3].split()[0] == "0"  # then the highest
    assert short[-1] == "1 more of 3 points (1 without a value); --full-tables prints every point"


def test_the_files_hold_every_row_with_the_pandas_numbers(written):
    sweep, _, files = written
    folder = sweep.root / TABLES
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{name}.{kind}"
        for name in ("agreement", "distributions", "sobol", "variance")
        for kind in ("csv", "md")
    )
    assert files == {
        name: folder / f"{name}.csv" for name in ("agreement", "distributions", "variance", "sobol")
    }
    runs = sweep.runs
    agreement = pd.read_csv(files["agreement"])
    assert len(agreement) == 64
    rates = runs.groupby("point")["deal_reached"].mean()
    np.testing.assert_array_equal(agreement["agreement"].to_numpy(), rates.to_numpy())
    np.testing.assert_array_equal(agreement["china.omega"], sweep.parameters["china.omega"])
    distributions = pd.read_csv(files["distributions"])
    assert distributions["outcome"].unique().tolist() == ["china_max_level", "final_nikkei"]
    for outcome in ("china_max_level", "final_nikkei"):
        table = distributions[distributions["outcome"] == outcome].set_index("point")
        grouped = runs.groupby("point")[outcome]
        # numpy's and pandas' sums may differ in the last bit; the CSV keeps every digit
        np.testing.assert_allclose(table["mean"].to_numpy(), grouped.mean().to_numpy(), rtol=1e-14)
        np.testing.assert_array_equal(table["median"].to_numpy(), grouped.median().to_numpy())
        p95 = grouped.quantile(0.95).to_numpy()
        np.testing.assert_allclose(table["p95"].to_numpy(), p95, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(
            table["markets.nikkei_on_deal"], sweep.parameters["markets.nikkei_on_deal"]
        )
    sobol = pd.read_csv(files["sobol"], keep_default_na=False)
    assert sobol["outcome"].unique().tolist() == ["china_max_level", "final_nikkei"]
    assert "warning" in sobol.columns
    variance = pd.read_csv(files["variance"])
    assert variance["outcome"].tolist() == OUTCOMES
    markdown = (folder / "agreement.md").read_text(encoding="utf-8")
    assert markdown.startswith("# dominant: agreement\n\n64 rows; every digit in agreement.csv.")
    assert markdown.count("\n| ") == 1 + 64  # the header and every point
    assert not list(folder.glob(".*.tmp"))  # written atomically, nothing left behind


def test_markdown_table_formats_cells():
    frame = pd.DataFrame(
        {"name": ["a|b", "c"], "x": [0.123456, np.nan], "n": [3, 4], "ok": [True, False]}
    )
    assert markdown_table(frame) == (
        "| name | x | n | ok |\n"
        "|---|---:|---:|---:|\n"
        "| a\\|b | 0.1235 | 3 | true |\n"
        "| c |  | 4 | false |\n"
    )


def test_the_cli_writes_the_tables_and_prints_the_short_report(crn_sobol, tmp_path, capsys):
    _, sweep = crn_sobol
    path = write(tmp_path, SOBOL_DOMINANT)
    out = shutil.copytree(sweep.root, tmp_path / "out")
    shutil.rmtree(out / TABLES, ignore_errors=True)
    code, text, err = cli(capsys, "sweep", path, "--out", out, "--resume", "--no-progress")
    assert code == 0, err
    assert "ran 0 runs in 0 chunks" in text
    assert f"44 more of 64 points in {out / TABLES / 'agreement.csv'} (and .md)" in text
    assert f"full tables: {out / TABLES}/*.csv and *.md" in text
    assert (out / TABLES / "sobol.md").exists()
    short = len(text.splitlines())
    code, full, err = cli(
        capsys, "sweep", path, "--out", out, "--resume", "--no-progress", "--full-tables"
    )
    assert code == 0, err
    assert len(full.splitlines()) > short + 3 * 40  # every point of three tables
    assert (
        agreement_table(load_sweep(out)).to_string(index=False, float_format="{:.3f}".format)
        in full
    )


def test_format_report_is_still_importable_from_stats():
    from negosim.sweep import stats

    assert stats.format_report is format_report
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        stats.nothing  # noqa: B018
