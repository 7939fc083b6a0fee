"""Words and numbers for explanations: issue names, values with units, changes, months.

Units are data (each issue's ``unit`` in the scenario), so nothing here knows an issue by
name; an ordinal issue (unit ``level`` with level descriptions) is written "level 2".
"""

from __future__ import annotations

SIDE_NAMES = {"us": "the United States", "japan": "Japan"}
SHORT_NAMES = {"us": "the US", "japan": "Japan"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def capital(text: str) -> str:
    """``text`` with its first letter upper-case (side names start sentences)."""
    return text[:1].upper() + text[1:]


def month_of(start: str, round_index: int) -> str:
    """'2025-02' plus (round - 1) months, as 'Feb 2025'."""
    year, month = (int(part) for part in start.split("-"))
    total = year * 12 + (month - 1) + (round_index - 1)
    return f"{MONTHS[total % 12]} {total // 12}"


def issue_name(name: str) -> str:
    """'defense_budget' → 'defense budget'."""
    return name.replace("_", " ")


def number(value: float) -> str:
    """An issue value as people write it: 15, 12.5, 2.8, 1,000."""
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) >= 100 else f"{value:g}"


def with_unit(value: float, unit: str) -> str:
    """'15 % ad valorem', '2.8 % of GDP', 'level 2', 'US$400 bn to 2029'."""
    if unit == "level":
        return f"level {number(value)}"
    if unit.startswith("US$ "):
        return f"US${number(value)} {unit[4:]}"
    return f"{number(value)} {unit}".rstrip()


def change(name: str, before: float, after: float, unit: str, first: bool = True) -> str:
    """'lowering the tariff from 15 to 12.5 % ad valorem' (``first``: with the verb)."""
    verb = "raising" if after > before else "lowering"
    if unit == "level":
        span = f"from level {number(before)} to {number(after)}"
    elif unit.startswith("US$ "):
        span = f"from US${number(before)} to {number(after)} {unit[4:]}"
    else:
        span = f"from {number(before)} to {with_unit(after, unit)}"
    return f"{verb} the {issue_name(name)} {span}" if first else f"the {issue_name(name)} {span}"


def changes(items: list[tuple[str, float, float, str]]) -> str:
    """Several changes in one phrase; one verb for a run of changes in the same direction."""
    parts: list[str] = []
    previous = ""
    for name, before, after, unit in items:
        verb = "raising" if after > before else "lowering"
        parts.append(change(name, before, after, unit, first=verb != previous))
        previous = verb
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def share(value: float) -> str:
    """A probability as a percentage: 0.994 → '99 %', 0.0004 → '<1 %'."""
    if 0.0 < value < 0.005:
        return "<1 %"
    if 0.995 < value < 1.0:
        return ">99 %"
    return f"{100 * value:.0f} %"


def u(value: float) -> str:
    """A utility on the common scale, three decimals."""
    return f"{value:.3f}"


def signed(value: float) -> str:
    """A signed contribution: '+0.117', '−0.260' (a true minus sign)."""
    text = f"{abs(value):.3f}"
    return ("−" if value < -5e-4 else "+") + text
