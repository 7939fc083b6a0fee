"""The sweep report: Wilson intervals, agreement and distribution tables, Sobol indices, CLI.

Wilson bounds are checked against published values (Newcombe 1998, Stat. Med. 17:857,
Table I, method 3) and the textbook formula written out here; tables are recomputed by
hand from the runs; Sobol indices are SALib's analysis of the per-point means.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from SALib.analyze import sobol as salib_sobol

from conftest import BASELINE, write
from negosim.cli import main
from negosim.scenario import ScenarioError
from negosim.sweep import load_experiment, load_sweep, run_sweep
from negosim.sweep.design import sobol_problem
from negosim.sweep.report import format_report
from negosim.sweep.stats import (
    Z95,
    agreement_table,
    distribution_table,
    sobol_indices,
    wilson_interval,
)

# 12 rounds so that deals happen; a US outside option of 0.95 (a floor under its value of no
# deal, ≈ 0.39 in the baseline) makes them rare.
GRID = f"""\
name: report
scenario: {BASELINE}
seed: 99
replicates: 40
rounds: 12
design:
  method: grid
  parameters:
    agents.us.outside_option: {{values: [0.3, 0.5, 0.95]}}
keep:
  rounds: none
report: [deal_reached, first_deal_round, final_tariff, china_max_level]
"""

SOBOL = f"""\
name: sensitivity
scenario: {BASELINE}
seed: 3
replicates: 4
rounds: 12
design:
  method: sobol
  samples: 8
  parameters:
    china.omega: {{min: 0.0, max: 1.0}}
    agents.us.outside_option: {{min: 0.2, max: 0.9}}
keep:
  rounds: none
report: [deal_reached, first_deal_round, final_tariff]
"""


def hand_wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """(p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, (centre - half) / (1 + z * z / n)), min(1.0, (centre + half) / (1 + z * z / n))


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    directory = tmp_path_factory.mktemp("grid")
    experiment = load_experiment(write(directory, GRID))
    run_sweep(experiment, directory / "out", executor="inline", chunk_runs=25, progress=False)
    return load_sweep(directory / "out")


@pytest.fixture(scope="module")
def sensitivity(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sobol")
    experiment = load_experiment(write(directory, SOBOL))
    run_sweep(experiment, directory / "out", executor="inline", progress=False)
    return experiment, load_sweep(directory / "out")


# --- Wilson intervals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),
        (5, 10, 0.2366, 0.7634),
        (1, 10, 0.0179, 0.4042),
        (10, 10, 0.7225, 1.0),
        # Newcombe (1998), Table I, method 3 (score interval without continuity correction)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_published_values(k, n, low, high):
    lo, hi = wilson_interval(np.array([k]), np.array([n]))
    assert lo[0] == pytest.approx(low, abs=5e-5)
    assert hi[0] == pytest.approx(high, abs=5e-5)
    assert (lo[0], hi[0]) == pytest.approx(hand_wilson(k, n), abs=1e-12)


def test_wilson_interval_is_vectorised_bounded_and_symmetric():
    n = np.array([1, 2, 7, 10, 33, 100, 1000, 5000])
    for k_frac in (0.0, 0.1, 0.5, 0.93, 1.0):
        k = np.round(k_frac * n)
        lo, hi = wilson_interval(k, n)
        lo2, hi2 = wilson_interval(n - k, n)
        assert ((lo >= 0) & (hi <= 1)).all()
        assert ((lo <= k / n + 1e-15) & (k / n <= hi + 1e-15)).all()  # exact: see below
        np.testing.assert_allclose(lo, 1 - hi2, atol=1e-12)
        np.testing.assert_allclose(hi, 1 - lo2, atol=1e-12)
        for i in range(len(n)):
            assert (lo[i], hi[i]) == pytest.approx(hand_wilson(int(k[i]), int(n[i])), abs=1e-12)
    # narrower with more trials at the same share; wider at a higher confidence
    lo, hi = wilson_interval(np.array([5, 50, 500]), np.array([10, 100, 1000]))
    assert (np.diff(hi - lo) < 0).all()
    lo99, hi99 = wilson_interval(np.array([5]), np.array([10]), z=2.5758293035489)
    assert lo99[0] < 0.2366 and hi99[0] > 0.7634


def test_wilson_interval_contains_the_observed_share_exactly():
    n = np.array([1, 2, 7, 10, 33, 100, 1000, 5000])
    lo, _ = wilson_interval(np.zeros_like(n), n)
    _, hi = wilson_interval(n, n)
    assert (lo == 0).all()
    assert (hi == 1).all()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_wilson_interval_of_no_trials_is_undefined_not_an_error():
    lo, hi = wilson_interval(np.array([0]), np.array([0]))
    assert np.isnan(lo[0]) and np.isnan(hi[0])


# --- agreement and distribution tables ----------------------------------------------------


def test_agreement_table_per_point(grid):
    table = agreement_table(grid)
    assert list(table.columns) == [
        "point",
        "agents.us.outside_option",
        "runs",
        "agreement",
        "ci95_low",
        "ci95_high",
    ]
    assert table["point"].tolist() == [0, 1, 2]
    assert table["agents.us.outside_option"].tolist() == [0.3, 0.5, 0.95]
    assert table["runs"].tolist() == [40, 40, 40]
    runs = grid.runs
    for row in table.itertuples(index=False):
        deals = int(runs.loc[runs["point"] == row.point, "deal_reached"].sum())
        assert row.agreement == deals / 40
        assert (row.ci95_low, row.ci95_high) == pytest.approx(hand_wilson(deals, 40), abs=1e-12)
    # the design actually spans agreement rates (else this test checks little)
    assert table["agreement"].iloc[0] > 0.5 and table["agreement"].iloc[-1] < 0.2


def test_distribution_table_per_point_and_outcome(grid):
    outcomes = ["first_deal_round", "final_tariff", "deal_reached", "china_max_level"]
    table = distribution_table(grid, outcomes)
    assert len(table) == 3 * len(outcomes)
    assert table["outcome"].tolist() == [o for o in outcomes for _ in range(3)]
    runs = grid.runs
    assert (runs["first_deal_round"].isna() == ~runs["deal_reached"]).all()  # null, not -1
    for row in table.to_dict("records"):
        values = runs.loc[runs["point"] == row["point"], row["outcome"]]
        x = values.dropna().to_numpy(dtype=np.float64)  # no deal is missing, not a round
        assert row["n"] == len(x)
        if len(x):
            assert row["mean"] == pytest.approx(x.mean(), abs=1e-12)
            assert row["median"] == np.median(x)
            assert row["p5"] == pytest.approx(np.percentile(x, 5), abs=1e-12)
            assert row["p95"] == pytest.approx(np.percentile(x, 95), abs=1e-12)
        else:
            assert np.isnan(row["mean"])
        if row["outcome"] == "deal_reached":
            expected = hand_wilson(int(x.sum()), len(x))
            assert (row["ci95_low"], row["ci95_high"]) == pytest.approx(expected, abs=1e-12)
        else:
            assert np.isnan(row["ci95_low"]) and np.isnan(row["ci95_high"])
    first = table[table["outcome"] == "first_deal_round"]
    assert (first["p5"].dropna() >= 1).all()  # runs without a deal excluded
    assert first["n"].tolist() == [
        int(runs.loc[runs["point"] == p, "deal_reached"].sum()) for p in range(3)
    ]
    assert (table.loc[table["outcome"] == "final_tariff", "n"] == 40).all()


# --- Sobol indices ------------------------------------------------------------------------


def test_sobol_indices_are_salibs_analysis_of_point_means(sensitivity):
    experiment, sweep = sensitivity
    assert len(sweep.parameters) == 8 * (2 + 2)
    for outcome in ("deal_reached", "final_tariff"):
        indices = sobol_indices(sweep, outcome)
        assert list(indices.columns) == ["parameter", "S1", "S1_conf", "ST", "ST_conf", "warning"]
        assert indices["parameter"].tolist() == ["china.omega", "agents.us.outside_option"]
        assert np.isfinite(indices[["S1", "ST", "S1_conf", "ST_conf"]].to_numpy()).all()
        means = sweep.runs.groupby("point")[outcome].mean().to_numpy(dtype=np.float64)
        expected = salib_sobol.analyze(
            sobol_problem(experiment.spec), means, calc_second_order=False, seed=3
        )
        np.testing.assert_allclose(indices["S1"], expected["S1"], rtol=0, atol=1e-12)
        np.testing.assert_allclose(indices["ST"], expected["ST"], rtol=0, atol=1e-12)
    # whether the US accepts is mostly about its outside option, not China's slider
    agreement = sobol_indices(sweep, "deal_reached").set_index("parameter")["ST"]
    assert agreement["agents.us.outside_option"] > agreement["china.omega"]


def test_sobol_indices_refuse_points_without_a_value(sensitivity):
    _, sweep = sensitivity
    deals = sweep.runs.groupby("point")["deal_reached"].sum()
    assert (deals == 0).any()  # some points never reach a deal
    with pytest.raises(ValueError, match="first_deal_round: some design points have no value"):
        sobol_indices(sweep, "first_deal_round")


def test_report_of_a_second_order_sobol_design(tmp_path):
    text = (
        SOBOL.replace("  samples: 8\n", "  samples: 4\n  second_order: true\n")
        .replace("replicates: 4", "replicates: 2")
        .replace(
            "    agents.us.outside_option: {min: 0.2, max: 0.9}\n",
            "    agents.us.outside_option: {min: 0.2, max: 0.9}\n"
            "    agents.japan.discount: {min: 0.8, max: 1.0}\n",
        )
    )
    experiment = load_experiment(write(tmp_path, text))
    assert len(experiment.points) == 4 * (2 * 3 + 2)
    run_sweep(experiment, tmp_path / "out", executor="inline", progress=False)
    sweep = load_sweep(tmp_path / "out")
    report = format_report(sweep, ["final_tariff"])
    assert "Sobol indices of mean final_tariff" in report
    expected = sobol_indices(sweep, "final_tariff", second_order=True)
    assert expected.to_string(index=False, float_format="{:.3f}".format) in report


# --- the CLI report -----------------------------------------------------------------------


def test_cli_prints_the_report_of_a_grid_sweep(tmp_path, capsys, grid):
    path = write(tmp_path, GRID)
    code = main(["sweep", str(path), "--out", str(tmp_path / "out"), "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith("report: 3 points × 40 replicates; ran 120 runs in 1 chunks (inline)")
    assert f"results in {tmp_path / 'out'}" in out
    assert "Agreement rate per point (95 % Wilson interval):" in out
    for outcome in ("first_deal_round", "final_tariff", "china_max_level"):
        assert f"{outcome} per point (mean, median, 5th and 95th percentiles):" in out
    assert "deal_reached per point" not in out  # shares are in the agreement block
    assert "Sobol" not in out
    table = agreement_table(grid).to_string(index=False, float_format="{:.3f}".format)
    assert table in out  # the same numbers as the API (same experiment, any chunking)
    report = ["deal_reached", "first_deal_round", "final_tariff", "china_max_level"]
    assert format_report(load_sweep(tmp_path / "out"), report) in out


def test_cli_prints_sobol_indices_for_a_sobol_design(tmp_path, capsys, sensitivity):
    _, sweep = sensitivity
    path = write(tmp_path, SOBOL)
    code = main(["sweep", str(path), "--out", str(tmp_path / "out"), "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "sensitivity: 32 points × 4 replicates; ran 128 runs" in out
    assert "Agreement rate per point (95 % Wilson interval); the 10 points with the lowest" in out
    for outcome in ("deal_reached", "final_tariff"):
        assert f"Sobol indices of mean {outcome} (first-order S1, total ST, 95 % conf):" in out
        block = sobol_indices(sweep, outcome).to_string(index=False, float_format="{:.3f}".format)
        assert block in out
    assert "Sobol indices of first_deal_round: not computed (" in out


def test_report_outcomes_must_be_kept(tmp_path, capsys):
    text = GRID.replace("  rounds: none\n", "  runs: [final_tariff]\n  rounds: none\n").replace(
        "replicates: 40", "replicates: 3"
    )
    path = write(tmp_path, text)
    try:
        load_experiment(path)
    except ScenarioError as err:  # refused at the boundary: fine, if it says why
        assert "deal_reached" in str(err) and "keep.runs" in str(err)
        return
    code = main(["sweep", str(path), "--out", str(tmp_path / "out"), "--no-progress"])
    out, _ = capsys.readouterr()
    assert code == 0 and "final_tariff per point" in out


def test_report_of_a_sweep_loaded_from_disk_is_plain_parquet(grid):
    """The files need no negosim: pandas alone gives the same agreement rates."""
    runs = pd.read_parquet(grid.root / "runs")
    params = pd.read_parquet(grid.root / "parameters.parquet")
    rates = runs.groupby("point")["deal_reached"].mean()
    table = agreement_table(grid)
    np.testing.assert_array_equal(table["agreement"].to_numpy(), rates.to_numpy())
    assert params["agents.us.outside_option"].tolist() == table["agents.us.outside_option"].tolist()
