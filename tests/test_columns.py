"""Declared outputs: the table in negosim.columns is what runs record, files carry and docs say.

- every shipped scenario records exactly the declared columns, in the declared order;
- a file written by ``negosim run --out`` (and a sweep's tables) has labelled dictionary
  columns, nulls instead of -1, and each field's unit and meaning in its metadata;
- summary.json has null, never -1, for a run without a deal;
- the encoding round-trips arbitrary columns of every declared kind (hypothesis);
- docs/columns.md is the rendering of the table.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASELINE, PRESETS, ROOT
from negosim.cli import main
from negosim.columns import (
    Column,
    UndeclaredColumnError,
    check_recorded,
    declared,
    encode,
    outcome_names,
    python_rows,
)
from negosim.columns.arrow import arrow_table, frame
from negosim.columns.markdown import markdown
from negosim.columns.table import PROPOSER_LABELS, REASON_LABELS
from negosim.core.protocol import Reason
from negosim.core.utility import build_tables
from negosim.model import PROPOSERS, NegotiationModel
from negosim.outcomes import round_frame, round_table, run_frame, summarize
from negosim.scenario import load_scenario
from negosim.sweep import load_experiment, load_sweep, run_sweep

SEEDS = list(range(40))


@pytest.fixture(scope="module", params=PRESETS, ids=lambda p: p.stem)
def preset_run(request):
    scenario = load_scenario(request.param)
    return scenario, NegotiationModel(scenario, seeds=SEEDS).run()


def test_every_shipped_scenario_records_exactly_the_declared_columns(preset_run):
    scenario, model = preset_run
    assert list(round_table(model)) == [c.name for c in declared(scenario, "round")]
    assert list(summarize(model)) == [c.name for c in declared(scenario, "run")]


def test_per_issue_columns_carry_the_issue_unit(preset_run):
    scenario, _ = preset_run
    columns = {c.name: c for c in declared(scenario)}
    for name, issue in scenario.spec.issues.items():
        for prefix in ("offer_", "in_force_", "final_"):
            assert columns[prefix + name].unit == issue.unit


def test_values_outside_a_declared_missing_column_are_never_missing(preset_run):
    """NaN and -1 appear only where the table says a value may be missing."""
    scenario, model = preset_run
    for values, table in ((round_table(model), "round"), (summarize(model), "run")):
        for column in declared(scenario, table):
            data = np.asarray(values[column.name])
            if column.nullable or column.dtype in ("category", "string", "bool"):
                continue
            if data.dtype.kind == "f":
                assert not np.isnan(data).any(), column.name
            if column.dtype == "int64":
                assert (data >= 0).all(), column.name


def test_leader_codes_follow_the_utility_tables(preset_run):
    scenario, model = preset_run
    default = declared(scenario, "round")
    (leader,) = [c for c in default if c.name == "leader"]
    assert leader.codes == build_tables(scenario.spec).type_names == model.tables.type_names
    assert set(leader.codes) <= set(leader.labels)
    assert len(set(leader.labels)) == len(leader.labels)


def test_code_labels_match_the_model():
    assert PROPOSER_LABELS == PROPOSERS
    assert [Reason[label.upper()] for label in REASON_LABELS] == list(Reason)


def test_undeclared_and_vanished_columns_are_named():
    columns = (Column("a", "run", "float64", "", "a"), Column("b", "run", "float64", "", "b"))
    check_recorded(["a", "b"], columns, "t")
    with pytest.raises(
        UndeclaredColumnError, match=r"recorded but not declared: c.*not recorded: b"
    ):
        check_recorded(["a", "c"], columns, "per-run summary")


def test_frames_decode_codes_and_missing_values(baseline):
    model = NegotiationModel(baseline, seeds=SEEDS).run()
    rounds, runs = round_frame(model), run_frame(model)
    raw_rounds, raw_runs = round_table(model), summarize(model)
    assert rounds["reason"].dtype == "category"
    assert list(rounds["reason"].cat.categories) == list(REASON_LABELS)
    assert rounds["reason"].tolist() == [REASON_LABELS[r] for r in raw_rounds["reason"]]
    names = model.tables.type_names
    assert rounds["leader"].tolist() == [names[k] for k in raw_rounds["leader"]]
    assert runs["first_deal_round"].dtype == pd.Int64Dtype()
    no_deal = raw_runs["first_deal_round"] < 0
    assert no_deal.any() and not no_deal.all()  # both cases are exercised
    assert runs["first_deal_round"].isna().to_numpy().tolist() == no_deal.tolist()
    with_deal = raw_runs["first_deal_round"][~no_deal]
    assert runs["first_deal_round"].mean() == pytest.approx(with_deal.mean())
    assert runs["final_status"].dtype == "category"
    np.testing.assert_array_equal(rounds["offer_tariff"].to_numpy(), raw_rounds["offer_tariff"])


def _assert_declared_file(table: pa.Table, columns: list[Column]) -> None:
    """Dictionary columns with the full labels, nulls, and unit/meaning on every field."""
    for column in columns:
        field = table.schema.field(column.name)
        meta = {k.decode(): v.decode() for k, v in field.metadata.items()}
        assert meta["unit"] == column.unit and meta["meaning"] == column.meaning, column.name
        if column.labels:
            assert pa.types.is_dictionary(field.type), column.name
            assert list(json.loads(meta["labels"])) == list(column.labels)
            for chunk in table.column(column.name).chunks:
                assert chunk.dictionary.to_pylist() == list(column.labels), column.name
        if column.missing:
            assert meta["missing"] == column.missing
    if "first_deal_round" in table.column_names:
        values = table.column("first_deal_round").to_pylist()
        assert None in values and -1 not in values


def test_run_out_files_carry_the_declared_table(capsys, tmp_path):
    scenario = load_scenario(BASELINE)
    # seed 5 of the baseline reaches no deal: first_deal_round must be null, not -1
    model = NegotiationModel(scenario, seeds=[5]).run()
    assert summarize(model)["first_deal_round"][0] == -1
    assert main(["run", str(BASELINE), "--seed", "5", "--quiet", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    written = pq.read_table(tmp_path / "rounds.parquet")
    _assert_declared_file(written, list(declared(scenario, "round")))
    assert written.column("reason").to_pylist() == round_frame(model)["reason"].tolist()
    (run,) = json.loads((tmp_path / "summary.json").read_text())["runs"]
    assert run["first_deal_round"] is None and -1 not in run.values()
    assert run["final_status"] in declared_by_name(scenario)["final_status"].labels


def declared_by_name(scenario) -> dict[str, Column]:
    return {c.name: c for c in declared(scenario, "run")}


def test_csv_fallback_writes_labels_and_empty_cells(tmp_path, baseline, monkeypatch):
    import negosim.results as results

    monkeypatch.setattr(results, "parquet_available", lambda: False)
    model = NegotiationModel(baseline, seeds=[1]).run()
    columns = declared(baseline, "round", type_names=model.tables.type_names)
    path = results.write_table(round_table(model), tmp_path / "rounds", columns)
    assert path.suffix == ".csv"
    back = pd.read_csv(path, keep_default_na=False)
    assert back["reason"].tolist() == round_frame(model)["reason"].tolist()
    offers = round_frame(model)["offer_tariff"]
    assert [v == "" for v in back["offer_tariff"].astype(str)] == offers.isna().tolist()


EXPERIMENT = f"""\
name: columns
scenario: {BASELINE}
seed: 5
replicates: 12
rounds: 12
design:
  method: grid
  parameters:
    politics.leader: {{values: [dove, hawk]}}
    agents.us.outside_option: {{values: [0.3, 0.95]}}
keep:
  rounds: [reason, proposer, leader, offer_tariff]
"""


def test_sweep_tables_carry_the_declared_table_and_parameters(tmp_path):
    path = tmp_path / "experiment.yaml"
    path.write_text(EXPERIMENT)
    experiment = load_experiment(path)
    out = tmp_path / "out"
    run_sweep(experiment, out, executor="inline", chunk_runs=5, progress=False)
    base = experiment.base
    runs = pq.read_table(out / "runs")
    _assert_declared_file(runs, list(declared(base, "run", sweep=True)))
    rounds = pq.read_table(out / "rounds")
    kept = [
        c for c in declared(base, "round", sweep=True) if c.key or c.name in rounds.column_names
    ]
    assert [c.name for c in kept] == rounds.column_names
    _assert_declared_file(rounds, kept)
    assert rounds.column("leader").num_chunks > 1  # several chunks, points with other leaders

    sweep = load_sweep(out)
    assert sweep.runs["first_deal_round"].dtype == pd.Int64Dtype()
    assert sweep.rounds["reason"].dtype == "category"
    for frame_ in (sweep.runs, sweep.rounds):
        assert {"politics.leader", "agents.us.outside_option"} <= set(frame_.columns)
        params = sweep.parameters.set_index("point")
        expected = params.loc[frame_["point"], "agents.us.outside_option"].to_numpy()
        np.testing.assert_array_equal(frame_["agents.us.outside_option"].to_numpy(), expected)
    assert pd.read_parquet(out / "runs")["first_deal_round"].dtype == pd.Int64Dtype()


def test_keep_and_report_are_checked_against_the_declared_table(tmp_path):
    from negosim.scenario import ScenarioError

    path = tmp_path / "experiment.yaml"
    path.write_text(EXPERIMENT.replace("[reason,", "[reasons,") + "report: [final_status]\n")
    with pytest.raises(ScenarioError) as info:
        load_experiment(path)
    text = str(info.value)
    assert "keep.rounds.0" in text and "did you mean" in text and "reason" in text
    assert "report.0" in text and "a category has no mean" in text
    assert "offer_tariff" in outcome_names(load_scenario(BASELINE), "round")


# --- the encoding, property-based ---------------------------------------------------------

LABELS = ("a", "b", "c")


def _kind(draw, dtype: str, nullable: bool, n: int) -> tuple[Column, np.ndarray]:
    missing = "not there" if nullable else ""
    column = Column("x", "run", dtype, "u", "m", missing=missing)  # type: ignore[arg-type]
    if dtype == "float64":
        floats = st.floats(allow_nan=nullable, allow_infinity=False, width=64)
        return column, np.array(draw(st.lists(floats, min_size=n, max_size=n)), dtype=np.float64)
    if dtype == "int64":
        low = -1 if nullable else 0
        ints = st.integers(low, 2**62)
        return column, np.array(draw(st.lists(ints, min_size=n, max_size=n)), dtype=np.int64)
    if dtype == "bool":
        return column, np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    if dtype == "string":
        text = st.text(max_size=8)
        return column, np.array(draw(st.lists(text, min_size=n, max_size=n)), dtype=object)
    codes = ("b", "a", "c", "a")  # several codes may share a label
    column = Column("x", "run", "category", "", "m", labels=LABELS, codes=codes)
    ints = st.integers(0, len(codes) - 1)
    values = np.array(draw(st.lists(ints, min_size=n, max_size=n)), dtype=np.int8)
    return column, values


@st.composite
def recorded(draw) -> tuple[Column, np.ndarray]:
    dtype = draw(st.sampled_from(["float64", "int64", "bool", "string", "category"]))
    nullable = draw(st.booleans()) and dtype in ("float64", "int64")
    return _kind(draw, dtype, nullable, draw(st.integers(0, 20)))


@settings(max_examples=150, deadline=None)
@given(recorded())
def test_encoding_round_trips_every_declared_kind(tmp_path_factory, item):
    column, values = item
    expected: list[object]
    if column.dtype == "category":
        expected = [column.codes[v] for v in values]
    elif column.nullable and column.dtype == "float64":
        expected = [None if np.isnan(v) else float(v) for v in values]
    elif column.nullable:
        expected = [None if v < 0 else int(v) for v in values]
    else:
        expected = values.tolist()
    assert [row["x"] for row in python_rows({"x": values}, [column])] == expected
    path = tmp_path_factory.mktemp("enc") / "t.parquet"
    pq.write_table(arrow_table({"x": values}, [column]), path)
    back = pq.read_table(path)
    assert back.column("x").to_pylist() == expected
    assert back.schema.field("x").metadata[b"meaning"] == b"m"
    decoded = frame({"x": values}, [column])["x"]
    if len(values):  # an empty Parquet column keeps no dictionary page, hence no labels
        assert pd.read_parquet(path)["x"].dtype == decoded.dtype
    assert [None if pd.isna(v) else v for v in decoded.tolist()] == expected
    (encoded,) = encode({"x": values}, [column])
    assert encoded.python() == expected


def test_category_values_outside_the_labels_are_an_error():
    column = Column("final_status", "run", "category", "", "m", labels=LABELS)
    with pytest.raises(ValueError, match="'z' is not one of its labels"):
        encode({"final_status": np.array(["a", "z"], dtype=object)}, [column])


# --- docs ---------------------------------------------------------------------------------


def test_docs_columns_md_is_generated_from_the_table():
    doc = ROOT / "docs" / "columns.md"
    assert doc.read_text(encoding="utf-8") == markdown(), (
        "docs/columns.md is out of date: run .venv/bin/python scripts/make_columns_doc.py"
    )


def test_list_columns_prints_the_expanded_table(capsys):
    assert main(["list", "columns", str(BASELINE)]) == 0
    out = capsys.readouterr().out
    for column in declared(load_scenario(BASELINE)):
        assert f"  {column.name} " in out, column.name
    assert "% ad valorem" in out and "below_reservation" in out
    assert main(["list", "columns", "--markdown"]) == 0
    assert capsys.readouterr().out == markdown()


def test_docs_are_linked():
    for doc in ("README.md", "docs/architecture.md", "docs/sweeps.md"):
        assert "columns.md" in Path(ROOT / doc).read_text(encoding="utf-8"), doc
