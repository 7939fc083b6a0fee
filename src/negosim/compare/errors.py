"""Why two sweeps are not compared, and the exit status each reason gets.

Two kinds, so a script can tell them apart (docs/compare.md, "Exit status"):

- the input names nothing usable (exit 2): a directory that is missing, not a sweep, of
  another format or without a finished run; a point selection or an outcome that does
  not exist;
- the sweeps exist but cannot be set side by side (exit 3): no shared outcome, no design
  point in common, a pairing that was asked for but the seeds or the base scenarios do
  not allow.
"""

from __future__ import annotations


class CompareError(Exception):
    """A comparison that is refused; the message says why and what would work."""

    exit_code = 3


class UnreadableSweepError(CompareError):
    """A directory that is not a readable sweep of this format."""

    exit_code = 2


class SelectionError(CompareError):
    """A point selection or an outcome name that matches nothing."""

    exit_code = 2


class IncomparableError(CompareError):
    """Two readable sweeps that cannot be compared as asked."""

    exit_code = 3
