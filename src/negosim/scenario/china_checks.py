"""Cross-field checks of China's section.

The ordered logit's thresholds and inertia, the rung weights of the threat Japan reads and
the per-level tables of observables must match the six coercion levels.
"""

from __future__ import annotations

from negosim.scenario.problems import Reporter, num, short_repr
from negosim.schema import ScenarioSpec

THRESHOLD_COUNT = 5
COERCION_LEVELS = 6  # China's coercion levels 0..5
#: Largest monthly rate of sea entries or airspace violations: the Poisson tables stop at
#: core.observables.POISSON_SUPPORT (80) counts, which a rate of 20 exceeds with
#: probability below 1e-20 (the calibrated rates are at most 5).
MAX_RATE = 20.0


def check_china(spec: ScenarioSpec, r: Reporter) -> None:
    """Ordered-logit thresholds and per-level observables have one entry per level."""
    china = spec.china
    thresholds = china.thresholds
    if len(thresholds) != THRESHOLD_COUNT:
        r.add(
            "china.thresholds",
            f"expected exactly {THRESHOLD_COUNT} thresholds "
            f"(one per step between the {COERCION_LEVELS} coercion levels), "
            f"got {len(thresholds)}",
            short_repr(thresholds),
            f"a list of {THRESHOLD_COUNT} strictly increasing numbers",
        )
    for index in range(1, len(thresholds)):
        if thresholds[index] <= thresholds[index - 1]:
            r.add(
                f"china.thresholds.{index}",
                "thresholds must be strictly increasing",
                num(thresholds[index]),
                f"a number > {num(thresholds[index - 1])}",
            )
    for level in china.levels:
        if not 0 <= level < COERCION_LEVELS:
            r.add(
                f"china.levels.{level}",
                "no such coercion level",
                str(level),
                f"an integer in [0, {COERCION_LEVELS - 1}]",
            )
    inertia = china.inertia
    if len(inertia) != COERCION_LEVELS:
        r.add(
            "china.inertia",
            f"expected one inertia per coercion level 0-{COERCION_LEVELS - 1}, got {len(inertia)}",
            short_repr(inertia),
            f"a list of exactly {COERCION_LEVELS} numbers ≥ 0",
        )
    for index, value in enumerate(inertia):
        if not value >= 0:
            r.add(f"china.inertia.{index}", "out of range", num(value), "a number ≥ 0")
    weights = china.threat_weights
    if len(weights) != COERCION_LEVELS:
        r.add(
            "china.threat_weights",
            f"expected one weight per coercion level 0-{COERCION_LEVELS - 1}, got {len(weights)}",
            short_repr(weights),
            f"a list of exactly {COERCION_LEVELS} numbers",
        )
    for index, value in enumerate(weights):
        if value < 0 or (index and value < weights[index - 1]):
            r.add(
                f"china.threat_weights.{index}",
                "the threat of a rung must be ≥ 0 and ≥ the rung below (Kahn's ladder)",
                num(value),
                f"a number ≥ {num(max(0.0, weights[index - 1]) if index else 0.0)}",
            )
    observables = china.observables
    for name in ("presence_probability", "sea_entry_rate", "airspace_rate"):
        values: list[float] = getattr(observables, name)
        path = f"china.observables.{name}"
        if len(values) != COERCION_LEVELS:
            r.add(
                path,
                f"expected one value per coercion level 0-{COERCION_LEVELS - 1}, got {len(values)}",
                short_repr(values),
                f"a list of exactly {COERCION_LEVELS} numbers",
            )
        is_probability = name == "presence_probability"
        for index, value in enumerate(values):
            if value < 0 or value > (1 if is_probability else MAX_RATE):
                r.add(
                    f"{path}.{index}",
                    "out of range",
                    num(value),
                    "a number in [0, 1]"
                    if is_probability
                    else f"a number in [0, {num(MAX_RATE)}] (a monthly count's mean)",
                )
