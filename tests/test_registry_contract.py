"""The registry contract: every entry of every registry keeps the same promises.

A concession style, a China rule or an event kind added tomorrow is held to these tests
without writing new ones: a docstring and a citation, the registry's declared properties,
parameters that validate with their defaults, and the behaviour its kind promises
(probabilities that sum to 1, one-hot rows for a deterministic rule, targets between the
reservation and the best package, ending at the reservation for time-dependent tactics and
never rising for more concession by the other side for behaviour-dependent ones, events
that round-trip through a scenario file).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASELINE
from negosim.core.china_rules import CHINA_RULES, ChinaInputs
from negosim.core.concession import CONCESSION_STYLES, ConcessionHistory
from negosim.core.events import EVENT_KINDS, World
from negosim.model import NegotiationModel
from negosim.outcomes import round_table
from negosim.registry import Entry, NoParameters, Parameters, Registry
from negosim.scenario import ScenarioError, load_scenario, load_scenario_text
from negosim.schema import COERCION_LEVELS, ChinaSpec

REGISTRIES = {"concession": CONCESSION_STYLES, "china": CHINA_RULES, "events": EVENT_KINDS}
ENTRIES = [(kind, name) for kind, registry in REGISTRIES.items() for name in registry]
FAST = settings(max_examples=60, deadline=None)


@pytest.mark.parametrize(("kind", "name"), ENTRIES)
def test_every_entry_is_declared_alike(kind: str, name: str) -> None:
    registry = REGISTRIES[kind]
    entry = registry[name]
    assert entry.name == name
    assert entry.summary() and entry.citation
    assert set(entry.properties()) == set(registry.property_names)
    assert all(value is not None or p == "tough" for p, value in entry.properties().items())
    defaults = entry.parameters()  # every parameter has a default
    assert isinstance(defaults, Parameters)
    assert entry.parameters(defaults.model_dump()) == defaults


@pytest.mark.parametrize(("kind", "name"), ENTRIES)
def test_unknown_parameters_are_refused(kind: str, name: str) -> None:
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        REGISTRIES[kind][name].parameters({"no_such_parameter": 1.0})


def _china_inputs(n: int, rng: np.random.Generator) -> ChinaInputs:
    return ChinaInputs(
        spiral=rng.uniform(-2, 2, n),
        deterrence=rng.uniform(0, 1, n),
        opportunity=rng.uniform(0, 2, n),
        taiwan=rng.uniform(0, 1, n),
        previous_level=rng.integers(0, COERCION_LEVELS, n),
        detente=rng.uniform(0, 1, n),
        signal=rng.uniform(0, 1, n),
    )


@pytest.mark.parametrize("name", CHINA_RULES.names())
@FAST
@given(seed=st.integers(0, 2**32 - 1), omega=st.floats(0, 1))
def test_china_rule_rows_are_distributions(name: str, seed: int, omega: float) -> None:
    rule = CHINA_RULES[name]
    inputs = _china_inputs(50, np.random.default_rng(seed))
    p = rule.probabilities(inputs, ChinaSpec(omega=omega))
    assert p.shape == (50, COERCION_LEVELS)
    assert np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)
    if not rule.stochastic:  # a deterministic rule puts all mass on one level
        assert set(np.unique(p)) <= {0.0, 1.0}
        assert np.all((p == 1.0).sum(axis=1) == 1)
    if not rule.uses_omega:  # ω must not matter to a rule that says it ignores ω
        other = rule.probabilities(inputs, ChinaSpec(omega=1.0 - omega))
        np.testing.assert_array_equal(p, other)


TIME_STYLES = [n for n in CONCESSION_STYLES.names() if CONCESSION_STYLES[n].tactic == "time"]
BEHAVIOUR_STYLES = [
    n for n in CONCESSION_STYLES.names() if CONCESSION_STYLES[n].tactic == "behaviour"
]
UTILITY = st.floats(-0.5, 1.5)
#: A side's memory of the other's offers (its own utility of each, oldest first; NaN: none).
RECEIVED = st.lists(st.none() | UTILITY, min_size=4, max_size=4)


def _history(previous: float | None, received: list[float | None]) -> ConcessionHistory:
    return ConcessionHistory(
        np.array([np.nan if previous is None else previous]),
        np.array([[np.nan if u is None else u for u in received]]),
    )


def test_every_style_declares_a_known_tactic() -> None:
    assert set(TIME_STYLES) | set(BEHAVIOUR_STYLES) == set(CONCESSION_STYLES.names())
    assert TIME_STYLES and BEHAVIOUR_STYLES


@pytest.mark.parametrize("name", CONCESSION_STYLES.names())
@FAST
@given(
    t=st.floats(0, 1),
    r=st.floats(-0.5, 0.9),
    gap=st.floats(0, 1),
    previous=st.none() | UTILITY,
    received=RECEIVED,
)
def test_concession_target_lies_between_reservation_and_best(
    name: str, t: float, r: float, gap: float, previous: float | None, received: list
) -> None:
    style = CONCESSION_STYLES[name]
    params = style.parameters().model_dump()
    reserve, best = np.array([r]), np.array([r + gap])  # one replicate, as the model calls it
    for history in (None, _history(previous, received)):
        target = float(style.target(t, reserve, best, params, history)[0])
        assert r - 1e-12 <= target <= r + gap + 1e-12


@pytest.mark.parametrize("name", TIME_STYLES)
@FAST
@given(t1=st.floats(0, 1), t2=st.floats(0, 1), r=st.floats(-0.5, 0.9), gap=st.floats(0, 1))
def test_time_tactic_ends_at_the_reservation_and_never_rises(
    name: str, t1: float, t2: float, r: float, gap: float
) -> None:
    style = CONCESSION_STYLES[name]
    params = style.parameters().model_dump()
    assert float(style.target(1.0, r, r + gap, params)) == pytest.approx(r, abs=1e-12)
    lo, hi = sorted((t1, t2))
    assert (
        float(style.target(hi, r, r + gap, params))
        <= float(style.target(lo, r, r + gap, params)) + 1e-12
    )


@pytest.mark.parametrize("name", BEHAVIOUR_STYLES)
@FAST
@given(
    t=st.floats(0, 1),
    r=st.floats(-0.5, 0.9),
    gap=st.floats(0, 1),
    received=RECEIVED,
)
def test_behaviour_tactic_opens_at_k_of_the_surplus_whatever_the_time(
    name: str, t: float, r: float, gap: float, received: list
) -> None:
    """With no history (or no target of its own yet) the target is r + (U_max - r)(1 - k):
    a behaviour tactic reads what the other did, not the clock."""
    style = CONCESSION_STYLES[name]
    params = style.parameters().model_dump()
    opening = r + gap * (1.0 - params["k"])
    assert float(style.target(t, r, r + gap, params)[()]) == pytest.approx(opening, abs=1e-12)
    got = style.target(t, np.array([r]), np.array([r + gap]), params, _history(None, received))
    assert float(got[0]) == pytest.approx(opening, abs=1e-12)


@pytest.mark.parametrize("name", BEHAVIOUR_STYLES)
@FAST
@given(
    r=st.floats(-0.5, 0.9),
    gap=st.floats(0, 1),
    previous=UTILITY,
    received=st.lists(st.none() | UTILITY, min_size=3, max_size=3),
    latest=UTILITY,
    more=st.floats(0, 1),
)
def test_behaviour_tactic_never_raises_its_target_for_more_concession(
    name: str, r: float, gap: float, previous: float, received: list, latest: float, more: float
) -> None:
    """The other side's latest offer worth more to this side never raises its target."""
    style = CONCESSION_STYLES[name]
    params = style.parameters().model_dump()
    reserve, best = np.array([r]), np.array([r + gap])
    less = style.target(0.5, reserve, best, params, _history(previous, [*received, latest]))
    conceded = style.target(
        0.5, reserve, best, params, _history(previous, [*received, latest + more])
    )
    assert float(conceded[0]) <= float(less[0]) + 1e-12


def _world(n: int) -> World:
    base = load_scenario(BASELINE)
    from negosim.core.utility import build_tables

    grid = build_tables(base.spec).grid
    return World(
        taiwan=np.zeros(n),
        detente=np.zeros(n),
        legal_shock=np.zeros(n),
        approval=np.full(n, 0.34),
        levels=np.tile(grid.status_quo(), (n, 1)),
        incident=np.zeros(n, dtype=np.int64),
        majority_margin=np.full(n, -0.1),
        majority_lost=np.zeros(n, dtype=bool),
    )


@pytest.mark.parametrize("name", EVENT_KINDS.names())
def test_event_kind_round_trips_through_a_scenario_file_and_acts(name: str) -> None:
    kind = EVENT_KINDS[name]
    data = yaml.safe_load(BASELINE.read_text())
    event = {"round": 2, "kind": name, "value": kind.example, "note": "contract test"}
    data["events"] = [event]
    scenario = load_scenario_text(yaml.safe_dump(data, sort_keys=False), f"<{name}>")
    assert [e.model_dump() for e in scenario.spec.events] == [event]
    # the event changes the world it says it acts on, and only from its round on
    world = _world(3)
    grid = NegotiationModel(scenario, seeds=[0], rounds=3).tables.grid  # the event in the run
    after = kind.apply(world, kind.example, grid)
    changed = {
        field
        for field in dataclasses.fields(World)
        if not np.array_equal(getattr(world, field.name), getattr(after, field.name))
    }
    assert changed, f"{name} with value {kind.example} changes nothing"
    table = round_table(NegotiationModel(scenario, seeds=[0, 1], rounds=3).run())
    assert [e for e in table["events"][:3]] == ["", f"{name}={kind.example:g} (contract test)", ""]


@pytest.mark.parametrize("name", EVENT_KINDS.names())
def test_event_value_outside_its_range_is_refused(name: str) -> None:
    kind = EVENT_KINDS[name]
    scenario = load_scenario(BASELINE)
    allowed = kind.allowed(scenario.spec)
    assert allowed is not None
    data = yaml.safe_load(BASELINE.read_text())
    data["events"] = [{"round": 2, "kind": name, "value": allowed.high + 1.0}]
    with pytest.raises(ScenarioError) as err:
        load_scenario_text(yaml.safe_dump(data, sort_keys=False), "<range>")
    assert [p.path for p in err.value.problems] == ["events.0.value"]
    assert allowed.what in err.value.problems[0].allowed


def test_unknown_names_and_bad_parameters_point_at_the_field() -> None:
    data = yaml.safe_load(BASELINE.read_text())
    data["china"]["rule"] = "tit_for_tat"
    data["china"]["params"] = {"step": 9, "taiwan_triger": 0.5}
    data["events"] = [{"round": 2, "kind": "taiwan_statment", "value": 0.5}]
    with pytest.raises(ScenarioError) as err:
        load_scenario_text(yaml.safe_dump(data, sort_keys=False), "<bad>")
    by_path = {p.path: p for p in err.value.problems}
    assert set(by_path) == {"china.params.step", "china.params.taiwan_triger", "events.0.kind"}
    assert "did you mean 'taiwan_statement'" in by_path["events.0.kind"].message
    assert "did you mean 'taiwan_trigger'" in by_path["china.params.taiwan_triger"].message


def test_rule_parameters_reach_the_rule() -> None:
    data = yaml.safe_load(BASELINE.read_text())
    data["china"]["rule"] = "tit_for_tat"
    data["issues"]["security_commitment"]["status_quo"] = 4  # firm: China steps up
    runs = {}
    for step in (1, 2):
        data["china"]["params"] = {"step": step}
        scenario = load_scenario_text(yaml.safe_dump(data, sort_keys=False), f"<step {step}>")
        table = round_table(NegotiationModel(scenario, seeds=range(20), rounds=4).run())
        runs[step] = table["coercion_level"]
    # from level 1, month 1 goes to 1 + step: 2 with step 1, 3 with step 2
    assert runs[1][0] == 2 and runs[2][0] == 3
    assert not np.array_equal(runs[1], runs[2])


def test_a_half_declared_entry_fails_when_it_registers() -> None:
    registry: Registry[Entry] = Registry("widget", "widgets", ("colour",))

    class Nameless(Entry):
        """Has no name."""

        citation = "nobody"
        colour = "red"

    class Undeclared(Entry):
        """Forgets its colour."""

        name = "undeclared"
        citation = "nobody"

    class Uncited(Entry):
        """Cites nothing."""

        name = "uncited"
        colour = "blue"

    for cls, message in ((Nameless, "name"), (Undeclared, "colour"), (Uncited, "citation")):
        with pytest.raises(TypeError, match=message):
            registry.register(cls)

    @registry.register
    class Good(Entry):
        """Declares everything."""

        name = "good"
        citation = "somebody (2025)"
        colour = "green"
        Parameters = NoParameters

    assert registry.names() == ["good"] and registry["good"].properties() == {"colour": "green"}
    with pytest.raises(ValueError, match="twice"):
        registry.register(Good)
