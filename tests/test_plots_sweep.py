"""Charts of a sweep: the right artists, the numbers pandas computes, the notes they need.

Fixtures are small sweeps made by running the model: a 5 × 3 grid (more points than a
chart shows, so it is thinned), a single point, a tiny Sobol design and a partial sweep
(the grid with a chunk deleted and its manifest un-finished). Every number drawn is
checked against a pandas (or numpy, scipy) computation on ``sweep.runs`` / ``.rounds``.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from PIL import Image
from scipy import stats as scipy_stats

from conftest import BASELINE, write
from negosim.plots.sweep import charts, draw_all
from negosim.plots.sweep_agreement import agreement_chart
from negosim.plots.sweep_distributions import distribution_chart
from negosim.plots.sweep_events import deal_by_round, parse_event
from negosim.plots.sweep_figure import INCOMPLETE_TAG
from negosim.plots.sweep_heatmap import heatmap_chart
from negosim.plots.sweep_histogram import Histograms, bins_for
from negosim.plots.sweep_rounds import summarise_rounds
from negosim.plots.sweep_runs import STRIP, summarise_runs
from negosim.plots.sweep_sobol import sobol_chart
from negosim.plots.sweep_source import SweepFiles, SweepPlotError, open_files
from negosim.plots.sweep_survival import kaplan_meier, survival_chart
from negosim.plots.sweep_trajectories import trajectory_chart
from negosim.sweep import load_experiment, load_sweep, run_sweep
from negosim.sweep.stats import sobol_indices, wilson_interval

GRID = f"""\
name: plots_grid
scenario: {BASELINE}
seed: 11
replicates: 12
rounds: 12
design:
  method: grid
  parameters:
    china.omega: {{values: [0.0, 0.25, 0.5, 0.75, 1.0]}}
    issues.security_commitment.status_quo: {{values: [1, 2, 3]}}
keep:
  rounds: [coercion_level, deal_in_force, approval]
report: [deal_reached, first_deal_round, final_tariff, china_max_level, majority_lost]
"""

SINGLE = f"""\
name: plots_single
scenario: {BASELINE}
seed: 5
replicates: 40
rounds: 12
design:
  method: grid
  parameters:
    china.omega: {{values: [0.5]}}
keep:
  rounds: [coercion_level]
report: [deal_reached, china_max_level, final_tariff]
"""

SOBOL = f"""\
name: plots_sobol
scenario: {BASELINE}
seed: 3
replicates: 3
rounds: 12
design:
  method: sobol
  samples: 8
  parameters:
    china.omega: {{min: 0.0, max: 1.0}}
    agents.us.tariff_threat.probability: {{min: 0.0, max: 0.5}}
keep:
  rounds: none
report: [deal_reached, final_tariff]
"""

OMEGA = "china.omega"
COMMITMENT = "issues.security_commitment.status_quo"


def _sweep(factory, name: str, text: str, chunk_runs: int):
    directory = factory.mktemp(name)
    experiment = load_experiment(write(directory, text))
    run_sweep(experiment, directory / "out", executor="inline", chunk_runs=chunk_runs,
              progress=False)  # fmt: skip
    return load_sweep(directory / "out")


@pytest.fixture(scope="session")
def grid(tmp_path_factory):
    return _sweep(tmp_path_factory, "plots-grid", GRID, chunk_runs=60)


@pytest.fixture(scope="session")
def single(tmp_path_factory):
    return _sweep(tmp_path_factory, "plots-single", SINGLE, chunk_runs=40)


@pytest.fixture(scope="session")
def sobol(tmp_path_factory):
    return _sweep(tmp_path_factory, "plots-sobol", SOBOL, chunk_runs=48)


@pytest.fixture(scope="session")
def partial(grid, tmp_path_factory):
    """The grid interrupted: its second chunk missing and the manifest without an end."""
    root = tmp_path_factory.mktemp("plots-partial") / "out"
    shutil.copytree(grid.root, root)
    for table in ("runs", "rounds"):
        (root / table / "part-000001.parquet").unlink()
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["finished"] = None
    (root / "manifest.json").write_text(json.dumps(manifest))
    return load_sweep(root)


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.texts]


def by_gid(fig, gid: str) -> list:
    return [a for a in fig.findobj() if getattr(a, "get_gid", lambda: None)() == gid]


def inverted_cdf(values, q) -> float:
    return float(np.quantile(np.asarray(values, dtype=float), q, method="inverted_cdf"))


# -- aggregates ------------------------------------------------------------------------------
def test_histogram_quantiles_are_exact_for_few_values_and_within_a_bin_otherwise():
    rng = np.random.default_rng(0)
    qs = [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0]
    for n in (1, 2, 7, 500, 1001):
        levels = rng.integers(0, 6, n).astype(float) * 2.5  # a tariff on a 2.5-point grid
        h = Histograms(bins_for(False, (levels.min(), levels.max())), 1)
        h.add(np.zeros(n, dtype=np.int64), levels)
        assert h.quantiles(qs)[0] == pytest.approx([inverted_cdf(levels, q) for q in qs])
        smooth = rng.normal(size=n)
        bins = bins_for(False, (smooth.min(), smooth.max()))
        h = Histograms(bins, 1)
        h.add(np.zeros(n, dtype=np.int64), smooth)
        expected = [inverted_cdf(smooth, q) for q in qs]
        assert np.abs(h.quantiles(qs)[0] - expected).max() <= bins.width
        assert h.means()[0] == pytest.approx(smooth.mean())


def test_the_pass_reads_only_the_columns_it_needs(grid, monkeypatch):
    read: dict[str, set[str]] = {"runs": set(), "rounds": set()}
    original = SweepFiles.tables

    def spy(self, table, columns):
        read[table].update(columns)
        return original(self, table, columns)

    monkeypatch.setattr(SweepFiles, "tables", spy)
    files = open_files(grid)
    summarise_runs(files, ["final_tariff"], [deal_by_round(6)], survival=True)
    summarise_rounds(files, ["approval"])
    assert read["runs"] == {"point", "replicate", "final_tariff", "first_deal_round"}
    assert read["rounds"] == {"point", "round", "approval"}


def test_kaplan_meier_from_counts_equals_scipy_with_censoring_at_different_rounds():
    rng = np.random.default_rng(4)
    deal = rng.integers(1, 16, 300).astype(float)  # some runs never deal by their horizon
    horizon = rng.choice([8, 12], 300)  # two point horizons, as with a varied protocol.rounds
    dealt = deal <= horizon
    events = np.bincount(deal[dealt].astype(int), minlength=13)
    censored = np.bincount(horizon[~dealt], minlength=13)
    ours = kaplan_meier(events, censored)
    data = scipy_stats.CensoredData(uncensored=deal[dealt], right=horizon[~dealt])
    result = scipy_stats.ecdf(data).sf
    ci = result.confidence_interval(0.95, method="log-log")
    at = result.quantiles.astype(int)
    assert ours.survival[at] == pytest.approx(result.probabilities)
    assert ours.low[at] == pytest.approx(ci.low.probabilities, nan_ok=True)
    assert ours.high[at] == pytest.approx(ci.high.probabilities, nan_ok=True)
    assert ours.survival[0] == 1.0


def test_events_are_parsed_and_a_missing_value_is_no_event():
    event = parse_event("first_deal_round <= 6")
    assert event == deal_by_round(6)
    assert list(event.holds(np.array([3.0, 6.0, 7.0, np.nan]))) == [True, True, False, False]
    with pytest.raises(ValueError, match="OUTCOME OP NUMBER"):
        parse_event("deal by round 6")


# -- the charts, on the grid -----------------------------------------------------------------
def test_a_distribution_chart_draws_one_violin_per_shown_point_labelled_by_values(grid):
    fig = distribution_chart(grid, "final_tariff")
    ax = fig.axes[0]
    assert len(by_gid(fig, "distribution")) == 12  # 15 points thinned to 4 ω × 3 commitments
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "0.25", "0.75", "1"]
    assert ax.get_xlabel().startswith("ω [")
    assert ax.get_ylabel() == "Final tariff [% ad valorem]"
    assert ax.get_legend().get_title().get_text() == "commitment in force [level]"
    assert any("ω ∈ {0, 0.25, 0.75, 1} (4 of 5 values)" in t for t in texts(fig))
    assert any(grid.manifest["identity"][:12] in t for t in texts(fig))
    assert texts(fig)[0].startswith("Final tariff")


def test_the_distribution_medians_quartiles_and_strip_equal_pandas(grid):
    fig = distribution_chart(grid, "final_tariff")
    summary_points = open_files(grid)
    runs = grid.runs
    shown = summarise_runs(summary_points, ["final_tariff"]).layout.shown
    ax = fig.axes[0]
    quartile_bars = next(c for c in ax.collections if c.get_linewidth()[0] == 5)
    for segment, point in zip(quartile_bars.get_segments(), shown, strict=True):
        values = runs.loc[runs["point"] == point, "final_tariff"]
        assert segment[:, 1] == pytest.approx(
            [inverted_cdf(values, 0.25), inverted_cdf(values, 0.75)]
        )
    strips = by_gid(fig, "strip")
    assert len(strips) == 12
    for strip, point in zip(strips, shown, strict=True):
        expected = runs.loc[(runs["point"] == point) & (runs["replicate"] < STRIP), "final_tariff"]
        assert sorted(strip.get_offsets()[:, 1]) == pytest.approx(sorted(expected))


def test_an_integer_outcome_gets_bars_as_wide_as_each_value_share(grid):
    fig = distribution_chart(grid, "china_max_level")
    bars = by_gid(fig, "distribution")
    assert len(bars) == 12 and all(isinstance(b, PolyCollection) for b in bars)
    shown = summarise_runs(open_files(grid), ["china_max_level"]).layout.shown
    runs = grid.runs
    values = runs.loc[runs["point"] == shown[0], "china_max_level"]
    widths = sorted(np.ptp(p.vertices[:, 0]) for p in bars[0].get_paths())
    shares = values.value_counts(normalize=True).sort_values().to_numpy()
    assert np.array(widths) / widths[-1] == pytest.approx(shares / shares[-1])


def test_a_true_false_outcome_is_a_rate_with_its_wilson_interval(grid):
    fig = distribution_chart(grid, "majority_lost")
    shown = summarise_runs(open_files(grid), ["majority_lost"]).layout.shown
    rates = fig.axes[0].containers  # one error bar per point
    assert len(rates) == 12
    runs = grid.runs
    for container, point in zip(rates, shown, strict=True):
        values = runs.loc[runs["point"] == point, "majority_lost"]
        (y,) = container.lines[0].get_ydata()
        low, high = wilson_interval(np.array([values.sum()]), np.array([len(values)]))
        bar = container.lines[2][0].get_segments()[0][:, 1]
        assert y == pytest.approx(values.mean())
        assert bar == pytest.approx([low[0], high[0]])


def test_the_survival_curves_equal_the_share_without_a_deal_by_each_round(grid):
    fig = survival_chart(grid)
    curves = by_gid(fig, "survival")
    assert len(curves) == 12 and len(fig.axes) == 4  # one panel per ω shown
    layout = summarise_runs(open_files(grid), survival=True).layout
    runs = grid.runs
    for curve, point in zip(curves, [p for _, m in layout.grouped() for p in m], strict=True):
        first = runs.loc[runs["point"] == point, "first_deal_round"]
        expected = [1 - (first <= t).sum() / len(first) for t in range(13)]
        assert curve.get_ydata()[:13] == pytest.approx(expected)
    assert fig.axes[0].get_ylabel() == "P(no deal yet) [probability]"
    assert fig.axes[0].get_xlabel() == "Round [month]"


def test_trajectories_have_bands_and_medians_equal_to_numpy_per_point_and_round(grid):
    fig = trajectory_chart(grid, "coercion_level")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 12
    assert len(by_gid(fig, "band")) == 24  # 50 % and 90 % per panel
    rounds = grid.rounds
    assert [ax.get_title() for ax in panels[:3]] == [
        f"commitment in force = {level}" for level in (1, 2, 3)
    ]  # columns headed by the second parameter, rows labelled by the first
    assert [t.get_text() for t in panels[2].texts] == ["ω = 0"]
    first = rounds[(rounds[OMEGA] == 0.0) & (rounds[COMMITMENT] == 1)]
    median = [inverted_cdf(g, 0.5) for _, g in first.groupby("round")["coercion_level"]]
    line = next(ln for ln in panels[0].lines if ln.get_gid() == "median")
    assert line.get_ydata() == pytest.approx(median)
    continuous = trajectory_chart(grid, "approval")
    line = next(ln for ln in continuous.axes[0].lines if ln.get_gid() == "median")
    approval = [inverted_cdf(g, 0.5) for _, g in first.groupby("round")["approval"]]
    width = np.ptp(rounds["approval"]) / 256
    assert np.abs(line.get_ydata() - approval).max() <= width


def test_heatmap_cells_equal_pandas_means_and_probabilities(grid):
    runs = grid.runs
    fig = heatmap_chart(grid, "final_tariff")
    image = by_gid(fig, "heatmap")[0].get_array()
    expected = runs.pivot_table(index=OMEGA, columns=COMMITMENT, values="final_tariff")
    assert np.asarray(image) == pytest.approx(expected.to_numpy())
    assert len(by_gid(fig, "cell")) == 15
    ax = fig.axes[0]
    assert ax.get_xlabel() == "commitment in force [level]"
    event = deal_by_round(6)
    fig = heatmap_chart(grid, event)
    dealt = runs["first_deal_round"].le(6).fillna(False).astype(float)
    expected = dealt.groupby([runs[OMEGA], runs[COMMITMENT]]).mean().unstack()
    assert np.asarray(by_gid(fig, "heatmap")[0].get_array()) == pytest.approx(expected.to_numpy())
    assert texts(fig)[0].startswith("P(deal by round 6) by ω and commitment in force")


def test_the_agreement_chart_draws_every_point_with_its_wilson_interval(grid):
    fig = agreement_chart(grid)
    lines = fig.axes[0].containers
    assert len(lines) == 3  # one line per commitment level, every ω
    runs = grid.runs
    for container, level in zip(lines, [1, 2, 3], strict=True):
        y = container.lines[0].get_ydata()
        rate = runs[runs[COMMITMENT] == level].groupby(OMEGA)["deal_reached"].mean()
        assert y == pytest.approx(rate.to_numpy())
    deals = runs.groupby("point")["deal_reached"]
    low, high = wilson_interval(deals.sum().to_numpy(), deals.size().to_numpy())
    assert np.all((low <= deals.mean()) & (deals.mean() <= high))


def non_blank(path) -> bool:
    pixels = np.asarray(Image.open(path).convert("L"), dtype=float)
    return pixels.shape[0] > 400 and pixels.shape[1] > 600 and pixels.std() > 10


def test_the_plan_of_a_grid_has_every_chart_of_the_issue(grid):
    stems = {stem for stem, _ in charts(grid)}
    assert {"agreement", "survival", "distribution-final_tariff", "distribution-majority_lost",
            "trajectory-approval", "trajectory-deal_in_force", "heatmap-final_tariff",
            "heatmap-china_max_level-ge-4", "heatmap-first_deal_round-le-6"} <= stems  # fmt: skip
    assert not any(stem.startswith(("sobol", "scatter")) for stem in stems)


def test_draw_all_writes_non_blank_images_atomically(single, grid, tmp_path):
    paths = draw_all(single, tmp_path / "charts", "png")
    assert {p.name for p in paths} == {
        "sweep-agreement.png",
        "sweep-survival.png",
        "sweep-distribution-china_max_level.png",
        "sweep-distribution-final_tariff.png",
        "sweep-trajectory-coercion_level.png",
    }
    for path in paths:
        assert non_blank(path), f"{path.name} looks blank"
    assert not list((tmp_path / "charts").glob(".*.tmp"))
    with pytest.raises(ValueError, match="png, svg, pdf"):
        draw_all(single, tmp_path / "x", "jpeg")


def test_a_saved_heatmap_is_a_picture_with_its_footer(grid, tmp_path):
    from negosim.plots.style import house_style
    from negosim.plots.sweep_figure import save

    fig = heatmap_chart(grid, "final_tariff")
    with house_style():
        png = save(fig, tmp_path / "heatmap.png", "png")
        svg = save(fig, tmp_path / "heatmap.svg", "svg")
    assert non_blank(png)
    assert grid.manifest["identity"][:12] in svg.read_text()


# -- other designs -----------------------------------------------------------------------------
def test_a_single_point_gets_a_histogram_whose_bars_are_the_shares(single):
    fig = distribution_chart(single, "china_max_level")
    bars = by_gid(fig, "histogram")
    shares = single.runs["china_max_level"].value_counts(normalize=True).sort_index()
    heights = {round(b.get_x() + b.get_width() / 2): b.get_height() for b in bars}
    assert {k: v for k, v in heights.items() if v > 0} == pytest.approx(shares.to_dict())
    assert any("40 runs at ω = 0.5" in t for t in texts(fig))
    assert len(by_gid(survival_chart(single), "survival")) == 1


def test_a_sobol_design_pools_its_points_and_draws_the_indices_stats_computes(sobol):
    plan = dict(charts(sobol))
    assert "scatter-final_tariff" in plan and "sobol-final_tariff" in plan
    fig = plan["distribution-final_tariff"]()
    assert "distribution over all runs" in texts(fig)[0]
    assert sum(b.get_height() for b in by_gid(fig, "histogram")) == pytest.approx(1.0)
    indices = sobol_indices(sobol, "final_tariff")
    fig = sobol_chart(sobol, "final_tariff")
    s1 = [bar.get_width() for bar in fig.axes[0].patches if bar.get_gid() == "S1"]
    assert s1 == pytest.approx(indices["S1"].to_list())
    assert fig.axes[0].get_xlabel() == "Sobol' index [share of variance]"
    scatter = plan["scatter-final_tariff"]()
    dots = by_gid(scatter, "points")
    assert len(dots) == 2 and len(dots[0].get_offsets()) == 32


def test_a_heatmap_or_sobol_chart_of_a_design_without_them_is_refused(sobol, single):
    with pytest.raises(SweepPlotError, match="needs a grid design"):
        heatmap_chart(sobol, "final_tariff")
    with pytest.raises(SweepPlotError, match="exactly two varied parameters"):
        heatmap_chart(single, "final_tariff")
    with pytest.raises(SweepPlotError, match="sobol design"):
        sobol_chart(single, "final_tariff")


# -- partial and bad directories ---------------------------------------------------------------
def test_a_partial_sweep_says_incomplete_on_every_chart_and_counts_what_is_there(partial):
    plan = charts(partial)
    total = partial.manifest["chunks"]
    for stem, draw in plan:
        fig = draw()
        notes = [t for t in fig.texts if t.get_gid() == INCOMPLETE_TAG]
        assert [t.get_text() for t in notes] == [f"incomplete: {total - 1} of {total} chunks"], stem
    fig = heatmap_chart(partial, "final_tariff")
    runs = partial.runs
    expected = runs.pivot_table(index=OMEGA, columns=COMMITMENT, values="final_tariff")
    expected = expected.reindex(sorted(partial.parameters[OMEGA].unique()))  # points without runs
    drawn = np.ma.filled(by_gid(fig, "heatmap")[0].get_array(), np.nan)
    assert drawn == pytest.approx(expected.to_numpy(), nan_ok=True)
    assert "–" in [t.get_text() for t in by_gid(fig, "cell")]


def test_a_directory_that_cannot_be_charted_gets_a_clear_message(grid, tmp_path):
    root = tmp_path / "empty"
    shutil.copytree(grid.root, root)
    for path in (root / "runs").glob("part-*.parquet"):
        path.unlink()
    with pytest.raises(SweepPlotError, match="no finished chunk yet"):
        open_files(load_sweep(root))
    manifest = json.loads((grid.root / "manifest.json").read_text())
    manifest["format"] = 0
    (root / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SweepPlotError, match="field 'format' is 0"):
        open_files(load_sweep(root))
    with pytest.raises(SweepPlotError, match=r"no column 'final_tarif'.*final_tariff"):
        distribution_chart(grid, "final_tarif")


def test_column_units_come_from_the_saved_metadata(grid):
    files = open_files(grid)
    assert files.column("runs", "final_tariff").unit == "% ad valorem"
    assert files.column("rounds", "approval").unit == "share 0-1"
    assert pd.api.types.is_float_dtype(grid.runs["final_tariff"])


def test_charts_drawn_on_two_cores_are_the_same_files_as_drawn_on_one(grid, tmp_path):
    serial = draw_all(grid, tmp_path / "one", "png", workers=1)
    forked = draw_all(grid, tmp_path / "two", "png", workers=2)
    assert [p.name for p in forked] == [p.name for p in serial] and len(serial) >= 8
    for a, b in zip(serial, forked, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
