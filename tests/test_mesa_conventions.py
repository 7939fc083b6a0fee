"""Mesa conventions: ``mesa.batch_run`` on ``NegotiationModel``, the ``rng`` keyword, and
``model.datacollector`` as a view of the recorded tables (issue 6, item 7).

A Mesa user must get the same runs through batch_run as through the model directly, and the
same numbers from ``get_model_vars_dataframe()`` as from ``outcomes.round_table``.
"""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
import pytest

from conftest import BASELINE, PRESETS
from negosim.mesa_conventions import replicate_seeds
from negosim.model import NegotiationModel
from negosim.outcomes import round_table, summarize
from negosim.scenario import load_scenario

ROUNDS = 12
COORDINATES = ("replicate", "round")


def _same(got: object, want: object) -> bool:
    """Equal values, NaN equal to NaN (missing offers are NaN in the round table)."""
    if isinstance(got, float) and isinstance(want, float):
        return got == want or (np.isnan(got) and np.isnan(want))
    return got == want


def direct(scenario, seed: int, rounds: int | None = None) -> tuple[dict, dict]:
    """One replicate through the model itself: (round table, summary)."""
    model = NegotiationModel(scenario, seeds=[seed], rounds=rounds).run()
    return round_table(model), summarize(model)


def test_batch_run_gives_the_runs_of_the_model_itself(baseline) -> None:
    other = load_scenario(next(p for p in PRESETS if p != BASELINE))
    results = mesa.batch_run(
        NegotiationModel,
        parameters={"scenario": [baseline, other]},
        rng=[1, 2],
        max_steps=ROUNDS,
        display_progress=False,
    )
    assert len(results) == 4  # 2 scenarios x 2 seeds, one row per run (period -1)
    for row in results:
        rounds, runs = direct(row["scenario"], row["rng"])
        assert row["Step"] == row["scenario"].spec.protocol.rounds
        for name, column in rounds.items():  # the last round's values ...
            if name not in COORDINATES:
                assert _same(row[name], np.asarray(column[-1]).item()), name
        for name, column in runs.items():  # ... and the run's outcome
            if name not in rounds:
                assert _same(row[name], np.asarray(column[0]).item()), name
    # and each is the replicate of that seed in a batch (draws depend on the seed only)
    batch = summarize(NegotiationModel(baseline, seeds=[1, 2]).run())
    rows = [r for r in results if r["scenario"] is baseline]
    assert [r["deal_reached"] for r in rows] == batch["deal_reached"].tolist()
    assert [r["final_tariff"] for r in rows] == batch["final_tariff"].tolist()


def test_batch_run_every_step_gives_the_round_table_row_by_row(baseline) -> None:
    results = mesa.batch_run(
        NegotiationModel,
        parameters={"scenario": baseline, "rounds": 5},  # a single Scenario is one value
        rng=[3],
        max_steps=ROUNDS,
        data_collection_period=1,
        display_progress=False,
    )
    rounds, runs = direct(baseline, 3, rounds=5)
    assert [r["Step"] for r in results] == [1, 2, 3, 4, 5]
    for i, row in enumerate(results):
        assert _same(row["approval"], float(rounds["approval"][i]))
        assert row["reason"] == int(rounds["reason"][i])
    # the run's outcome is known at the latest step only
    assert [r["deal_reached"] for r in results[:-1]] == [None] * 4
    assert results[-1]["deal_reached"] == bool(runs["deal_reached"][0])


def test_model_vars_frame_of_one_replicate_is_the_round_table(baseline) -> None:
    model = NegotiationModel(baseline, rng=5).run()
    frame = model.datacollector.get_model_vars_dataframe()
    table = round_table(model)
    assert frame.index.name == "Step"
    assert frame.index.tolist() == list(range(1, ROUNDS + 1))
    expected = pd.DataFrame({k: v for k, v in table.items() if k not in COORDINATES})
    expected.index = frame.index
    pd.testing.assert_frame_equal(frame[list(expected.columns)], expected)
    # run columns: NaN before the latest step, the summary's value at it
    summary = summarize(model)
    assert frame["final_tariff"].iloc[:-1].isna().all()
    assert frame["final_tariff"].iloc[-1] == summary["final_tariff"][0]
    pd.testing.assert_frame_equal(
        model.datacollector.get_table_dataframe("runs"), pd.DataFrame(summary)
    )


def test_model_vars_frame_of_a_batch_is_indexed_by_replicate_and_step(baseline) -> None:
    model = NegotiationModel(baseline, seeds=[7, 8, 9]).run()
    frame = model.datacollector.get_model_vars_dataframe()
    table = round_table(model)
    assert frame.index.names == ["replicate", "Step"]
    assert frame.index.get_level_values("replicate").tolist() == table["replicate"].tolist()
    assert frame.index.get_level_values("Step").tolist() == table["round"].tolist()
    np.testing.assert_array_equal(frame["approval"].to_numpy(), table["approval"])
    last = frame.xs(ROUNDS, level="Step")["deal_reached"]
    assert last.tolist() == summarize(model)["deal_reached"].tolist()
    # model_vars: one entry per step, an array over the replicates
    approval = model.datacollector.model_vars["approval"]
    assert len(approval) == ROUNDS
    np.testing.assert_array_equal(approval[0], table["approval"][::ROUNDS])


def test_the_view_follows_the_model_step_by_step(baseline) -> None:
    model = NegotiationModel(baseline, rng=11)
    collector = model.datacollector
    assert collector._collection_steps == [] and collector.model_vars == {}
    for _ in range(3):
        model.step()
    assert model.datacollector is collector
    assert collector._collection_steps == [1, 2, 3]
    assert len(collector.model_vars["approval"]) == 3
    model.run()
    assert collector._collection_steps == list(range(1, ROUNDS + 1))
    assert collector.model_vars["approval"][-1] == round_table(model)["approval"][-1]
    collector.collect(model)  # a no-op, for subclasses written for a real DataCollector
    with pytest.raises(UserWarning):
        collector.get_agent_vars_dataframe()
    with pytest.raises(KeyError):
        collector.get_table_dataframe("agents")


def test_rng_is_one_replicate_seed(baseline) -> None:
    assert NegotiationModel(baseline, rng=7).seeds == [7]
    assert NegotiationModel(baseline, rng=np.int64(7)).seeds == [7]
    assert NegotiationModel(baseline).seeds == [baseline.spec.seed]
    assert NegotiationModel(baseline, seeds=[1, 2], rng=None).seeds == [1, 2]
    one = round_table(NegotiationModel(baseline, rng=7).run())
    other = round_table(NegotiationModel(baseline, seeds=[7]).run())
    for name in one:
        np.testing.assert_array_equal(one[name], other[name])


def test_rng_none_draws_a_fresh_recorded_seed_and_generators_give_one() -> None:
    drawn = {replicate_seeds(0, None, None)[0] for _ in range(5)}
    assert len(drawn) == 5 and all(0 <= s < 2**63 for s in drawn)
    a = replicate_seeds(0, None, np.random.default_rng(3))
    assert a == replicate_seeds(0, None, np.random.default_rng(3))
    assert replicate_seeds(0, None, np.random.SeedSequence(3)) == replicate_seeds(
        0, None, np.random.SeedSequence(3)
    )


@pytest.mark.parametrize(
    ("seeds", "rng", "error"),
    [
        ([1], 2, TypeError),  # both: which wins is unclear
        (None, [1, 2], TypeError),  # a batch goes in seeds=
        (None, True, TypeError),
        (None, 1.5, TypeError),
        (None, -1, ValueError),
        (None, 2**64, ValueError),
    ],
)
def test_rng_mistakes_are_clear_errors(seeds, rng, error) -> None:
    with pytest.raises(error, match="rng"):
        replicate_seeds(0, seeds, rng)


def test_a_subclass_with_its_own_datacollector_still_works(baseline) -> None:
    class WithReporters(NegotiationModel):
        def __init__(self, scenario, rng=None) -> None:
            super().__init__(scenario, rng=rng)
            self.datacollector = mesa.DataCollector(
                model_reporters={"deal": lambda m: bool(m.state.first_deal_round[0] >= 0)}
            )

        def step(self) -> None:
            super().step()
            self.datacollector.collect(self)

    (row,) = mesa.batch_run(
        WithReporters,
        parameters={"scenario": baseline},
        rng=[1],
        max_steps=ROUNDS,
        display_progress=False,
    )
    assert row["deal"] == bool(direct(baseline, 1)[1]["deal_reached"][0])
