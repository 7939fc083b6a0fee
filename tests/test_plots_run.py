"""Charts of a single run: `negosim plot RUN_DIR`, the chart functions and the saved outcome space.

Fixtures are real runs written by ``negosim run --out`` (the baseline's own seed, which
reaches a deal; a baseline seed without a deal, found by running the model; the three-issue
classroom scenario; the Taiwan statement), made once per session. The checks read the
figures' artists (tagged with a ``gid``) against the saved files, read back with pandas and
json, so a chart that drew the wrong column, side or point fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from matplotlib.colors import to_hex

from conftest import BASELINE, CONFIGS, cli
from negosim.cli import main
from negosim.model import NegotiationModel
from negosim.outcome_space import outcome_spaces
from negosim.outcomes import run_frame, summarize
from negosim.plots import (
    RunDirectoryError,
    approval_chart,
    coercion_chart,
    load_run,
    markets_chart,
    offers_chart,
    outcome_space_chart,
)
from negosim.plots.run_draw import save
from negosim.plots.style import SIDE_COLOURS, house_style
from negosim.scenario import load_scenario

CHARTS = ("offers", "approval", "china", "markets", "outcome_space")


def _write_run(directory: Path, config: Path, *more: str) -> Path:
    code = main(["run", str(config), "--quiet", "--out", str(directory), *more])
    assert code == 0
    return directory


@pytest.fixture(scope="session")
def no_deal_seed() -> int:
    """The first baseline seed whose run ends without a deal (found by running the model)."""
    runs = run_frame(NegotiationModel(load_scenario(BASELINE), seeds=range(40)).run())
    assert (~runs["deal_reached"]).any(), "no run of the first 40 seeds ends without a deal"
    return int(runs.loc[~runs["deal_reached"], "seed"].iloc[0])


@pytest.fixture(scope="session")
def runs(tmp_path_factory, no_deal_seed) -> dict[str, Path]:
    """Output directories of `negosim run --out`, by name."""
    root = tmp_path_factory.mktemp("plot_runs")
    return {
        "deal": _write_run(root / "deal", BASELINE),
        "no_deal": _write_run(root / "no_deal", BASELINE, "--seed", str(no_deal_seed)),
        "classroom": _write_run(root / "classroom", CONFIGS / "classroom_three_issues.yaml"),
        "taiwan": _write_run(root / "taiwan", CONFIGS / "taiwan_statement.yaml"),
    }


@pytest.fixture(scope="session")
def plotted(runs) -> dict[str, tuple[int, str, str]]:
    """`negosim plot` of the deal and no-deal runs: (exit code, stdout, stderr)."""
    import contextlib
    import io

    found = {}
    for name in ("deal", "no_deal"):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["plot", str(runs[name])])
        found[name] = (code, out.getvalue(), err.getvalue())
    return found


def _rounds(directory: Path) -> pd.DataFrame:
    return pd.read_parquet(directory / "rounds.parquet")


def _summary(directory: Path) -> dict:
    return json.loads((directory / "summary.json").read_text(encoding="utf-8"))


def _units(directory: Path) -> dict[str, str]:
    schema = pq.read_schema(directory / "rounds.parquet")
    return {f.name: f.metadata[b"unit"].decode() for f in schema}


def _by_gid(fig, gid: str) -> list:
    return [a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid]


def _not_blank(path: Path) -> None:
    from matplotlib.image import imread

    pixels = imread(path)[..., :3]
    assert pixels.shape[0] > 600 and pixels.shape[1] > 900, pixels.shape
    inked = (pixels < 0.9).any(axis=2).mean()
    assert 0.02 < inked < 0.6, f"{path.name}: {inked:.3f} of the pixels are inked"
    rgb = (pixels.reshape(-1, 3) * 255).astype(np.uint32)
    colours = np.unique((rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2])
    assert len(colours) > 50  # lines, markers, fills and anti-aliased text


def _footer(fig) -> str:
    return " ".join(t.get_text() for t in fig.texts)


# --- the command ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["deal", "no_deal"])
def test_plot_writes_every_chart_of_a_run(runs, plotted, name):
    code, out, err = plotted[name]
    assert code == 0 and err == ""
    figures = runs[name] / "figures"
    written = [figures / f"{chart}.png" for chart in CHARTS]
    assert [line.removeprefix("wrote ") for line in out.splitlines()[:-1]] == list(
        map(str, written)
    )
    seed = _summary(runs[name])["seeds"][0]
    assert out.splitlines()[-1] == f"5 chart(s) of baseline, seed {seed}"
    for path in written:
        _not_blank(path)
    assert not list(figures.glob(".*.tmp"))  # written atomically: no temporary left behind


def test_plot_writes_svg_and_pdf_and_the_chosen_space(capsys, runs, tmp_path):
    code, _, _ = cli(
        capsys,
        "plot",
        runs["classroom"],
        "--out",
        tmp_path / "svg",
        "--format",
        "svg",
        "--space",
        "tariff,defense_budget",
    )
    assert code == 0
    svgs = sorted(p.name for p in (tmp_path / "svg").iterdir())
    assert svgs == sorted(
        [f"{c}.svg" for c in CHARTS[:-1]] + ["outcome_space_tariff_vs_defense_budget.svg"]
    )
    assert (tmp_path / "svg" / "offers.svg").read_text().lstrip().startswith("<?xml")
    with house_style():
        pdf = save(outcome_space_chart(load_run(runs["classroom"])), tmp_path / "space.pdf", "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_plot_refuses_what_is_not_a_results_directory(capsys, runs, tmp_path):
    code, out, err = cli(capsys, "plot", tmp_path / "absent")
    assert (code, out) == (2, "") and "absent: No such file or directory" in err
    (tmp_path / "empty").mkdir()
    code, _, err = cli(capsys, "plot", tmp_path / "empty")
    assert code == 2 and "holds neither a run's output" in err and "nor a sweep's" in err
    code, _, err = cli(capsys, "plot", runs["deal"], "--space", "tariff,budget")
    assert code == 2
    assert "budget is not an issue of scenario baseline (allowed: security_commitment" in err


def _copy(source: Path, target: Path) -> Path:
    target.mkdir()
    for name in ("rounds.parquet", "summary.json"):
        (target / name).write_bytes((source / name).read_bytes())
    return target


def test_plot_explains_partial_and_broken_runs(capsys, runs, tmp_path):
    half = _copy(runs["deal"], tmp_path / "half")
    (half / "rounds.parquet").unlink()
    code, _, err = cli(capsys, "plot", half)
    assert code == 2 and "the per-round table (rounds.parquet) is missing" in err
    lonely = _copy(runs["deal"], tmp_path / "lonely")
    (lonely / "summary.json").unlink()
    code, _, err = cli(capsys, "plot", lonely)
    assert code == 2 and "summary.json is missing" in err
    cut = _copy(runs["deal"], tmp_path / "cut")
    text = (cut / "summary.json").read_text()
    (cut / "summary.json").write_text(text[: len(text) // 2])
    code, _, err = cli(capsys, "plot", cut)
    assert code == 2 and f"{cut / 'summary.json'}: not valid JSON" in err
    garbled = _copy(runs["deal"], tmp_path / "garbled")
    (garbled / "rounds.parquet").write_bytes(b"PAR1 not really")
    code, _, err = cli(capsys, "plot", garbled)
    assert code == 2 and "rounds.parquet: cannot be read" in err
    assert "Traceback" not in err


def test_plot_draws_what_an_older_run_directory_holds(capsys, runs, tmp_path):
    old = _copy(runs["deal"], tmp_path / "old")
    document = _summary(old)
    del document["outcome_space"]
    (old / "summary.json").write_text(json.dumps(document))
    table = pq.read_table(old / "rounds.parquet")
    pq.write_table(table.drop(["win_set"]), old / "rounds.parquet")
    code, _, err = cli(capsys, "plot", old)
    assert code == 1
    assert "not drawn: approval" in err and "lacks win_set" in err
    assert sorted(p.name for p in (old / "figures").iterdir()) == sorted(
        f"{c}.png" for c in CHARTS if c != "approval"
    )
    fig = outcome_space_chart(load_run(old))
    assert not _by_gid(fig, "frontier")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("not in the saved output: frontiers" in t for t in texts)
    assert len(_by_gid(fig, "nash")) == 1  # the benchmarks' utilities are in the runs


def test_plot_sends_a_sweep_directory_to_the_sweep_charts(capsys, runs, tmp_path, monkeypatch):
    from negosim.commands import plot as command

    sweep = tmp_path / "sweep"
    (sweep / "runs").mkdir(parents=True)
    code, _, err = cli(capsys, "plot", sweep)
    assert code == 2 and "has no manifest.json" in err
    manifest = {  # the fields every reader relies on (negosim.sweep.integrity)
        "format": 1,
        "identity": "0" * 64,
        "experiment": {"name": "stand-in"},
        "scenario": {},
        "design": {"method": "grid", "parameters": [], "points": 1},
        "replicates": 1,
        "total_runs": 1,
        "rounds": 1,
        "chunk_runs": 1,
        "chunks": 1,
        "keep": {},
    }
    (sweep / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(command, "sweep_drawer", lambda: None)
    code, _, err = cli(capsys, "plot", sweep)
    assert code == 2 and "no sweep charts" in err
    calls = []

    def draw_all(loaded, out, fmt):
        calls.append((loaded.root, out, fmt))
        return [out / "agreement.svg"]

    monkeypatch.setattr(command, "sweep_drawer", lambda: draw_all)
    code, out, _ = cli(capsys, "plot", sweep, "--format", "svg")
    assert code == 0 and calls == [(sweep, sweep / "figures", "svg")]
    assert out == f"wrote {sweep / 'figures' / 'agreement.svg'}\n"
    code, _, err = cli(capsys, "plot", sweep, "--space", "tariff,defense_budget")
    assert code == 2 and "--space applies to a single run" in err


def test_importing_the_charts_loads_no_sweep_charts_and_no_matplotlib():
    code = (
        "import sys, negosim.plots as p;"
        "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'negosim.plots.'))));"
        "p.offers_chart;"
        "print('negosim.plots.sweep' in sys.modules, 'negosim.plots.run_offers' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == ["[]", "False True"]


# --- what each chart draws -----------------------------------------------------------------


def test_offers_chart_draws_each_sides_offers_and_the_package_in_force(runs):
    directory = runs["deal"]
    run, rounds, units = load_run(directory), _rounds(directory), _units(directory)
    fig = offers_chart(run)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in axes] == [
        "Security commitment",
        "Tariff",
        "Defense budget",
        "Investment pledge",
    ]
    for ax, issue in zip(axes, run.issues, strict=True):
        assert ax.get_ylabel() == units[f"offer_{issue}"]
        for side in ("us", "japan"):
            (line,) = [a for a in ax.get_lines() if a.get_gid() == f"{side}_offers"]
            assert to_hex(line.get_color()) == SIDE_COLOURS[side].lower()
            mine = rounds[(rounds["proposer"] == side) & rounds[f"offer_{issue}"].notna()]
            drawn = ~np.isnan(line.get_ydata())
            assert line.get_xdata()[drawn].tolist() == mine["round"].tolist()
            assert line.get_ydata()[drawn].tolist() == mine[f"offer_{issue}"].tolist()
        (in_force,) = [a for a in ax.get_lines() if a.get_gid() == "in_force"]
        assert np.array_equal(in_force.get_ydata(orig=True), rounds[f"in_force_{issue}"])
    deal_round = _summary(directory)["runs"][0]["first_deal_round"]
    stars = _by_gid(fig, "ratified")
    assert len(stars) == 4 and all(s.get_xdata().tolist() == [deal_round] for s in stars)
    deal_lines = _by_gid(fig, "mark:deal")
    assert len(deal_lines) == 4
    assert all(abs(line.get_xdata()[0] - deal_round) < 0.1 for line in deal_lines)
    letters = rounds.loc[rounds["tariff_letter"], "round"].tolist()
    assert len(_by_gid(fig, "mark:tariff_letter")) == 4 * len(letters)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:4] == [
        "United States offers",
        "Japan offers",
        "package in force",
        "ratified offer",
    ]
    assert "[month]" in axes[-1].get_xlabel()
    assert "Offers on each issue" in _footer(fig)
    assert f"scenario baseline ({BASELINE}" in _footer(fig) and f"seed {run.seed}" in _footer(fig)


def test_offers_chart_of_a_run_without_a_deal_marks_no_deal(runs):
    run = load_run(runs["no_deal"])
    assert run.outcomes["deal_reached"] is False
    fig = offers_chart(run)
    assert not _by_gid(fig, "ratified") and not _by_gid(fig, "mark:deal")
    rounds = _rounds(runs["no_deal"])
    if not rounds["negotiating"].all():  # talks that stopped without a deal broke down
        stop = int(rounds.loc[~rounds["negotiating"], "round"].iloc[0])
        assert [line.get_xdata()[0] for line in _by_gid(fig, "mark:breakdown")] == [stop] * 4


def test_offers_chart_of_three_issues_is_one_row(runs):
    fig = offers_chart(load_run(runs["classroom"]))
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 3 and len({ax.get_position().y0 for ax in axes}) == 1


def test_approval_chart_draws_approval_win_set_costs_and_election(runs):
    directory = runs["deal"]
    run, rounds = load_run(directory), _rounds(directory)
    fig = approval_chart(run)
    (approval,) = _by_gid(fig, "approval")
    assert approval.get_ydata().tolist() == rounds["approval"].tolist()
    (win_set,) = _by_gid(fig, "win_set")
    assert np.array_equal(win_set.get_ydata(orig=True), rounds["win_set"])
    (threshold,) = _by_gid(fig, "threshold")
    assert threshold.get_ydata()[0] == 0.30
    for side in ("us", "japan"):
        (cost,) = _by_gid(fig, f"{side}_cost")
        mine = rounds[(rounds["proposer"] == side) & rounds["political_cost"].notna()]
        assert cost.get_ydata().tolist() == mine["political_cost"].tolist()
    election = {round(line.get_xdata()[0]) for line in _by_gid(fig, "mark:election")}
    assert election == {6}  # July 2025, counted from February 2025 as round 1
    assert fig.axes[0].get_ylabel() == "Approval [share 0-1]"
    assert fig.axes[1].get_ylabel() == _units(directory)["win_set"]


def test_coercion_chart_names_the_rungs_and_draws_the_observables(runs):
    directory = runs["taiwan"]
    run, rounds = load_run(directory), _rounds(directory)
    fig = coercion_chart(run)
    ladder = fig.axes[0]
    levels = load_scenario(CONFIGS / "taiwan_statement.yaml").spec.china.levels
    labels = [t.get_text() for t in ladder.get_yticklabels()]
    assert labels[3] == f"3 {levels[3]}" and labels[4] == "4 economic coercion"
    (level,) = _by_gid(fig, "coercion_level")
    assert level.get_ydata().tolist() == rounds["coercion_level"].tolist()
    for column in ("presence_days", "sea_entries", "airspace_violations"):
        heights = [p.get_height() for p in _by_gid(fig, column)]
        assert heights == rounds[column].tolist()
    events = _by_gid(fig, "mark:event")  # one line per panel, at the statement's month
    assert len(events) == 4 and {line.get_xdata()[0] for line in events} == {9}
    assert any(t.get_text() == "taiwan statement 0.8" for t in ladder.texts)


def test_markets_chart_draws_every_indicator_with_its_unit(runs):
    directory = runs["deal"]
    fig, rounds, units = markets_chart(load_run(directory)), _rounds(directory), _units(directory)
    for column in ("nikkei", "usdjpy", "defense_index", "asia"):
        (line,) = _by_gid(fig, column)
        assert line.get_ydata().tolist() == rounds[column].tolist()
    assert [ax.get_ylabel() for ax in fig.axes] == [
        units["nikkei"],
        units["usdjpy"],
        units["defense_index"],
    ]


def test_outcome_space_chart_draws_frontier_path_deal_and_benchmarks(runs):
    directory = runs["deal"]
    run, rounds, document = load_run(directory), _rounds(directory), _summary(directory)
    outcomes, space = document["runs"][0], document["outcome_space"][0]
    fig = outcome_space_chart(run)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Japan's utility [utility (1 = the ideal package)]"
    assert ax.get_ylabel() == "US utility [utility (1 = the ideal package)]"
    (front,) = _by_gid(fig, "frontier")
    assert front.get_xdata().tolist() == space["frontier"]["japan_utility"]
    assert front.get_ydata().tolist() == space["frontier"]["us_utility"]
    assert len(_by_gid(fig, "frontier_whole_grid")) == 1
    for key in ("nash", "ks"):
        (point,) = _by_gid(fig, key)
        expected = [outcomes[f"{key}_japan_utility"], outcomes[f"{key}_us_utility"]]
        assert [point.get_xdata()[0], point.get_ydata()[0]] == expected
    (no_deal,) = _by_gid(fig, "no_deal")
    assert [no_deal.get_xdata()[0], no_deal.get_ydata()[0]] == [
        outcomes["japan_reservation"],
        outcomes["us_reservation"],
    ]
    (deal,) = _by_gid(fig, "deal")
    ratified = rounds[rounds["ratified"]].iloc[0]
    assert deal.get_xdata()[0] == ratified["offer_japan_utility"]
    us = rounds[(rounds["proposer"] == "us") & rounds["offer_us_utility"].notna()]
    (path,) = _by_gid(fig, "us_offers")
    assert path.get_ydata().tolist() == us["offer_us_utility"].tolist()
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Nash (Japan's weight 0.35)" in labels and "final package (in force)" in labels


def test_outcome_space_chart_of_a_run_without_a_deal(runs):
    fig = outcome_space_chart(load_run(runs["no_deal"]))
    assert not _by_gid(fig, "deal")
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "final package (status quo)" in labels


def test_outcome_space_on_two_issues_draws_the_packages(runs):
    directory = runs["deal"]
    run, rounds, space = load_run(directory), _rounds(directory), _summary(directory)
    saved = space["outcome_space"][0]
    fig = outcome_space_chart(run, "tariff,defense_budget")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Tariff [% ad valorem]"
    assert ax.get_ylabel() == "Defense budget [% of GDP]"
    for key in ("nash", "ks"):
        (point,) = _by_gid(fig, key)
        package = saved[key]["package"]
        assert [point.get_xdata()[0], point.get_ydata()[0]] == [
            package["tariff"],
            package["defense_budget"],
        ]
    (front,) = _by_gid(fig, "frontier")
    pairs = {
        (t, d)
        for t, d in zip(
            saved["frontier"]["tariff"], saved["frontier"]["defense_budget"], strict=True
        )
    }
    assert set(zip(front.get_xdata(), front.get_ydata(), strict=True)) == pairs
    japan = rounds[(rounds["proposer"] == "japan") & rounds["offer_tariff"].notna()]
    (offers,) = _by_gid(fig, "japan_offers")
    assert offers.get_xdata().tolist() == japan["offer_tariff"].tolist()
    with pytest.raises(RunDirectoryError, match="give two different issues"):
        outcome_space_chart(run, "tariff")


# --- the saved outcome space and the loader ------------------------------------------------


def test_saved_outcome_space_is_the_summarys_benchmarks():
    model = NegotiationModel(load_scenario(BASELINE), seeds=range(12)).run()
    summary, spaces = summarize(model), outcome_spaces(model)
    for i, space in enumerate(spaces):
        for key in ("nash", "ks"):
            for side in ("japan", "us"):
                expected = summary[f"{key}_{side}_utility"][i]
                got = space[key][f"{side}_utility"] if space[key] else np.nan
                assert got == expected or (np.isnan(got) and np.isnan(expected)), (i, key)
        assert space["disagreement"]["japan_utility"] == summary["japan_reservation"][i]
        assert space["final"]["us_utility"] == summary["us_utility"][i]
        front = space["frontier"]
        japan, us = np.array(front["japan_utility"]), np.array(front["us_utility"])
        assert np.all(np.diff(japan) >= 0) and np.all(np.diff(us) <= 0)  # a staircase
        whole = space["frontier_whole_grid"]
        wj, wu = np.array(whole["japan_utility"]), np.array(whole["us_utility"])
        for a, b in zip(japan, us, strict=True):  # what the Diet passes is inside the grid's
            assert ((wj >= a - 1e-12) & (wu >= b - 1e-12)).any()
        if space["nash"]:
            package = space["nash"]["package"]
            k = np.flatnonzero(japan == space["nash"]["japan_utility"])
            assert any(front["tariff"][j] == package["tariff"] for j in k)


def test_run_out_saves_the_outcome_space(runs):
    document = _summary(runs["deal"])
    scenario = load_scenario(BASELINE)
    model = NegotiationModel(scenario, seeds=document["seeds"]).run()
    summarize(model)
    assert document["outcome_space"] == json.loads(json.dumps(outcome_spaces(model)))


def test_load_run_of_a_csv_run_has_the_parquet_units(runs, tmp_path, monkeypatch):
    import negosim.results

    monkeypatch.setattr(negosim.results, "parquet_available", lambda: False)
    directory = _write_run(tmp_path / "csv", BASELINE)
    assert (directory / "rounds.csv").exists() and not (directory / "rounds.parquet").exists()
    csv_run, parquet_run = load_run(directory), load_run(runs["deal"])
    assert csv_run.units == parquet_run.units
    assert csv_run.rounds["approval"].tolist() == parquet_run.rounds["approval"].tolist()
    fig = offers_chart(csv_run)
    assert len(_by_gid(fig, "ratified")) == 4


@pytest.mark.parametrize(
    "chart",
    [offers_chart, approval_chart, coercion_chart, markets_chart, outcome_space_chart],
    ids=lambda chart: chart.__name__,
)
def test_every_chart_has_a_title_labelled_axes_a_legend_and_a_footer(runs, chart):
    run = load_run(runs["no_deal"])
    fig = chart(run)
    texts = [t.get_text() for t in fig.texts]
    assert texts[0] and fig.texts[0].get_fontweight() == "bold"  # the title
    assert any(f"scenario baseline ({BASELINE}" in t and f"seed {run.seed}" in t for t in texts)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert all(ax.get_ylabel() for ax in axes)
    assert any("[" in ax.get_xlabel() for ax in axes)  # a unit in brackets on the x axis
    assert len(fig.legends) == 1 and len(fig.legends[0].get_texts()) >= 3
