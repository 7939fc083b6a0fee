"""The input files and directories a command names, checked before any work starts.

Every command words a missing, unreadable or wrong-kind input the same way, with the
system's own reason (``negosim run: cannot read configs/x.yaml: No such file or
directory``), and exits 2 (:attr:`negosim.exit_codes.ExitCode.USAGE`); the loaders behind
the commands then only see paths that open.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


class InputError(Exception):
    """An input that cannot be read; the message names it and says why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"cannot read {path}: {reason}")
        self.path = str(path)
        self.reason = reason


def readable_file(path: Path) -> Path:
    """``path``, if it is a file this process can open for reading; else InputError."""
    try:
        with open(path, "rb") as handle:
            handle.read(0)
    except OSError as err:  # IsADirectoryError too: open() refuses a directory
        raise InputError(path, err.strerror or str(err)) from None
    return path


def readable_directory(path: Path) -> Path:
    """``path``, if it is a directory this process can list; else InputError."""
    try:
        with os.scandir(path):
            pass
    except NotADirectoryError:
        raise InputError(path, os.strerror(errno.ENOTDIR)) from None
    except OSError as err:
        raise InputError(path, err.strerror or str(err)) from None
    return path
