"""How ``negosim`` stops, as a Unix tool does: on SIGTERM and on a closed pipe.

- SIGTERM (``kill``, ``timeout``, a batch scheduler) raises :class:`Terminated` in the main
  process, a KeyboardInterrupt, so the clean-up written for Ctrl-C runs as it is; the
  command then exits 143 instead of 130.
- A closed standard output (``negosim list | head -1``) ends the command quietly with
  status 141, what a shell reports for a tool stopped by SIGPIPE, instead of a traceback
  or "Broken pipe": whatever was being written to disk was finished before the printing.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from negosim.exit_codes import Terminated


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` in this process (restored after).

    Worker processes forked meanwhile inherit the handler; there it restores the default
    action and re-sends the signal, so a pool can still end its workers with SIGTERM.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are the main thread's only; a caller in a thread keeps its own
        return
    owner = os.getpid()

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise Terminated

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def silence_stdout() -> None:
    """Point standard output at /dev/null after its reader went away.

    Python flushes standard output once more at exit; without this, that flush reports the
    broken pipe after the command has already chosen its exit status.
    """
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # a replaced stdout (tests, notebooks)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)
