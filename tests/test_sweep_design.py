"""Sweep designs, chunk plans and replicate seeds: pure functions, checked exactly.

Designs are built from an :class:`ExperimentSpec` made in memory (no scenario needed), except
one check that :func:`load_experiment` hands out exactly the same points. Sobol designs are
compared with SALib's own sampler on the seed path documented in ``sweep/design.py``.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from SALib.sample import sobol as salib_sobol

from conftest import BASELINE
from negosim.sweep import load_experiment
from negosim.sweep.design import DESIGN_STREAM, design_points, sobol_problem
from negosim.sweep.experiment import ExperimentSpec
from negosim.sweep.plan import plan_chunks
from negosim.sweep.seeds import derive_seeds

FAST = settings(max_examples=150, deadline=None)


def spec(method: str, parameters: dict, seed: int = 20250207, **design: object) -> ExperimentSpec:
    return ExperimentSpec.model_validate(
        {
            "name": "design",
            "scenario": str(BASELINE),
            "seed": seed,
            "replicates": 1,
            "design": {"method": method, "parameters": parameters, **design},
        }
    )


RANGES = {
    "china.omega": {"min": 0.0, "max": 1.0},
    "agents.us.outside_option": {"min": 0.2, "max": 0.6},
    "china.memory": {"min": 1, "max": 6, "integer": True},
}


def unit(points: list[dict], parameters: dict) -> np.ndarray:
    """Points mapped back to the unit hypercube, shape (points, parameters)."""
    return np.array(
        [
            [(p[path] - r["min"]) / (r["max"] - r["min"]) for path, r in parameters.items()]
            for p in points
        ]
    )


# --- grid ---------------------------------------------------------------------------------


def test_grid_is_the_full_product_first_parameter_slowest():
    params = {
        "china.omega": {"values": [0.0, 0.25, 1.0]},
        "issues.security_commitment.status_quo": {"values": [1, 2, 3, 4]},
        "politics.leader": {"values": ["dove", "hawk"]},
    }
    points = design_points(spec("grid", params))
    expected = [
        {
            "china.omega": a,
            "issues.security_commitment.status_quo": b,
            "politics.leader": c,
        }
        for a in [0.0, 0.25, 1.0]
        for b in [1, 2, 3, 4]
        for c in ["dove", "hawk"]
    ]
    assert points == expected
    assert len(points) == 3 * 4 * 2
    assert all(list(p) == list(params) for p in points)  # keys in file order


def test_grid_values_are_exactly_as_listed_types_included():
    values = [0, 0.5, 1, True, "x", 2.5e-17]
    points = design_points(spec("grid", {"a.b": {"values": values}}))
    got = [p["a.b"] for p in points]
    assert got == values
    assert [type(v) for v in got] == [type(v) for v in values]


def test_single_parameter_grid_keeps_duplicates_and_order():
    points = design_points(spec("grid", {"china.omega": {"values": [0.7, 0.1, 0.7]}}))
    assert [p["china.omega"] for p in points] == [0.7, 0.1, 0.7]


# --- random -------------------------------------------------------------------------------


def test_random_gives_samples_points_within_bounds():
    params = {k: v for k, v in RANGES.items() if not v.get("integer")}
    points = design_points(spec("random", params, samples=200))
    assert len(points) == 200
    for path, r in params.items():
        xs = np.array([p[path] for p in points])
        assert xs.min() >= r["min"] and xs.max() <= r["max"]
        assert all(type(x) is float for x in xs.tolist())
        assert len(set(xs.tolist())) == 200  # continuous: no repeats
        # uniform over the range: not bunched at one end
        assert r["min"] + 0.3 * (r["max"] - r["min"]) < xs.mean()
        assert xs.mean() < r["min"] + 0.7 * (r["max"] - r["min"])


def test_random_is_reproducible_for_a_seed_and_differs_for_another():
    a = design_points(spec("random", RANGES, seed=5, samples=30))
    b = design_points(spec("random", RANGES, seed=5, samples=30))
    c = design_points(spec("random", RANGES, seed=6, samples=30))
    assert a == b
    assert a != c
    assert [p["china.omega"] for p in a] != [p["china.omega"] for p in c]


def test_integer_parameters_get_whole_numbers_in_range():
    for method in ("random", "latin_hypercube"):
        points = design_points(spec(method, RANGES, samples=64))
        memory = [p["china.memory"] for p in points]
        assert all(type(m) is int for m in memory), method
        assert min(memory) >= 1 and max(memory) <= 6
        assert len(set(memory)) >= 4  # the range is actually explored
        assert all(type(p["china.omega"]) is float for p in points)


# --- latin hypercube ----------------------------------------------------------------------


@pytest.mark.parametrize("samples", [1, 7, 50])
def test_latin_hypercube_has_one_point_per_stratum_in_every_dimension(samples):
    params = {k: v for k, v in RANGES.items() if not v.get("integer")}
    params["x.y"] = {"min": -3.0, "max": 17.0}
    points = design_points(spec("latin_hypercube", params, samples=samples))
    assert len(points) == samples
    u = unit(points, params)
    assert ((u >= 0) & (u <= 1)).all()
    strata = np.floor(u * samples).astype(int)
    for column in strata.T:
        assert sorted(column.tolist()) == list(range(samples))


def test_latin_hypercube_is_reproducible_and_seed_dependent():
    params = {"china.omega": {"min": 0.0, "max": 1.0}, "x.y": {"min": 1.0, "max": 2.0}}
    a = design_points(spec("latin_hypercube", params, seed=1, samples=20))
    assert a == design_points(spec("latin_hypercube", params, seed=1, samples=20))
    assert a != design_points(spec("latin_hypercube", params, seed=2, samples=20))


# --- sobol --------------------------------------------------------------------------------


def salib_reference(s: ExperimentSpec) -> np.ndarray:
    """SALib's Saltelli sample on the real bounds, seeded as design.py documents."""
    rng = np.random.default_rng(np.random.SeedSequence(s.seed, spawn_key=(DESIGN_STREAM,)))
    return salib_sobol.sample(
        sobol_problem(s),
        s.design.samples,
        calc_second_order=s.design.second_order,
        scramble=True,
        seed=int(rng.integers(2**31)),
    )


@pytest.mark.parametrize("second_order", [False, True])
@pytest.mark.parametrize("n", [1, 8, 32])
def test_sobol_point_count_bounds_and_equality_with_salib(n, second_order):
    params = {k: v for k, v in RANGES.items() if not v.get("integer")}
    params["x.y"] = {"min": -1.0, "max": 3.0}
    d = len(params)
    s = spec("sobol", params, samples=n, second_order=second_order)
    points = design_points(s)
    assert len(points) == n * (2 * d + 2 if second_order else d + 2)
    got = np.array([[p[k] for k in params] for p in points])
    for j, r in enumerate(params.values()):
        assert (got[:, j] >= r["min"]).all() and (got[:, j] <= r["max"]).all()
    reference = salib_reference(s)
    assert reference.shape == got.shape
    np.testing.assert_array_equal(got, reference)  # bit for bit, same order


def test_sobol_problem_names_parameters_in_file_order_with_their_bounds():
    params = {"b.z": {"min": 2.0, "max": 3.0}, "a.y": {"min": -1.0, "max": 0.5}}
    assert sobol_problem(spec("sobol", params, samples=4)) == {
        "num_vars": 2,
        "names": ["b.z", "a.y"],
        "bounds": [[2.0, 3.0], [-1.0, 0.5]],
    }


def test_sampled_designs_do_not_share_a_stream_with_the_runs():
    """The design stream is its own spawn key: changing it would move every point."""
    s = spec("random", {"china.omega": {"min": 0.0, "max": 1.0}}, seed=9, samples=3)
    rng = np.random.default_rng(np.random.SeedSequence(9, spawn_key=(DESIGN_STREAM,)))
    assert [p["china.omega"] for p in design_points(s)] == rng.random((3, 1))[:, 0].tolist()


def test_load_experiment_hands_out_the_design_points(tmp_path):
    path = tmp_path / "lhs.yaml"
    path.write_text(
        f"name: lhs\nscenario: {BASELINE}\nseed: 3\nreplicates: 2\n"
        "design:\n  method: latin_hypercube\n  samples: 5\n  parameters:\n"
        "    china.omega: {min: 0.1, max: 0.9}\n"
        "    china.memory: {min: 1, max: 6, integer: true}\n",
        encoding="utf-8",
    )
    experiment = load_experiment(path)
    assert experiment.points == design_points(experiment.spec)
    assert experiment.total_runs == 10
    assert experiment.parameter_paths == ["china.omega", "china.memory"]


# --- chunk plans --------------------------------------------------------------------------


@FAST
@given(
    points=st.integers(1, 25),
    replicates=st.integers(1, 60),
    chunk=st.integers(1, 200),
)
def test_plan_chunks_covers_every_run_once_in_order(points, replicates, chunk):
    chunks = plan_chunks(points, replicates, chunk)
    total = points * replicates
    assert len(chunks) == math.ceil(total / chunk)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    covered = [
        (piece.point, r)
        for c in chunks
        for piece in c.pieces
        for r in range(piece.first, piece.stop)
    ]
    assert covered == list(itertools.product(range(points), range(replicates)))
    for c in chunks[:-1]:
        assert c.runs == chunk
    assert 1 <= chunks[-1].runs <= chunk
    for c in chunks:
        assert all(p.first < p.stop <= replicates for p in c.pieces)
        assert len({p.point for p in c.pieces}) == len(c.pieces)  # one piece per point


@pytest.mark.parametrize(
    ("points", "replicates", "chunk", "expected"),
    [
        (2, 3, 4, [[(0, 0, 3), (1, 0, 1)], [(1, 1, 3)]]),
        (1, 5, 5, [[(0, 0, 5)]]),
        (3, 1, 2, [[(0, 0, 1), (1, 0, 1)], [(2, 0, 1)]]),
        (2, 2, 100, [[(0, 0, 2), (1, 0, 2)]]),
    ],
)
def test_plan_chunks_small_cases(points, replicates, chunk, expected):
    got = [
        [(p.point, p.first, p.stop) for p in c.pieces]
        for c in plan_chunks(points, replicates, chunk)
    ]
    assert got == expected


# --- seeds --------------------------------------------------------------------------------


def test_derive_seeds_is_deterministic_uint64_and_below_2_63():
    reps = np.arange(500)
    a = derive_seeds(20250207, 3, reps, False)
    b = derive_seeds(20250207, 3, reps.copy(), False)
    assert a.dtype == np.uint64
    np.testing.assert_array_equal(a, b)
    assert (a < np.uint64(2**63)).all()


def test_derive_seeds_are_distinct_across_points_and_replicates():
    seeds = np.concatenate([derive_seeds(1, p, np.arange(400), False) for p in range(50)])
    assert len(np.unique(seeds)) == seeds.size
    other_master = np.concatenate([derive_seeds(2, p, np.arange(400), False) for p in range(50)])
    assert not np.intersect1d(seeds, other_master).size


def test_common_random_numbers_make_seeds_independent_of_the_point():
    reps = np.arange(300)
    base = derive_seeds(77, 0, reps, True)
    for point in (1, 2, 17, 10**6):
        np.testing.assert_array_equal(derive_seeds(77, point, reps, True), base)
    assert len(np.unique(base)) == base.size  # still one stream per replicate
    assert not np.array_equal(derive_seeds(77, 0, reps, False), derive_seeds(77, 1, reps, False))
    assert not np.array_equal(derive_seeds(78, 0, reps, True), base)


@FAST
@given(
    master=st.integers(0, 2**63 - 1),
    point=st.integers(0, 10**7),
    replicates=st.lists(st.integers(0, 10**7), min_size=1, max_size=30),
    crn=st.booleans(),
)
def test_a_replicates_seed_does_not_depend_on_its_batch(master, point, replicates, crn):
    """Seeds depend on (master, point, replicate) only: any chunking gives the same ones."""
    batch = derive_seeds(master, point, np.array(replicates), crn)
    assert (batch < np.uint64(2**63)).all()
    for r, seed in zip(replicates, batch, strict=True):
        assert derive_seeds(master, point, np.array([r]), crn)[0] == seed
