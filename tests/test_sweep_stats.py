"""Sobol designs on common random numbers, the variance shares, and the index warnings.

The design varies China's slider ω, which drives China's peak coercion, and the Nikkei's
move on a deal, which nothing in the model reads (markets are outputs only, docs/model.md
§7): so for ``china_max_level`` ω must dominate and the market parameter must get nothing.
With common random numbers (the default of Sobol designs) it gets exactly nothing; with
independent seeds replicate noise hands it a total index about the size of the noise share
of the per-point means (Jansen's estimator reads noise as interaction).
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from conftest import BASELINE, SOBOL_DOMINANT, SOBOL_INDEPENDENT, write
from negosim.scenario import ScenarioError
from negosim.sweep import Sweep, load_experiment, run_sweep
from negosim.sweep.report import format_report
from negosim.sweep.seeds import derive_seeds
from negosim.sweep.stats import index_warnings, sobol_indices
from negosim.sweep.store import SweepDirectoryError
from negosim.sweep.variance import SHARES, noise_table, variance_shares

SOBOL, INDEPENDENT = SOBOL_DOMINANT, SOBOL_INDEPENDENT
OMEGA, MARKET = "china.omega", "markets.nikkei_on_deal"


# --- the default seeding ------------------------------------------------------------------


def test_sobol_designs_share_seeds_replicate_by_replicate_by_default(crn_sobol):
    experiment, sweep = crn_sobol
    assert experiment.spec.common_random_numbers is None  # not said in the file
    assert experiment.common_random_numbers is True
    assert sweep.manifest["common_random_numbers"] is True
    seeds = sweep.runs.pivot(index="replicate", columns="point", values="seed")
    expected = derive_seeds(6, 0, np.arange(8), True)
    assert seeds.shape == (8, 64)
    for point in seeds.columns:
        np.testing.assert_array_equal(seeds[point].to_numpy(), expected)


def test_independent_seeds_stay_available(independent_sobol):
    experiment, sweep = independent_sobol
    assert experiment.common_random_numbers is False
    assert sweep.manifest["common_random_numbers"] is False
    seeds = sweep.runs.pivot(index="replicate", columns="point", values="seed")
    assert seeds.stack().nunique() == 32 * 8


@pytest.mark.parametrize(("method", "extra"), [("grid", ""), ("latin_hypercube", "  samples: 3\n")])
def test_other_designs_keep_independent_seeds_by_default(tmp_path, method, extra):
    values = "{values: [0.0, 1.0]}" if method == "grid" else "{min: 0.0, max: 1.0}"
    text = (
        f"name: other\nscenario: {BASELINE}\nseed: 1\nreplicates: 2\n"
        f"design:\n  method: {method}\n{extra}  parameters:\n    china.omega: {values}\n"
    )
    assert load_experiment(write(tmp_path, text)).common_random_numbers is False
    said = text.replace("seed: 1\n", "seed: 1\ncommon_random_numbers: true\n")
    assert load_experiment(write(tmp_path, said)).common_random_numbers is True


@pytest.mark.parametrize("value", ["maybe", "1", "[true]", "'false'"])
def test_a_bad_seeding_value_is_refused_with_what_each_value_means(tmp_path, value):
    text = SOBOL.replace("seed: 6\n", f"seed: 6\ncommon_random_numbers: {value}\n")
    with pytest.raises(ScenarioError) as caught:
        load_experiment(write(tmp_path, text))
    (problem,) = caught.value.problems
    assert problem.path == "common_random_numbers" and problem.line == 4
    assert "must be true or false" in problem.message
    assert "same seed" in problem.allowed and "independent seeds" in problem.allowed
    assert "default of sobol designs" in problem.allowed


def test_a_bad_seeding_value_is_reported_with_the_other_problems(tmp_path):
    text = SOBOL.replace("seed: 6\n", "seed: -6\ncommon_random_numbers: sometimes\n")
    with pytest.raises(ScenarioError) as caught:
        load_experiment(write(tmp_path, text))
    assert sorted(p.path for p in caught.value.problems) == ["common_random_numbers", "seed"]


def test_resume_refuses_a_sweep_run_with_the_other_seeding(crn_sobol, tmp_path):
    experiment, sweep = crn_sobol
    copy = shutil.copytree(sweep.root, tmp_path / "old")
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["common_random_numbers"] = False  # as the same file ran before this default
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SweepDirectoryError, match=r"independent seeds per point, but .* common"):
        run_sweep(experiment, copy, executor="inline", resume=True, progress=False)


# --- Sobol indices: common random numbers against independent seeds -----------------------


def test_common_random_numbers_give_the_dominant_parameter_its_index(crn_sobol):
    _, sweep = crn_sobol
    indices = sobol_indices(sweep, "china_max_level").set_index("parameter")
    for name in ("S1", "ST"):
        low = indices[name] - indices[f"{name}_conf"]
        high = indices[name] + indices[f"{name}_conf"]
        assert (low <= 1.0).all() and (high >= 0.0).all(), indices  # [0, 1] within the CI
        assert low[OMEGA] > high[MARKET]  # ω dominates, beyond doubt
    # the market parameter changes nothing China sees: on common seeds, exactly nothing
    assert indices.loc[MARKET, ["S1", "S1_conf", "ST", "ST_conf"]].tolist() == [0.0] * 4
    # and the other way round for the Nikkei itself
    nikkei = sobol_indices(sweep, "final_nikkei").set_index("parameter")
    assert nikkei.loc[MARKET, "ST"] - nikkei.loc[MARKET, "ST_conf"] > nikkei.loc[OMEGA, "ST"]


def test_independent_seeds_hand_an_inert_parameter_the_noise(crn_sobol, independent_sobol):
    (_, crn), (_, independent) = crn_sobol, independent_sobol
    noisy = sobol_indices(independent, "china_max_level").set_index("parameter")
    shares = noise_table(independent, ["china_max_level"]).set_index("outcome")
    floor = shares.loc["china_max_level", "mean_noise_share"]
    assert floor > 0.3  # 8 replicates per point do not average the noise away
    assert noisy.loc[MARKET, "ST"] > 0.3  # an inert parameter "explains" a third or more
    assert noisy.loc[MARKET, "warning"]  # and it is flagged
    calm = noise_table(crn, ["china_max_level"]).set_index("outcome")
    assert calm.loc["china_max_level", "mean_noise_share"] < floor


def test_a_sobol_report_warns_about_indices_and_noise(independent_sobol, crn_sobol):
    _, sweep = independent_sobol
    report = format_report(sweep, ["deal_reached", "china_max_level"])
    assert "(independent seeds per point)" in report
    assert "parameters have indices to read with care" in report
    assert "warning: replicate noise is about" in report
    assert "a parameter with no effect at all would get ST" in report
    _, crn = crn_sobol
    calm = format_report(crn, ["china_max_level"])
    assert "(common random numbers)" in calm
    noise = noise_table(crn, ["china_max_level"])["mean_noise_share"].iloc[0]
    assert noise > 0.1  # 8 replicates: the responses to ω still differ between replicates
    assert f"replicate noise is about {noise:.0%}" in calm
    assert "the indices of the parameters that act carry that noise" in calm
    assert "a parameter with no effect at all" not in calm  # it gets 0 on common seeds


# --- warnings on known cases ---------------------------------------------------------------


def test_index_warnings_on_a_synthetic_table():
    table = pd.DataFrame(
        {
            "parameter": ["fine", "above", "below", "wide", "leaves", "reaches_one", "nan"],
            "S1": [0.50, 1.20, -0.10, 0.05, 0.10, 0.95, np.nan],
            "S1_conf": [0.10, 0.05, 0.02, 0.04, 0.12, 0.10, 0.1],
            "ST": [0.60, 0.70, 0.20, 0.30, 0.20, 0.90, 0.5],
            "ST_conf": [0.10, 0.10, 0.05, 0.05, 0.05, 0.05, 0.1],
        }
    )
    assert index_warnings(table) == [
        "",
        "S1>1",
        "S1<0",
        "S1 CI>S1",  # 0.05 ± 0.04: wider (0.08) than the index, inside [0, 1]
        "S1 CI<0, S1 CI>S1",
        "S1 CI>1",
        "S1 undefined",
    ]


def test_sobol_tables_carry_the_warning_of_each_row(independent_sobol):
    _, sweep = independent_sobol
    indices = sobol_indices(sweep, "china_max_level")
    assert list(indices.columns) == ["parameter", "S1", "S1_conf", "ST", "ST_conf", "warning"]
    assert indices["warning"].tolist() == index_warnings(indices)
    for row in indices.itertuples():
        out = not (0 <= row.S1 <= 1 and 0 <= row.ST <= 1)
        assert not out or row.warning  # every estimate outside [0, 1] is flagged


def test_an_outcome_that_never_varies_is_not_analysed(crn_sobol):
    _, sweep = crn_sobol

    class Constant(Sweep):
        def runs_frame(self, columns=None):
            return super().runs_frame(columns).assign(china_max_level=3)

    with pytest.raises(ValueError, match="the same mean at every design point"):
        sobol_indices(Constant(sweep.root, sweep.manifest), "china_max_level")


# --- variance shares, against the library and an independent computation ----------------


def test_replicate_share_is_one_minus_eta_squared_of_scipys_anova(independent_sobol):
    _, sweep = independent_sobol
    runs = sweep.runs
    y = runs["china_max_level"].astype(float)
    shares = variance_shares(y, runs["point"], runs["replicate"], common=False)
    groups = [g.to_numpy() for _, g in y.groupby(runs["point"])]
    f, _ = scipy_stats.f_oneway(*groups)
    k, n = len(groups), len(y)
    # F = (SSB / (k-1)) / (SSW / (n-k)), so SSW / SST = 1 / (1 + F (k-1) / (n-k))
    assert shares["replicate_share"] == pytest.approx(1 / (1 + f * (k - 1) / (n - k)), rel=1e-9)
    assert shares["explained_share"] == pytest.approx(1 - shares["replicate_share"], abs=1e-15)
    means = y.groupby(runs["point"]).mean()
    noise = (y.groupby(runs["point"]).var(ddof=1) / 8).mean()
    assert shares["mean_noise_share"] == pytest.approx(min(1.0, noise / means.var()), rel=1e-9)
    assert shares["runs"] == len(y) == 256


def test_noise_under_common_random_numbers_is_the_two_way_residual(crn_sobol):
    _, sweep = crn_sobol
    runs = sweep.runs
    y = runs["china_max_level"].astype(float).to_numpy()
    # least squares on point and replicate dummies: y = point effect + replicate effect + e
    points, reps = runs["point"].to_numpy(), runs["replicate"].to_numpy()
    design = np.hstack(
        [np.eye(64)[points], np.eye(8)[reps][:, 1:]]  # one replicate dummy dropped
    )
    residual = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    sigma2 = (residual**2).sum() / (len(y) - 64 - 7)
    spread = pd.Series(y).groupby(points).mean().var()
    shares = variance_shares(
        runs["china_max_level"].astype(float), runs["point"], runs["replicate"], True
    )
    assert shares["mean_noise_share"] == pytest.approx(min(1.0, sigma2 / 8 / spread), rel=1e-9)


def test_missing_values_are_left_out_of_the_shares():
    values = pd.Series([1.0, 3.0, np.nan, 5.0, 7.0, 9.0])
    point = pd.Series([0, 0, 0, 1, 1, 1])
    replicate = pd.Series([0, 1, 2, 0, 1, 2])
    shares = variance_shares(values, point, replicate, common=True)  # unbalanced: one-way
    assert shares["runs"] == 5
    within = (1 + 1) + (1 + 0 + 1) * 4  # (1-2)², (3-2)²; (5-7)², (7-7)², (9-7)²
    total = ((np.array([1, 3, 5, 7, 9]) - 5.0) ** 2).sum()
    assert shares["replicate_share"] == pytest.approx(within / total)
    empty = variance_shares(pd.Series([np.nan]), pd.Series([0]), pd.Series([0]), common=False)
    assert empty["runs"] == 0 and np.isnan(empty["replicate_share"])


def test_noise_table_has_one_row_per_outcome(crn_sobol):
    _, sweep = crn_sobol
    table = noise_table(sweep, ["deal_reached", "china_max_level", "final_nikkei"])
    assert table["outcome"].tolist() == ["deal_reached", "china_max_level", "final_nikkei"]
    assert list(table.columns) == [
        "outcome",
        "runs",
        "replicate_share",
        "explained_share",
        "mean_noise_share",
    ]
    shares = table.set_index("outcome")
    assert sweep.runs["deal_reached"].all()  # every run reaches a deal: no variance to share
    assert shares.loc["deal_reached", SHARES].isna().all()
    varied = shares.loc[["china_max_level", "final_nikkei"], SHARES]
    assert ((varied >= 0) & (varied <= 1)).all().all()
    # the Nikkei moves with the market parameter: the points explain much of it
    assert (
        shares.loc["final_nikkei", "explained_share"]
        > shares.loc["china_max_level", "explained_share"]
    )
