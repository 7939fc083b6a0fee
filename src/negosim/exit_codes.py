"""The exit status of every ``negosim`` command, in one table (README, "Exit status").

Scripts and schedulers act on these numbers, so each means one thing whichever command
returns it. They follow the shell's conventions: 2 for a usage error as argparse already
uses it, 128 + N for a stop by signal N (130 Ctrl-C, SIGINT 2; 141 a closed pipe, SIGPIPE 13;
143 a kill, SIGTERM 15), so ``negosim ... | head`` and ``timeout`` read as they do for any
Unix tool.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a command's exit status says."""

    #: Done: everything asked for was done.
    OK = 0
    #: A failure while doing it: a run or sweep that failed, a chart not drawn, a disk error.
    FAILURE = 1
    #: Usage or input error: bad arguments, a bad, missing or unreadable file, a refused
    #: directory. Nothing was run (a sweep: nothing was changed in its directory).
    USAGE = 2
    #: ``negosim compare`` only: two readable sweeps that cannot be set side by side
    #: (docs/compare.md, "Refusals and exit status").
    INCOMPARABLE = 3
    #: Stopped by Ctrl-C (SIGINT); a sweep's finished chunks are saved, --resume completes it.
    INTERRUPTED = 130
    #: Standard output was closed before everything was written (``negosim list | head -1``);
    #: nothing else is wrong and the results on disk are complete.
    BROKEN_PIPE = 141
    #: Stopped by SIGTERM (``kill``, ``timeout``, a scheduler), after the same clean-up as Ctrl-C.
    TERMINATED = 143


class Terminated(KeyboardInterrupt):
    """Raised in the main process on SIGTERM.

    A KeyboardInterrupt, so every clean-up written for Ctrl-C (a sweep's pool shut down, its
    finished chunks kept, temporary files removed, locks released) runs unchanged; only the
    exit status differs (:attr:`ExitCode.TERMINATED`).
    """


def interrupted(err: KeyboardInterrupt) -> ExitCode:
    """The exit status of a stop: 143 for SIGTERM, 130 for Ctrl-C."""
    return ExitCode.TERMINATED if isinstance(err, Terminated) else ExitCode.INTERRUPTED
