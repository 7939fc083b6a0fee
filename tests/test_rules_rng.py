"""Counter-based random numbers (core/rng.py): bits, independence, batch invariance, laws.

docs/model.md §8: every draw is a pure function of (replicate seed, round, purpose), so a
replicate's numbers do not depend on the batch it runs in. The reference below re-implements
the documented hash (SplitMix64's finaliser, Steele, Lea & Flood 2014) in plain Python
integers, independently of the numpy code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from negosim.core.observables import ObservableTables
from negosim.core.rng import (
    Purpose,
    inverse_cdf,
    replicate_keys,
    standard_normal,
    uniform,
    uniforms,
)
from negosim.schema import ObservablesSpec

FAST = settings(max_examples=60, deadline=None)

MASK = 2**64 - 1
GOLDEN = 0x9E3779B97F4A7C15
M1 = 0xBF58476D1CE4E5B9
M2 = 0x94D049BB133111EB


def _mix_ref(z: int) -> int:
    """SplitMix64 finaliser on Python ints (mod 2**64)."""
    z = ((z ^ (z >> 30)) * M1) & MASK
    z = ((z ^ (z >> 27)) * M2) & MASK
    return z ^ (z >> 31)


def _uniform_ref(seed: int, round_index: int, purpose: int, index: int) -> float:
    """The documented draw: key = mix(seed·G + G); x = mix(mix(key ^ mix(ctr·G + G)) + G)."""
    key = _mix_ref((seed * GOLDEN + GOLDEN) & MASK)
    counter = (round_index << 40) | (purpose << 24) | index
    x = _mix_ref(key ^ _mix_ref((counter * GOLDEN + GOLDEN) & MASK))
    x = _mix_ref((x + GOLDEN) & MASK)
    return (x >> 11) / 2.0**53  # top 53 bits → [0, 1)


# --------------------------------------------------------------------------- bits


@pytest.mark.parametrize(
    ("seed", "round_index", "purpose"),
    [(0, 0, Purpose.CHINA_LEVEL), (20250207, 5, Purpose.ELECTION), (2**64 - 1, 12, 12)],
)
def test_uniforms_equal_pure_python_reference(seed, round_index, purpose):
    keys = replicate_keys([seed])
    got = uniforms(keys, round_index, Purpose(purpose), 4)[0]
    expected = [_uniform_ref(seed, round_index, int(purpose), i) for i in range(4)]
    assert got.tolist() == expected  # bit-for-bit


def test_standard_normal_is_box_muller_of_the_two_uniforms():
    # z = sqrt(-2 ln(1 - u0)) cos(2π u1) from draws 0 and 1 of the same (seed, round, purpose)
    seeds = [0, 99, 20250207]
    got = standard_normal(replicate_keys(seeds), 6, Purpose.APPROVAL_NOISE)
    for i, seed in enumerate(seeds):
        u0 = _uniform_ref(seed, 6, int(Purpose.APPROVAL_NOISE), 0)
        u1 = _uniform_ref(seed, 6, int(Purpose.APPROVAL_NOISE), 1)
        want = math.sqrt(-2.0 * math.log1p(-u0)) * math.cos(2.0 * math.pi * u1)
        assert got[i] == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_determinism_same_coordinates_same_bits():
    seeds = np.arange(50, dtype=np.uint64) * 7919
    a = uniforms(replicate_keys(seeds), 3, Purpose.SEA_ENTRIES, 8)
    b = uniforms(replicate_keys(seeds.copy()), 3, Purpose.SEA_ENTRIES, 8)
    assert a.tobytes() == b.tobytes()
    na = standard_normal(replicate_keys(seeds), 7, Purpose.APPROVAL_NOISE)
    nb = standard_normal(replicate_keys(seeds), 7, Purpose.APPROVAL_NOISE)
    assert na.tobytes() == nb.tobytes()


def test_uniform_is_first_column_of_uniforms():
    keys = replicate_keys(range(20))
    assert np.array_equal(
        uniform(keys, 4, Purpose.REVERSAL), uniforms(keys, 4, Purpose.REVERSAL, 3)[:, 0]
    )


# --------------------------------------------------------------------------- independence


def test_different_purposes_rounds_seeds_and_indices_give_different_streams():
    keys = replicate_keys(range(2000))
    base = uniforms(keys, 3, Purpose.CHINA_LEVEL, 2)
    other_purpose = uniforms(keys, 3, Purpose.ELECTION, 2)
    other_round = uniforms(keys, 4, Purpose.CHINA_LEVEL, 2)
    other_seeds = uniforms(replicate_keys(range(2000, 4000)), 3, Purpose.CHINA_LEVEL, 2)
    for alt in (other_purpose, other_round, other_seeds):
        assert not np.any(alt == base)  # 53-bit floats: a coincidence has chance ~1e-13
        # and they are uncorrelated: |r| < 4/sqrt(n) (n = 4000 pairs)
        r = np.corrcoef(base.ravel(), alt.ravel())[0, 1]
        assert abs(r) < 4 / np.sqrt(base.size)
    # within one stream, index 0 and index 1 are different numbers and uncorrelated too
    assert not np.any(base[:, 0] == base[:, 1])
    assert abs(np.corrcoef(base[:, 0], base[:, 1])[0, 1]) < 4 / np.sqrt(2000)


def test_every_purpose_gives_its_own_stream():
    keys = replicate_keys(range(100))
    streams = {p: uniform(keys, 2, p) for p in Purpose}
    for p in Purpose:
        for q in Purpose:
            if p < q:
                assert not np.array_equal(streams[p], streams[q]), (p, q)


# --------------------------------------------------------------------------- batch invariance


@FAST
@given(
    k=st.integers(0, 999),
    round_index=st.integers(0, 120),
    purpose=st.sampled_from(list(Purpose)),
)
def test_replicate_draw_same_alone_or_in_batch_of_1000(k, round_index, purpose):
    seeds = np.arange(1000, dtype=np.uint64) + 123456789
    batch = uniforms(replicate_keys(seeds), round_index, purpose, 3)
    alone = uniforms(replicate_keys(seeds[k : k + 1]), round_index, purpose, 3)
    assert batch[k].tobytes() == alone[0].tobytes()
    sliced = uniforms(replicate_keys(seeds)[k : k + 1], round_index, purpose, 3)
    assert sliced[0].tobytes() == alone[0].tobytes()
    normal_batch = standard_normal(replicate_keys(seeds), round_index, purpose)
    normal_alone = standard_normal(replicate_keys(seeds[k : k + 1]), round_index, purpose)
    assert normal_batch[k] == normal_alone[0]


def test_draw_does_not_depend_on_number_of_draws_requested():
    keys = replicate_keys([5, 6, 7])
    few = uniforms(keys, 2, Purpose.PRESENCE_DAYS, 3)
    many = uniforms(keys, 2, Purpose.PRESENCE_DAYS, 100)
    assert np.array_equal(many[:, :3], few)


# --------------------------------------------------------------------------- distributions


def test_uniform_range_and_ks_uniformity_across_replicates():
    u = uniform(replicate_keys(np.arange(100_000)), 1, Purpose.CHINA_LEVEL)
    assert u.dtype == np.float64
    assert u.min() >= 0.0
    assert u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 1e-3


def test_uniform_range_and_ks_uniformity_along_draws():
    u = uniforms(replicate_keys([42]), 9, Purpose.SEA_ENTRIES, 100_000)[0]
    assert u.min() >= 0.0
    assert u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    # mean 1/2, variance 1/12 within ~5 standard errors
    assert abs(u.mean() - 0.5) < 5 * np.sqrt(1 / 12 / u.size)
    assert abs(u.var() - 1 / 12) < 0.002


def test_standard_normal_moments_and_shape():
    z = standard_normal(replicate_keys(np.arange(100_000)), 3, Purpose.APPROVAL_NOISE)
    assert np.isfinite(z).all()
    # se(mean) = 1/sqrt(1e5) ≈ 0.0032; se(sd) ≈ 1/sqrt(2e5) ≈ 0.0022
    assert abs(z.mean()) < 0.016
    assert abs(z.std() - 1.0) < 0.012
    assert stats.kstest(z, "norm").pvalue > 1e-3


# --------------------------------------------------------------------------- inverse cdf


def test_inverse_cdf_hand_example_and_row_selection():
    cdf = np.array([[0.25, 0.5, 1.0], [0.5, 0.75, 1.0]])
    u = np.array([0.0, 0.2499, 0.25, 0.4999, 0.5, 0.9999, 0.0, 0.5, 0.75])
    row = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1])
    # row 0: [0, .25) → 0, [.25, .5) → 1, [.5, 1) → 2; row 1: [0, .5) → 0, [.5, .75) → 1, else 2
    assert inverse_cdf(u, cdf, row).tolist() == [0, 0, 1, 1, 2, 2, 0, 1, 2]


def _observable_tables() -> ObservableTables:
    """Tables of known rates (the pre-2025-ladder defaults): λ 2.5 at c ≤ 1, 5 above; p .975."""
    return ObservableTables.from_spec(
        ObservablesSpec(
            presence_probability=[0.975] * 6,
            sea_entry_rate=[2.5, 2.5, 5.0, 5.0, 5.0, 5.0],
            airspace_rate=[0.05, 0.05, 0.05, 0.5, 0.5, 0.5],
        )
    )


def test_inverse_cdf_poisson_2_5_mean_and_variance():
    tables = _observable_tables()
    n = 200_000
    u = uniforms(replicate_keys([2024]), 1, Purpose.SEA_ENTRIES, n)[0]
    x = inverse_cdf(u, tables.sea_entries, np.zeros(n, dtype=np.int64))  # row 0: c = 0, λ 2.5
    # Poisson(2.5): mean = var = 2.5; se(mean) = sqrt(2.5/n) ≈ 0.0035,
    # se(var) = sqrt((μ4 - σ⁴)/n) = sqrt((2.5·8.5 - 6.25)/n) ≈ 0.0087
    assert abs(x.mean() - 2.5) < 0.02
    assert abs(x.var() - 2.5) < 0.05
    # and level 2 (λ = 5) on the same uniforms is stochastically larger
    y = inverse_cdf(u, tables.sea_entries, np.full(n, 2, dtype=np.int64))
    assert abs(y.mean() - 5.0) < 0.03
    assert np.all(y >= x)  # inversion with a common uniform is monotone in λ


def test_inverse_cdf_binomial_30_0975_mean():
    tables = _observable_tables()
    n = 200_000
    u = uniform(replicate_keys(np.arange(n)), 4, Purpose.PRESENCE_DAYS)
    x = inverse_cdf(u, tables.presence, np.full(n, 3, dtype=np.int64))
    # Binomial(30, .975): mean 29.25, var 30·.975·.025 = 0.73125; se(mean) ≈ 0.0019
    assert abs(x.mean() - 29.25) < 0.01
    assert abs(x.var() - 0.73125) < 0.02
    assert x.min() >= 0
    assert x.max() <= 30


@settings(max_examples=50, deadline=None)
@given(
    seeds=st.lists(st.integers(0, 2**64 - 1), min_size=0, max_size=40),
    round_index=st.integers(0, 200),
    purpose=st.sampled_from(list(Purpose)),
    draws=st.integers(1, 6),
)
def test_compiled_uniforms_equal_the_numpy_formula(seeds, round_index, purpose, draws):
    """The compiled generator is the documented formula, bit for bit, in plain numpy."""
    from negosim.core.rng import _GOLDEN, splitmix64

    keys = replicate_keys(np.array(seeds, dtype=np.uint64))
    counter = (
        (np.uint64(round_index) << np.uint64(40))
        | (np.uint64(int(purpose)) << np.uint64(24))
        | np.arange(draws, dtype=np.uint64)
    )
    with np.errstate(over="ignore"):
        x = splitmix64(keys[:, None] ^ splitmix64(counter * _GOLDEN + _GOLDEN)[None, :])
        x = splitmix64(x + _GOLDEN)
    want = (x >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)
    assert np.array_equal(uniforms(keys, round_index, purpose, draws), want)
