"""Start many ``negosim`` commands fast: a parent that imported negosim forks each of them.

Interpreter start-up and imports take ~5 s on the 2-core test machine, which would make
dozens of kill-and-resume trials too slow for the suite. This script imports negosim once,
then for each request forks a child that runs ``negosim.cli.main(argv)`` in a new session
(its own process group, so a kill reaches the pool workers too) with its output in a file,
and ends with ``os._exit(status)``. The child is a real process running the real command:
only the interpreter's start-up is shared.

Protocol, one JSON line each way: ``["start", argv, log_path]`` → ``pid``;
``["wait", pid]`` → the exit status (negative: killed by that signal).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import warnings


def _child(argv: list[str], log: str) -> None:
    os.setsid()
    signal.alarm(120)  # a child that hangs (a fork deadlock) dies instead of the test hanging
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    status = 99
    try:
        from negosim.cli import main

        status = main(argv)
    except BaseException as err:
        import traceback

        traceback.print_exception(err)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def serve() -> None:
    """Answer requests on standard input until it closes."""
    import negosim.cli
    import negosim.sweep.report
    import negosim.sweep.runner  # noqa: F401 - imported once, shared by every child

    # Arrow's threads are fork-aware (see negosim.sweep.executors._context)
    warnings.filterwarnings("ignore", "This process .* is multi-threaded")
    for line in sys.stdin:
        request = json.loads(line)
        if request[0] == "start":
            pid = os.fork()
            if pid == 0:
                _child(request[1], request[2])
            reply: int = pid
        else:
            _, status = os.waitpid(request[1], 0)
            reply = os.waitstatus_to_exitcode(status)
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    serve()
