"""The command line as Unix tools behave (issue 10, part C): exit codes, messages, pipes, signals.

One exit-status table (negosim.exit_codes) is used by every command; the same mistake gets
the same words and status whichever command makes it; a closed pipe ends a command
quietly with 141; SIGTERM stops it with 143 after the clean-up Ctrl-C does (130); argument
errors say what is expected and what was given, never an internal function's name.
Pipes and signals are tried on real processes; the rest in-process.
"""

from __future__ import annotations

import argparse
import ast
import errno
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASELINE, NEGOSIM, ROOT, cli, tiny_experiment, write
from negosim.cli import build_parser
from negosim.commands import inputs, types
from negosim.exit_codes import ExitCode, Terminated, interrupted

SRC = ROOT / "src" / "negosim"
#: Where a command's exit status is decided: every literal status must come from the table.
COMMAND_MODULES = sorted(
    [*(SRC / "commands").glob("*.py"), SRC / "cli.py", SRC / "levers" / "command.py"]
)
NO_FILE = os.strerror(errno.ENOENT)
IS_DIR = os.strerror(errno.EISDIR)
NOT_DIR = os.strerror(errno.ENOTDIR)
DENIED = os.strerror(errno.EACCES)

TINY = tiny_experiment()


# --- one table ------------------------------------------------------------------------------


def test_the_table_is_the_shells_conventions():
    assert [(c.name, int(c)) for c in ExitCode] == [
        ("OK", 0),
        ("FAILURE", 1),
        ("USAGE", 2),
        ("INCOMPARABLE", 3),
        ("INTERRUPTED", 130),
        ("BROKEN_PIPE", 141),
        ("TERMINATED", 143),
    ]
    assert ExitCode.INTERRUPTED == 128 + signal.SIGINT
    assert ExitCode.BROKEN_PIPE == 128 + signal.SIGPIPE
    assert ExitCode.TERMINATED == 128 + signal.SIGTERM
    assert interrupted(KeyboardInterrupt()) == 130 and interrupted(Terminated()) == 143


def _literal_statuses(path: Path) -> list[str]:
    """``return 2`` and ``sys.exit(1)``-style literal statuses in a module, as 'line: code'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        value = None
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Constant):
            value = node.value.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "exit"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            value = node.args[0].value
        if isinstance(value, int) and not isinstance(value, bool):
            found.append(f"{node.lineno}: {value}")
    return found


@pytest.mark.parametrize("path", COMMAND_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_every_command_takes_its_status_from_the_table(path):
    assert _literal_statuses(path) == [], f"{path.relative_to(SRC)}: use negosim.exit_codes"


def test_the_literal_status_scan_finds_one():
    probe = Path(__file__).with_name("_probe_status.py")
    try:
        probe.write_text("import sys\ndef f():\n    return 2\nsys.exit(1)\n")
        assert _literal_statuses(probe) == ["3: 2", "4: 1"]
    finally:
        probe.unlink()


# --- the same mistake, the same message -----------------------------------------------------


@pytest.fixture(scope="module")
def places(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("places")
    (root / "a_directory").mkdir()
    (root / "a_file.yaml").write_text("name: x\n")
    return {"root": root, "dir": root / "a_directory", "file": root / "a_file.yaml"}


#: command → (argv with {path} where the input goes, what the input must be)
COMMANDS = {
    "run": (["run", "{path}", "--quiet"], "file"),
    "explain": (["run", "{path}", "--explain", "--round", "1"], "file"),
    "validate": (["validate", "{path}"], "file"),
    "sweep": (["sweep", "{path}", "--no-progress"], "file"),
    "levers": (["levers", "{path}", "--out", "-"], "file"),
    "serve": (["serve", "{path}", "--port", "1"], "file"),
    "list columns": (["list", "columns", "{path}"], "file"),
    "plot": (["plot", "{path}"], "directory"),
    "report": (["report", "{path}"], "directory"),
    "compare": (["compare", "{path}", "{dir}"], "directory"),
}


def _prog(name: str, argv: list[str]) -> str:
    return "negosim " + ("run" if name == "explain" else name)


@pytest.mark.parametrize("mistake", ["missing", "wrong kind"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_missing_or_wrong_kind_input_gets_one_message_and_status_2(capsys, places, name, mistake):
    template, wants = COMMANDS[name]
    if mistake == "missing":
        path, reason = places["root"] / "nope" / "x.yaml", NO_FILE
    elif wants == "file":
        path, reason = places["dir"], IS_DIR
    else:
        path, reason = places["file"], NOT_DIR
    argv = [a.format(path=path, dir=places["dir"]) for a in template]
    code, out, err = cli(capsys, *argv)
    assert (code, out) == (ExitCode.USAGE, "")
    assert err == f"{_prog(name, argv)}: cannot read {path}: {reason}\n"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_an_unreadable_input_gets_the_same_message(capsys, places, monkeypatch, name):
    """Permission denied, as the system reports it (injected: the tests may run as root)."""
    template, wants = COMMANDS[name]
    target = places["file"] if wants == "file" else places["dir"]

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, DENIED, str(args[0]))

    monkeypatch.setattr(inputs, "open" if wants == "file" else "_scandir", denied, raising=False)
    if wants == "directory":
        monkeypatch.setattr(inputs.os, "scandir", denied)
    argv = [a.format(path=target, dir=places["dir"]) for a in template]
    code, out, err = cli(capsys, *argv)
    assert (code, out) == (ExitCode.USAGE, "")
    assert err.startswith(f"{_prog(name, argv)}: cannot read {target}: {DENIED}\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission(capsys, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text(BASELINE.read_text())
    secret.chmod(0)
    code, _, err = cli(capsys, "run", secret)
    assert code == ExitCode.USAGE
    assert err == f"negosim run: cannot read {secret}: {DENIED}\n"


def test_a_disk_error_while_working_is_a_failure_with_the_file_and_reason(capsys, monkeypatch):
    from negosim.commands import listing

    def full(args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "out/rounds.parquet")

    monkeypatch.setattr(listing, "_list", full)
    code, _, err = cli(capsys, "list")
    assert code == ExitCode.FAILURE
    assert err == f"negosim list: out/rounds.parquet: {os.strerror(errno.ENOSPC)}\n"


# --- argument errors ------------------------------------------------------------------------


def _typed_actions() -> list[tuple[str, argparse.Action]]:
    """(command, action) for every option or argument with a custom type, in every command."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found = []
    for command, subparser in sub.choices.items():
        for action in subparser._actions:
            if action.type not in (None, Path, str):
                found.append((command, action))
    return found


TYPED = _typed_actions()


def test_every_custom_type_is_one_of_the_named_whole_numbers():
    named = {
        types.positive,
        types.pairs,
        types.seed,
        types.round_number,
        types.row_count,
        types.port,
    }
    assert len(TYPED) >= 9
    assert {action.type for _, action in TYPED} <= named


@pytest.mark.parametrize(
    ("command", "action"), TYPED, ids=[f"{c} {a.option_strings[0]}" for c, a in TYPED]
)
def test_every_custom_type_says_what_it_expects_and_what_it_got(command, action):
    for bad in ("x", "1.5", "", "٣x", "0x10", "1e3", "--"):
        with pytest.raises(argparse.ArgumentTypeError) as info:
            action.type(bad)
        message = str(info.value)
        assert message.startswith("expected a whole number") and message.endswith(f"got {bad!r}")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["run", BASELINE, "--seed", "x"],
            "--seed: expected a whole number from 0 to 2**63-1, got 'x'",
        ),
        (["run", BASELINE, "--rounds", "0"], "--rounds: expected a whole number ≥ 1, got '0'"),
        (["run", BASELINE, "--round", "six"], "--round: expected a whole number, got 'six'"),
        (
            ["sweep", "e.yaml", "--workers", "-2"],
            "--workers: expected a whole number ≥ 1, got '-2'",
        ),
        (["sweep", "e.yaml", "--chunk-size", "1e3"], "--chunk-size: expected a whole number ≥ 1"),
        (
            ["levers", "--replicates", "1"],
            "--replicates: expected a whole number ≥ 2 (an interval needs two pairs), got '1'",
        ),
        (["levers", "--seed", str(2**63)], "--seed: expected a whole number from 0 to 2**63-1"),
        (["compare", "a", "b", "--top", "-1"], "--top: expected a whole number ≥ 0"),
        (
            ["serve", "--port", "70000"],
            "--port: expected a whole number from 1 to 65535, got '70000'",
        ),
    ],
)
def test_argument_errors_are_readable(capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args([str(a) for a in argv])
    assert info.value.code == ExitCode.USAGE
    err = capsys.readouterr().err
    assert f"error: argument {message}" in err
    assert "invalid" not in err and "_seed" not in err and "<function" not in err


@settings(max_examples=int(os.environ.get("NEGOSIM_FUZZ_EXAMPLES", "200")), deadline=None)
@given(text=st.one_of(st.text(max_size=12), st.integers(-(2**70), 2**70).map(str)))
def test_the_seed_type_accepts_exactly_the_seeds(text):
    try:
        value = int(text.strip(), 10)
    except ValueError:
        value = None
    if value is not None and 0 <= value < 2**63:
        assert types.seed(text) == value
    else:
        with pytest.raises(argparse.ArgumentTypeError, match=r"^expected a whole number"):
            types.seed(text)


# --- a closed pipe --------------------------------------------------------------------------


def _shell(command: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``command`` in bash with pipefail: the status is negosim's, as a shell script sees it."""
    env = {**os.environ, "PATH": f"{NEGOSIM.parent}:{os.environ['PATH']}", "COLUMNS": "100"}
    script = f'set -o pipefail; {command}; echo "status=${{PIPESTATUS[0]}}" >&2'
    return subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _status(done: subprocess.CompletedProcess[str]) -> int:
    return int(done.stderr.rsplit("status=", 1)[1])


@pytest.mark.parametrize(
    "command",
    ["negosim list", "negosim run configs/baseline.yaml", "negosim validate configs/*.yaml"],
)
def test_a_reader_that_goes_away_ends_the_command_quietly_with_141(tmp_path, command):
    done = _shell(f"{command} | true", tmp_path)  # `true` reads nothing and exits at once
    assert _status(done) == ExitCode.BROKEN_PIPE
    assert done.stderr.split("status=")[0] == ""  # no "Broken pipe", no traceback


def test_head_gets_its_line_and_negosim_stays_quiet(tmp_path):
    done = _shell("negosim run configs/baseline.yaml | head -1", tmp_path)
    assert done.stdout.startswith("negosim: baseline")
    assert done.stdout.count("\n") == 1
    assert _status(done) in (ExitCode.OK, ExitCode.BROKEN_PIPE)  # 0 if it wrote all first
    assert done.stderr.split("status=")[0] == ""


def test_a_sweep_into_a_closed_pipe_still_saves_every_run(tmp_path):
    from negosim.sweep import load_sweep

    experiment = write(tmp_path, TINY)
    out = tmp_path / "out"
    done = _shell(
        f"negosim sweep {experiment} --out {out} --no-progress --executor inline | head -1",
        tmp_path,
    )
    assert done.stdout.startswith("tiny: 2 points × 3 replicates; ran 6 runs")
    assert _status(done) == ExitCode.BROKEN_PIPE  # the report is far longer than one line
    assert done.stderr.split("status=")[0] == ""
    sweep = load_sweep(out)
    assert sweep.complete and len(sweep.runs) == 6


# --- signals --------------------------------------------------------------------------------


def test_sigterm_raises_terminated_in_this_process_and_is_restored_after():
    from negosim.commands.unix import sigterm_as_interrupt

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated), sigterm_as_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler runs at once; this is never reached
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")
def test_a_forked_worker_still_dies_of_sigterm():
    """A pool may end its workers with SIGTERM: in a child the handler is the default."""
    import multiprocessing

    from negosim.commands.unix import sigterm_as_interrupt

    with sigterm_as_interrupt():
        child = multiprocessing.get_context("fork").Process(target=time.sleep, args=(30,))
        child.start()
        time.sleep(0.3)
        child.terminate()  # SIGTERM
        child.join(10)
    assert child.exitcode == -signal.SIGTERM


def _start_sweep(tmp_path: Path, executor: str) -> tuple[subprocess.Popen[str], Path, Path]:
    text = TINY.replace("replicates: 3", "replicates: 800").replace("rounds: 3", "rounds: 12")
    experiment = write(tmp_path, text)
    out = tmp_path / "out"
    command = [str(NEGOSIM), "sweep", str(experiment), "--out", str(out), "--no-progress"]
    command += ["--executor", executor, "--workers", "2", "--chunk-size", "50"]
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 90
    while not any((out / "runs").glob("part-*.parquet")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no chunk written in 90 s"
        time.sleep(0.05)
    return proc, experiment, out


def test_a_sweep_killed_with_sigterm_exits_143_and_resumes(tmp_path):
    """One real trial: a process pool, SIGTERM once a chunk is on disk, then --resume."""
    from negosim.sweep import load_sweep

    proc, experiment, out = _start_sweep(tmp_path, "process")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.TERMINATED, err
    assert err.strip() == (
        f"negosim sweep: terminated: finished chunks are saved in {out}; run the same "
        "command with --resume to complete it"
    )
    partial = load_sweep(out)
    assert not partial.complete and 0 < len(partial.runs) < 1600
    resumed = subprocess.run(
        [str(NEGOSIM), "sweep", str(experiment), "--out", str(out), "--no-progress", "--resume"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == ExitCode.OK, resumed.stderr
    final = load_sweep(out)
    assert final.complete and len(final.runs) == 1600
    assert not final.runs.duplicated(["point", "replicate"]).any()


@pytest.mark.parametrize(
    ("stop", "status", "word"),
    [
        (KeyboardInterrupt, ExitCode.INTERRUPTED, "interrupted"),
        (Terminated, ExitCode.TERMINATED, "terminated"),
    ],
)
def test_a_stopped_sweep_says_how_and_what_is_kept(
    capsys, monkeypatch, tmp_path, stop, status, word
):
    """Ctrl-C and SIGTERM as the sweep command sees them (the runner raises either)."""
    import negosim.sweep

    def stopped(*args, **kwargs):
        raise stop

    monkeypatch.setattr(negosim.sweep, "run_sweep", stopped)
    out = tmp_path / "out"
    code, printed, err = cli(capsys, "sweep", write(tmp_path, TINY), "--out", out)
    assert (code, printed) == (status, "")
    assert err == (
        f"negosim sweep: {word}: finished chunks are saved in {out}; run the same command "
        "with --resume to complete it\n"
    )
