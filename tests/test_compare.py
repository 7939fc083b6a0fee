"""negosim compare on small sweeps made by running the model.

Known cases: a sweep against itself (no difference, every p = 1, paired), a US tariff
threat switched on (the deal's tariff goes up), pairing detected (same master seed and
design; common random numbers within one sweep) and not detected (another master seed;
another base scenario), and every refusal with its exit status. The table's numbers are
recomputed from the runs with pandas and scipy.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from scipy import stats

from conftest import BASELINE, CONFIGS, cli, write
from negosim.compare import (
    CompareError,
    IncomparableError,
    SelectionError,
    UnreadableSweepError,
    compare,
    write_comparison,
)
from negosim.compare.pairing import PAIRED
from negosim.sweep import load_experiment, load_sweep, run_sweep

EXPERIMENT = """\
name: {name}
scenario: {scenario}
seed: {seed}
replicates: 40
rounds: 12
common_random_numbers: {crn}
set:
  agents.us.tariff_threat.probability: {threat}
design:
  method: grid
  parameters:
    china.omega: {{values: [{omegas}]}}
keep:
  rounds: none
"""

SWEEPS = {
    # name: (scenario, master seed, threat probability, common random numbers, ω values)
    "low": (BASELINE, 11, 0.0, "false", "0.0, 1.0"),
    "high": (BASELINE, 11, 0.5, "false", "0.0, 1.0"),
    "other_seed": (BASELINE, 12, 0.5, "false", "0.0, 1.0"),
    "hawk": (CONFIGS / "hawkish_successor.yaml", 11, 0.0, "false", "0.0, 1.0"),
    "crn": (BASELINE, 11, 0.0, "true", "0.25, 0.5"),
}
FEW = ["deal_reached", "first_deal_round", "final_status", "final_tariff", "china_max_level"]


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory):
    """Every fixture sweep, run once (40 replicates at two values of ω, 12 months)."""
    root = tmp_path_factory.mktemp("compare")
    made = {}
    for name, (scenario, seed, threat, crn, omegas) in SWEEPS.items():
        text = EXPERIMENT.format(
            name=name, scenario=scenario, seed=seed, threat=threat, crn=crn, omegas=omegas
        )
        experiment = load_experiment(write(root, text, f"{name}.yaml"))
        chunks = 20 if name == "low" else None  # four chunks: one is removed for "partial"
        run_sweep(experiment, root / name, executor="inline", chunk_runs=chunks, progress=False)
        made[name] = root / name
    return made


@pytest.fixture(scope="module")
def shifted(sweeps):
    return compare(sweeps["low"], sweeps["high"])


def _copy(source, target, manifest=None):
    shutil.copytree(source, target)
    if manifest:
        path = target / "manifest.json"
        data = json.loads(path.read_text())
        data.update(manifest)
        path.write_text(json.dumps(data))
    return target


# --- known cases ----------------------------------------------------------------------------


def test_a_sweep_against_itself_differs_in_nothing(sweeps):
    c = compare(sweeps["low"], sweeps["low"])
    assert c.paired and c.pairing.statement.startswith(PAIRED)
    assert c.pairing.pairs == 80
    t = c.table
    assert len(t) == 2 * len(c.outcomes) and len(c.outcomes) > 40
    assert (t["p_value"] == 1).all() and (t["p_adjusted"] == 1).all()
    assert (t["difference"] == 0).all() and (t["effect"] == 0).all()
    assert not t["significant"].any()
    unpaired = compare(sweeps["low"], sweeps["low"], paired=False)
    assert not unpaired.paired and (unpaired.table["p_value"] == 1).all()


def test_a_tariff_threat_raises_the_deal_tariff(shifted):
    assert shifted.paired
    tariff = shifted.table[shifted.table["outcome"] == "final_tariff"].set_index("point")
    assert list(tariff.index.sort_values()) == ["china.omega=0", "china.omega=1"]
    assert (tariff["difference"] > 2).all()  # threats of 25 % move the tariff up by points
    assert (tariff["ci95_low"] > 0).all() and tariff["significant"].all()
    assert (tariff["effect"] > 0).all()
    assert (tariff["test"] == "Wilcoxon signed-rank (Pratt)").all()
    # ranked: significant rows first, by the size of their effect
    sig = shifted.table[shifted.table["significant"]]
    assert sig.index.max() == len(sig) - 1
    assert (np.diff(sig["effect"].abs().to_numpy()) <= 1e-12).all()


def test_another_master_seed_is_unpaired_and_says_why(sweeps):
    c = compare(sweeps["low"], sweeps["other_seed"])
    assert not c.paired
    assert c.pairing.statement.startswith("unpaired: the runs do not share seeds")
    assert "master seeds 11 and 12" in c.pairing.statement
    assert set(c.table["test"]) <= {"Mann–Whitney U", "Fisher exact"}
    tariff = c.table[c.table["outcome"] == "final_tariff"]
    assert (tariff["difference"] > 0).all()
    with pytest.raises(IncomparableError, match="--paired refused: the seeds do not match"):
        compare(sweeps["low"], sweeps["other_seed"], paired=True)


def test_another_base_scenario_is_not_paired_even_with_the_same_seeds(sweeps):
    c = compare(sweeps["low"], sweeps["hawk"])
    assert not c.paired
    assert "the runs share seeds, but the base scenarios differ" in c.pairing.statement
    with pytest.raises(IncomparableError, match="--paired refused: the base scenarios differ"):
        compare(sweeps["low"], sweeps["hawk"], paired=True)


def test_points_of_one_sweep_pair_under_common_random_numbers_only(sweeps):
    crn = compare(
        sweeps["crn"], sweeps["crn"], a_point={"china.omega": 0.25}, b_point={"china.omega": 0.5}
    )
    assert crn.paired and [m.label for m in crn.matches] == ["all runs"]
    assert crn.a.label == "china.omega=0.25" and crn.b.label == "china.omega=0.5"
    plain = compare(sweeps["low"], sweeps["low"], a_point={"point": 0}, b_point={"point": 1})
    assert not plain.paired and "depends on its point's index" in plain.pairing.statement


# --- the numbers ------------------------------------------------------------------------


def test_paired_rows_equal_direct_computations(sweeps, shifted):
    a, b = load_sweep(sweeps["low"]).runs, load_sweep(sweeps["high"]).runs
    t = shifted.table.set_index(["outcome", "point"])
    for point, label in ((0, "china.omega=0"), (1, "china.omega=1")):
        ra, rb = a[a["point"] == point], b[b["point"] == point]
        assert (ra["seed"].to_numpy() == rb["seed"].to_numpy()).all()
        x, y = ra["final_tariff"].to_numpy(), rb["final_tariff"].to_numpy()
        row = t.loc[("final_tariff", label)]
        ci = stats.ttest_rel(y, x).confidence_interval(0.95)
        assert row["mean_a"] == pytest.approx(ra["final_tariff"].mean())
        assert row["difference"] == pytest.approx((rb["final_tariff"] - ra["final_tariff"]).mean())
        assert (row["ci95_low"], row["ci95_high"]) == pytest.approx((ci.low, ci.high))
        p = stats.wilcoxon(y, x, zero_method="pratt").pvalue
        assert row["p_value"] == pytest.approx(p)
        deal = t.loc[("deal_reached", label)]
        da, db = ra["deal_reached"].to_numpy(), rb["deal_reached"].to_numpy()
        b_only, a_only = int((db & ~da).sum()), int((da & ~db).sum())
        assert deal["mean_b"] == db.mean() and deal["difference"] == (b_only - a_only) / 40
        if b_only != a_only:
            k, m = min(b_only, a_only), b_only + a_only
            exact = stats.binomtest(b_only, m).pvalue
            assert deal["p_value"] == pytest.approx(exact - stats.binom.pmf(k, m, 0.5))
        status = t.loc[("final_status = in force", label)]
        assert status["mean_a"] == pytest.approx((ra["final_status"] == "in force").mean())
        first = t.loc[("first_deal_round", label)]
        both = ra["first_deal_round"].notna().to_numpy() & rb["first_deal_round"].notna().to_numpy()
        assert first["n_pairs"] == both.sum()
        assert first["missing_a"] == ra["first_deal_round"].isna().sum()
    q = stats.false_discovery_control(shifted.table["p_value"].to_numpy(), method="bh")
    assert shifted.table["p_adjusted"].to_numpy() == pytest.approx(q)


def test_unpaired_rows_equal_direct_computations(sweeps):
    c = compare(sweeps["low"], sweeps["other_seed"], outcomes=FEW)
    a, b = load_sweep(sweeps["low"]).runs, load_sweep(sweeps["other_seed"]).runs
    t = c.table.set_index(["outcome", "point"])
    x = a.loc[a["point"] == 1, "first_deal_round"].dropna().to_numpy(dtype=float)
    y = b.loc[b["point"] == 1, "first_deal_round"].dropna().to_numpy(dtype=float)
    row = t.loc[("first_deal_round", "china.omega=1")]
    welch = stats.ttest_ind(y, x, equal_var=False).confidence_interval(0.95)
    assert (row["n_a"], row["n_b"]) == (len(x), len(y))
    assert (row["ci95_low"], row["ci95_high"]) == pytest.approx((welch.low, welch.high))
    assert row["p_value"] == pytest.approx(stats.mannwhitneyu(y, x).pvalue)
    brute = (np.sum(y[:, None] > x) - np.sum(y[:, None] < x)) / (len(x) * len(y))
    assert row["effect"] == pytest.approx(brute)
    da = a.loc[a["point"] == 1, "deal_reached"]
    db = b.loc[b["point"] == 1, "deal_reached"]
    deal = t.loc[("deal_reached", "china.omega=1")]
    table = [[db.sum(), 40 - db.sum()], [da.sum(), 40 - da.sum()]]
    assert deal["p_value"] == pytest.approx(stats.fisher_exact(table).pvalue)
    assert len(c.table) == 2 * (len(FEW) - 1 + 3)  # final_status: one share per label


def test_pooled_points_are_compared_together_only_when_asked(sweeps):
    with pytest.raises(IncomparableError, match=r"differ in china\.omega.*--pool"):
        compare(sweeps["low"], sweeps["high"], a_point={"china.omega": 0.0}, outcomes=FEW)
    c = compare(
        sweeps["low"], sweeps["high"], a_point={"china.omega": 0.0}, pool=True, outcomes=FEW
    )
    assert not c.paired  # B pools two points' runs, A one point's: no one-to-one pairing
    b = load_sweep(sweeps["high"]).runs
    row = c.table[c.table["outcome"] == "final_tariff"].iloc[0]
    assert row["n_b"] == 80 and row["mean_b"] == pytest.approx(b["final_tariff"].mean())


# --- refusals -------------------------------------------------------------------------------


def test_selections_that_match_nothing_are_refused(sweeps):
    with pytest.raises(SelectionError, match=r"did you mean 'china\.omega'"):
        compare(sweeps["low"], sweeps["high"], a_point={"china.omgea": 0.0})
    with pytest.raises(SelectionError, match=r"china.omega=0.3 matches no design point.*0, 1"):
        compare(sweeps["low"], sweeps["high"], a_point={"china.omega": 0.3})
    with pytest.raises(SelectionError, match="--outcomes: final_tarif not stored"):
        compare(sweeps["low"], sweeps["high"], outcomes=["final_tarif"])
    with pytest.raises(IncomparableError, match="the designs share no point"):
        compare(sweeps["low"], sweeps["crn"])
    with pytest.raises(IncomparableError, match=r"B .* has several design points"):
        compare(sweeps["low"], sweeps["crn"], a_point={"point": 1})


def test_directories_that_are_not_sweeps_are_refused(sweeps, tmp_path, capsys):
    cases = {
        "missing": tmp_path / "nowhere",
        "old": _copy(sweeps["low"], tmp_path / "old", {"format": 0}),
    }
    code, _, _ = cli(capsys, "run", BASELINE, "--quiet", "--rounds", 2, "--out", tmp_path / "run")
    assert code == 0
    cases["run"] = tmp_path / "run"
    (tmp_path / "empty").mkdir()
    cases["empty"] = tmp_path / "empty"
    messages = {
        "missing": "does not exist",
        "old": "results format 0, and this negosim reads format 1",
        "run": "a single run's output",
        "empty": "holds no sweep",
    }
    for name, path in cases.items():
        with pytest.raises(UnreadableSweepError, match=messages[name]):
            compare(path, sweeps["low"])
        code, out, err = cli(capsys, "compare", path, sweeps["low"], "--out", tmp_path / "x")
        said = "No such file or directory" if name == "missing" else messages[name]  # the CLI's
        assert code == 2 and said in err and out == ""


def test_no_shared_outcome_is_refused_with_exit_3(sweeps, tmp_path, capsys):
    other = _copy(sweeps["high"], tmp_path / "other_units")
    for part in (other / "runs").glob("part-*.parquet"):
        table = pq.read_table(part)
        fields = [f.with_metadata({**f.metadata, b"unit": b"other"}) for f in table.schema]
        pq.write_table(table.cast(pa.schema(fields)), part)
    with pytest.raises(IncomparableError, match="share no outcome"):
        compare(sweeps["low"], other)
    code, _, err = cli(capsys, "compare", sweeps["low"], other, "--out", tmp_path / "y")
    assert code == 3 and "share no outcome" in err
    code, _, err = cli(
        capsys, "compare", sweeps["low"], sweeps["other_seed"], "--paired", "--out", tmp_path / "z"
    )
    assert code == 3 and "--paired refused" in err
    assert not (tmp_path / "z").exists()  # nothing written for a refused comparison


def test_a_partial_sweep_is_compared_with_a_visible_warning(sweeps, tmp_path):
    partial = _copy(sweeps["low"], tmp_path / "partial", {"finished": None})
    (partial / "runs" / "part-000002.parquet").unlink()  # replicates 0-19 of point 1
    c = compare(partial, sweeps["high"], outcomes=FEW)
    assert any("incomplete: 3 of 4 chunks" in w for w in c.warnings)
    assert c.paired and c.pairing.pairs == 60
    assert any("20 runs have no partner" in w for w in c.warnings)
    assert "incomplete: 3 of 4 chunks" in c.footer()
    assert "incomplete: 3 of 4 chunks" in str(c)


def test_an_error_is_a_compare_error_for_scripts():
    assert issubclass(UnreadableSweepError, CompareError) and UnreadableSweepError.exit_code == 2
    assert issubclass(SelectionError, CompareError) and SelectionError.exit_code == 2
    assert IncomparableError.exit_code == 3


# --- files, figures, the command, Jupyter ---------------------------------------------------


def test_the_command_prints_a_short_table_and_writes_every_file(sweeps, tmp_path, capsys):
    out = tmp_path / "cmp"
    args = ["compare", sweeps["low"], sweeps["high"], "--out", out, "--top", 5]
    code, stdout, _ = cli(capsys, *args, "--outcomes", ",".join(FEW))
    assert code == 0
    assert "paired: runs share seeds replicate by replicate (80 pairs)" in stdout
    assert "first 5 of 14 rows" in stdout and stdout.count("china.omega=") >= 5
    csv = pd.read_csv(out / "comparison.csv")  # final_status: one row per label and point
    assert len(csv) == 14 and csv["rank"].tolist() == list(range(1, 15))
    assert csv["outcome"].nunique() == 7
    md = (out / "comparison.md").read_text()
    assert md.count("| china.omega=") == 14 and "figures/final_tariff.png" in md
    record = json.loads((out / "comparison.json").read_text())
    assert record["paired"] is True and record["sides"]["A"]["experiment"] == "low"
    pngs = sorted(p.stem for p in (out / "figures").glob("*.png"))
    assert pngs == sorted([*FEW, "effects"])
    assert set(record["files"]) >= {f"figures/{p}.png" for p in pngs}
    # again with fewer outcomes: the figures of the others go
    code, _, _ = cli(capsys, *args, "--outcomes", "deal_reached", "--format", "svg")
    assert code == 0
    assert sorted(p.name for p in (out / "figures").iterdir()) == [
        "deal_reached.svg",
        "effects.svg",
    ]


def test_an_out_directory_holding_other_files_is_not_written_into(sweeps, tmp_path, capsys):
    code, _, err = cli(capsys, "compare", sweeps["low"], sweeps["high"], "--out", sweeps["high"])
    assert code == 2 and "holds a sweep" in err
    assert not (sweeps["high"] / "comparison.csv").exists()


def test_figures_are_drawn_with_labels_units_legend_and_footer(shifted):
    fig = shifted.distribution_figure("final_tariff")
    axes = fig.axes
    assert len(axes) == 2  # one panel per matched point
    assert axes[0].get_xlabel() == "Final tariff [% ad valorem]"
    assert axes[0].get_title().startswith("china.omega=0\nB − A +")
    assert len(axes[0].patches) > 10  # bars of both sides
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["A: low", "B: high", "mean"]
    texts = " ".join(t.get_text() for t in fig.texts)
    assert shifted.a.identity[:12] in texts and shifted.b.identity[:12] in texts
    first = shifted.distribution_figure("first_deal_round")
    notes = " ".join(t.get_text() for t in first.texts)
    assert "runs without a value (no deal in the run)" in notes
    effects = shifted.effects_figure(top=10)
    assert len(effects.axes[0].get_yticklabels()) == 10
    with pytest.raises(ValueError, match="not a compared column"):
        shifted.distribution_figure("final_tarif")


def test_written_pngs_are_not_blank(shifted, tmp_path):
    small = compare(shifted.a.sweep.root, shifted.b.sweep.root, outcomes=["final_status"])
    files = write_comparison(small, tmp_path / "png")
    assert files[-1].name == "comparison.json"
    from matplotlib.image import imread

    for path in (tmp_path / "png" / "figures").glob("*.png"):
        image = imread(path)
        assert image.shape[0] > 400 and image.shape[1] > 800
        assert image[..., :3].std() > 0.05  # not a blank canvas


def test_jupyter_summary(shifted):
    html = shifted._repr_html_()
    assert "paired: runs share seeds replicate by replicate" in html
    assert "<table" in html and "more rows in <code>.table</code>" in html


def test_parameter_names_in_legends_are_short_but_unambiguous():
    from negosim.compare.sides import short_names

    paths = [
        "china.omega",
        "politics.approval.initial",
        "issues.tariff.status_quo",
        "issues.security_commitment.status_quo",
        "omega",
    ]
    assert short_names(paths) == {
        "china.omega": "china.omega",
        "politics.approval.initial": "approval.initial",
        "issues.tariff.status_quo": "tariff.status_quo",
        "issues.security_commitment.status_quo": "security_commitment.status_quo",
        "omega": "omega",
    }


def test_parameter_values_match_across_files_as_numbers():
    from negosim.compare.matching import _normal

    assert _normal(np.int64(1)) == _normal(1.0) == _normal(1)
    assert _normal(0.1 + 0.2) == _normal(0.3)  # float rounding is not another point
    assert _normal(np.bool_(True)) is True and _normal("hawk") == "hawk"


def test_an_interrupted_comparison_is_replaced_and_numpy_selections_are_recorded(sweeps, tmp_path):
    out = tmp_path / "again"
    (out / "figures").mkdir(parents=True)
    (out / "comparison.csv").write_text("half written")  # no record: the write was cut short
    (out / "figures" / "final_tariff.png").write_bytes(b"")
    selection = {"china.omega": np.float64(1.0)}
    c = compare(
        sweeps["low"],
        sweeps["high"],
        a_point=selection,
        b_point=selection,
        outcomes=["deal_reached"],
    )
    write_comparison(c, out, figures=False)
    record = json.loads((out / "comparison.json").read_text())
    assert record["sides"]["A"]["selection"] == {"china.omega": 1.0}
    assert not (out / "figures" / "final_tariff.png").exists()  # the interrupted run's
    assert pd.read_csv(out / "comparison.csv")["outcome"].tolist() == ["deal_reached"]
