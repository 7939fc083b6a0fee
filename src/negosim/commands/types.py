"""Argument types shared by the sub-commands: whole numbers with the range each option allows.

argparse words a type's failure as "invalid <function name> value"; each type here raises
its own message instead, saying what is expected and what was given (``argument --seed:
expected a whole number from 0 to 2**63-1, got 'x'``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

SEED_LIMIT = 2**63  # seeds are numpy SeedSequence entropy stored as int64 in the results


def whole_number(
    low: int | None, high: int | None = None, *, why: str = "", high_text: str | None = None
) -> Callable[[str], int]:
    """An argparse type accepting whole numbers in ``low..high`` (None: no bound there)."""
    if low is None:
        expected = "a whole number"
    elif high is None:
        expected = f"a whole number ≥ {low}"
    else:
        expected = f"a whole number from {low} to {high_text or high}"
    expected += f" ({why})" if why else ""

    def parse(text: str) -> int:
        try:
            value = int(text.strip(), 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value

    parse.__name__ = parse.__qualname__ = expected  # argparse's fallback wording, if ever used
    return parse


#: Counts: workers, rounds, runs per chunk.
positive = whole_number(1)
#: A lever's pairs of runs: an interval needs two.
pairs = whole_number(2, why="an interval needs two pairs")
#: A replicate or master seed.
seed = whole_number(0, SEED_LIMIT - 1, high_text="2**63-1")
#: A round of the run being explained (one outside the run is refused with the run's rounds).
round_number = whole_number(None)
#: Rows of a printed table; 0 prints them all.
row_count = whole_number(0, why="0 prints every row")
#: A TCP port to listen on.
port = whole_number(1, 65535)
