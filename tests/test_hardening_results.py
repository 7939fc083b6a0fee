"""One writer per results directory, a run's directory complete or absent, durable writes.

The lock is tried with real processes: a holder that takes a directory's lock (and is then
SIGKILLed: the kernel frees the lock, so a crash leaves nothing stale), and two sweeps of
different experiments started together into one ``--out``. ``negosim run --out DIR`` is
SIGKILLed at random moments: DIR is then absent or one run's complete pair, never a mix.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import BASELINE, cli, tiny_experiment, write
from negosim.results import RunOutError, atomic_path, check_run_out
from negosim.sweep import load_experiment, run_sweep
from negosim.sweep.store import SweepDirectoryError
from test_hardening_results_kill import Forker

TINY = tiny_experiment(
    "[deal_reached]",
    name="locked",
    seed=2,
    replicates=10,
    rounds=6,
    omega="[0.0, 0.75]",
    runs="[deal_reached]",
)

HOLD = """\
import sys, time
from pathlib import Path
from negosim.results_lock import results_lock
with results_lock(Path(sys.argv[1]), sys.argv[1], ["negosim", "sweep", "held.yaml"]):
    print("held", flush=True)
    time.sleep(120)
"""


@pytest.fixture(scope="module")
def forker():
    client = Forker()
    yield client
    client.close()


@pytest.fixture
def holder():
    """Start a process that holds a lock file; yields a function taking the file's path."""
    started: list[subprocess.Popen[str]] = []

    def hold(path: Path) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout and process.stdout.readline() == "held\n"
        started.append(process)
        return process

    yield hold
    for process in started:
        process.kill()
        process.wait()


# --- the lock ------------------------------------------------------------------------------


def test_a_sweep_into_a_busy_directory_is_refused_naming_the_other_process(
    tmp_path, capsys, holder
):
    experiment = write(tmp_path, TINY)
    out = tmp_path / "out"
    out.mkdir()
    other = holder(out / ".lock")
    for extra in ([], ["--resume"]):
        status, _, err = cli(capsys, "sweep", experiment, "--out", out, *extra, "--no-progress")
        assert status == 2, err
        assert f"pid {other.pid} on " in err and "negosim sweep held.yaml" in err, err
    assert sorted(p.name for p in out.iterdir()) == [".lock"]  # nothing was written
    other.send_signal(signal.SIGKILL)  # a crash: the kernel releases the lock
    other.wait()
    status, _, err = cli(capsys, "sweep", experiment, "--out", out, "--no-progress")
    assert status == 0, err
    assert not (out / ".lock").exists()  # released (and removed) on exit


def test_two_sweeps_started_together_into_one_directory_leave_one_experiment(tmp_path, forker):
    first = write(tmp_path, TINY, "first.yaml")
    second = write(tmp_path, TINY.replace("seed: 2", "seed: 9"), "second.yaml")
    refusals = []
    for trial in range(3):
        out = tmp_path / f"out{trial}"
        argv = ["--out", str(out), "--executor", "inline", "--chunk-size", "2", "--no-progress"]
        logs = [tmp_path / f"{trial}-{n}.log" for n in (1, 2)]
        pids = [
            forker.start(["sweep", str(e), *argv], log)
            for e, log in zip((first, second), logs, strict=True)
        ]
        statuses = [forker.wait(pid) for pid in pids]
        assert sorted(statuses) == [0, 2], [log.read_text() for log in logs]
        winner = statuses.index(0)
        refusal = logs[1 - winner].read_text()
        refusals.append(f"pid {pids[winner]} on " in refusal)
        assert "being written by another" in refusal or "different experiment" in refusal
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["master_seed"] == (2, 9)[winner] and manifest["finished"]
        runs = pq.read_table(out / "runs")
        assert runs.num_rows == 20 and len(set(runs["seed"].to_pylist())) == 20
    assert any(refusals), "no trial overlapped: the lock was never met"


def test_a_run_into_a_busy_directory_is_refused(tmp_path, capsys, holder):
    out = tmp_path / "out"
    out.mkdir()
    other = holder(out / ".lock")  # a sweep in its first instant: only its lock is there
    status, _, err = cli(capsys, "run", BASELINE, "--out", out, "--quiet")
    assert status == 2 and f"pid {other.pid} on " in err, err
    assert sorted(p.name for p in out.iterdir()) == [".lock"]
    other = holder(tmp_path / ".fresh.lock")  # another run writing out/fresh
    status, _, err = cli(capsys, "run", BASELINE, "--out", tmp_path / "fresh", "--quiet")
    assert status == 2 and f"pid {other.pid} on " in err, err
    assert not (tmp_path / "fresh").exists()


# --- a sweep killed in its first instant ----------------------------------------------------


@pytest.mark.parametrize("left", ["lock", "temporary manifest", "manifest only"])
def test_a_sweep_stopped_before_its_first_chunk_resumes(tmp_path, capsys, left):
    experiment = load_experiment(write(tmp_path, TINY))
    reference, out = tmp_path / "reference", tmp_path / "out"
    run_sweep(experiment, reference, executor="inline", chunk_runs=5, progress=False)
    out.mkdir()
    if left == "lock":
        (out / ".lock").write_text("")
    elif left == "temporary manifest":
        (out / ".manifest.json.abc123.tmp").write_text('{"format": 1, "iden')
    else:  # killed between the manifest and the parameter table
        (out / "manifest.json").write_text((reference / "manifest.json").read_text())
    status, _, err = cli(
        capsys,
        "sweep",
        experiment.source,
        "--out",
        out,
        "--resume",
        "--chunk-size",
        "5",
        "--no-progress",
    )
    assert status == 0, err
    for name in ["parameters.parquet", *(f"runs/part-00000{i}.parquet" for i in range(4))]:
        assert (out / name).read_bytes() == (reference / name).read_bytes()
    assert not list(out.rglob(".*"))


# --- a run's directory: complete or absent --------------------------------------------------


def pair(out: Path) -> tuple[int, bytes]:
    """The seed summary.json records and the rounds table's bytes."""
    return json.loads((out / "summary.json").read_text())["seeds"][0], (
        out / "rounds.parquet"
    ).read_bytes()


def test_a_second_run_replaces_the_first_whole_and_leaves_nothing_behind(tmp_path, capsys):
    out = tmp_path / "out"
    for seed in (3, 4):
        status, stdout, err = cli(capsys, "run", BASELINE, "--seed", seed, "--out", out, "--quiet")
        assert status == 0, err
        assert f"wrote {out / 'rounds.parquet'} and {out / 'summary.json'}" in stdout
    cli(capsys, "run", BASELINE, "--seed", 4, "--out", tmp_path / "alone", "--quiet")
    assert pair(out) == pair(tmp_path / "alone")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alone", "out"]
    assert sorted(p.name for p in out.iterdir()) == ["rounds.parquet", "summary.json"]


def test_sigkill_of_a_run_leaves_its_directory_complete_or_absent(tmp_path, forker, capsys):
    seeds = (5, 6)
    expected = {}
    for seed in seeds:
        cli(capsys, "run", BASELINE, "--seed", seed, "--out", tmp_path / f"ref{seed}", "--quiet")
        expected[seed] = pair(tmp_path / f"ref{seed}")
    work = tmp_path / "work"
    work.mkdir()
    out = work / "out"
    rng = random.Random(7)
    full = float("inf")
    for _ in range(2):  # the quicker of two: the first may pay for cold caches
        started = time.perf_counter()
        argv = ["run", str(BASELINE), "--out", str(out), "--quiet"]
        assert forker.run(argv, tmp_path / "l") == 0
        full = min(full, time.perf_counter() - started)
        shutil_rm(out)
    kills = 0
    for trial in range(12):
        seed = seeds[trial % 2]
        argv = ["run", str(BASELINE), "--seed", str(seed), "--out", str(out), "--quiet"]
        pid = forker.start(argv, tmp_path / f"run{trial}.log")
        time.sleep(rng.uniform(0.3 * full, 1.0 * full))
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            os.kill(pid, signal.SIGKILL)
        kills += forker.wait(pid) == -signal.SIGKILL
        if out.exists():  # absent, or exactly one of the two runs
            # (killed while it held the old output's lock, a run leaves that lock file: a
            # stale flock, which the next writer takes over and removes)
            names = sorted(p.name for p in out.iterdir() if p.name != ".lock")
            assert names == ["rounds.parquet", "summary.json"]
            assert pair(out) in expected.values()
    assert kills >= 6
    assert forker.run(["run", str(BASELINE), "--out", str(out), "--quiet"], tmp_path / "l") == 0
    assert sorted(p.name for p in work.iterdir()) == ["out"]  # a killed run's staging is gone
    assert sorted(p.name for p in out.iterdir()) == ["rounds.parquet", "summary.json"]


def shutil_rm(path: Path) -> None:
    import shutil

    shutil.rmtree(path)


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: p.write_text("x"), "is an existing file"),
        (lambda p: (p.mkdir(), (p / "notes.txt").write_text("mine")), "holding no run's output"),
        (lambda p: (p.mkdir(), (p / "manifest.json").write_text("{}")), "a sweep's results"),
        (
            lambda p: (
                p.mkdir(),
                (p / "summary.json").write_text("{}"),
                (p / "x.py").write_text(""),
            ),
            "which negosim did not write",
        ),
    ],
    ids=["file", "foreign directory", "sweep directory", "run plus a foreign file"],
)
def test_a_bad_out_is_refused_before_the_run(tmp_path, capsys, make, said):
    out = tmp_path / "out"
    make(out)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    status, stdout, err = cli(capsys, "run", BASELINE, "--out", out)
    assert status == 2 and said in err and str(out) in err, err
    assert stdout == ""  # refused before the model ran (its account is printed after)
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_an_out_under_an_unwritable_place_is_refused_with_the_reason(capsys):
    status, stdout, err = cli(capsys, "run", BASELINE, "--out", "/proc/negosim/out")
    assert status == 2 and stdout == "" and "cannot write in /proc" in err, err


def test_a_failing_write_leaves_the_previous_run_untouched(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    cli(capsys, "run", BASELINE, "--seed", 3, "--out", out, "--quiet")
    before = pair(out)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", "summary.json")

    monkeypatch.setattr("negosim.results.write_summary_json", full)
    status, _, err = cli(capsys, "run", BASELINE, "--seed", 4, "--out", out, "--quiet")
    assert status == 1 and "No space left on device" in err
    assert pair(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_check_run_out_accepts_absent_empty_and_previous_run_directories(tmp_path):
    check_run_out(None)
    check_run_out(tmp_path / "new" / "deeper")
    (tmp_path / "empty").mkdir()
    check_run_out(tmp_path / "empty")
    with pytest.raises(RunOutError, match="current directory"):
        check_run_out(Path("."))


# --- durable writes -------------------------------------------------------------------------


def test_atomic_path_fsyncs_the_file_then_its_directory(tmp_path, monkeypatch):
    synced: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    final = tmp_path / "data.json"
    with atomic_path(final) as tmp:
        tmp.write_text("{}")
    assert len(synced) == 2
    assert Path(synced[0]).name.startswith(".data.json.") and synced[1] == str(tmp_path)
    assert final.read_text() == "{}"


def test_a_sweep_directory_of_another_kind_is_still_refused(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "data.csv").write_text("a,b\n")
    with pytest.raises(SweepDirectoryError, match="not empty and holds no sweep manifest"):
        run_sweep(load_experiment(write(tmp_path, TINY)), tmp_path / "out", progress=False)
