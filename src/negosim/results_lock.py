"""One writer per results directory: an advisory lock held while a command writes there.

A sweep (fresh or ``--resume``) holds ``DIR/.lock`` from start to end; ``negosim run --out
DIR`` holds the same file while it swaps its directory into place (and a lock beside DIR,
``.DIR.lock``, that orders two runs). The lock is ``flock(2)``: the kernel releases it when
its holder exits, however it exits, so a crashed or killed writer never leaves a stale lock
(the file stays behind; the next writer takes it over). The file records who holds it
(pid, host, command, start time) so that a refusal can name the other process.

flock is advisory: it excludes other negosim processes, not an ``rm -r`` from a shell. On
NFS, Linux maps it to a POSIX byte-range lock, which the server arbitrates.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from negosim.provenance import command_line

LOCK_NAME = ".lock"


class ResultsBusyError(RuntimeError):
    """Another process is writing the results directory."""


def _holder(path: Path) -> str:
    """Who holds ``path``, from what it wrote there ('' if it has not written yet)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        command = " ".join(record["command"]["argv"])
        return f"pid {record['pid']} on {record['host']}, started {record['started']}: {command}"
    except (OSError, ValueError, KeyError, TypeError):
        return "a process that has not yet recorded itself"


def _record(command: Sequence[str] | None) -> str:
    return json.dumps(
        {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": command_line(command),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )


@contextmanager
def results_lock(path: Path, what: str, command: Sequence[str] | None = None) -> Iterator[None]:
    """Hold the lock file ``path`` (``what`` names the directory in a refusal).

    Raises :class:`ResultsBusyError` at once, naming the holder, when another process holds
    it: results are never written by two processes, and nobody waits on a long sweep.
    The file is removed on release; a lock file that was removed (or replaced) between
    opening and locking it is opened again, so two writers can never hold two inodes.
    """
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise ResultsBusyError(
                f"{what} is being written by another negosim process ({_holder(path)}); "
                "wait for it to finish or stop it, then run this command again"
            ) from None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # its holder removed it as we opened it: take the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, _record(command).encode("utf-8"))
        yield
    finally:
        with suppress(OSError):  # a read-only directory: the kernel's release is what counts
            path.unlink(missing_ok=True)
        os.close(fd)
