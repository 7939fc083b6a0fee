"""Damaged results and failing disks: named, never a traceback; resumable where possible.

A finished sweep is damaged one way at a time (its manifest garbage, empty, truncated or
missing a field; its parameter table corrupt; a chunk truncated under its final name or
short of rows). ``load_sweep``, ``negosim plot`` and ``negosim report`` must say which file
and what to do; ``--resume`` must redo a damaged chunk or parameter table and give back
the original dataset bit for bit, and refuse a damaged manifest with the same message. A
write that fails (ENOSPC and EACCES by monkeypatch, EFBIG from ``RLIMIT_FSIZE``, a real
ENOSPC on a small tmpfs where mounting is allowed) stops the sweep with exit 1, naming the
path and the error, and what was finished stays readable and resumable.
"""

from __future__ import annotations

import errno
import json
import os
import re
import resource
import shutil
import signal
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import BASELINE, NEGOSIM, cli, tiny_experiment, write
from negosim.sweep import load_experiment, load_sweep, run_sweep
from negosim.sweep.integrity import DamagedSweepError

EXPERIMENT = tiny_experiment(
    "[deal_reached, final_tariff]",
    name="damaged",
    seed=3,
    replicates=10,
    rounds=6,
    omega="[0.0, 0.75]",
    runs="[deal_reached, final_tariff]",
    kept_rounds="[coercion_level]",
)


def dataset(root: Path) -> dict[str, bytes]:
    """Every result file's bytes (the manifest aside: it records times and commands)."""
    files = [
        "parameters.parquet",
        *(
            f"{t}/{p.name}"
            for t in ("runs", "rounds")
            for p in sorted((root / t).glob("part-*.parquet"))
        ),
    ]
    return {name: (root / name).read_bytes() for name in files}


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    root = tmp_path_factory.mktemp("damage")
    path = write(root, EXPERIMENT)
    run_sweep(
        load_experiment(path), root / "sweep", executor="inline", chunk_runs=4, progress=False
    )
    return path, root / "sweep"


@pytest.fixture
def copy(original, tmp_path):
    experiment, source = original
    target = tmp_path / "sweep"
    shutil.copytree(source, target)
    return experiment, target


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _json_edit(name: str, edit):
    """A damage that rewrites the JSON file ``name`` of a result directory with ``edit``."""

    def damage(root: Path) -> Path:
        path = root / name
        document = json.loads(path.read_text())
        edit(document)
        path.write_text(json.dumps(document))
        return path

    return damage


def _manifest(edit):
    return _json_edit("manifest.json", edit)


def _short_chunk(root: Path) -> Path:
    path = root / "runs" / "part-000002.parquet"
    pq.write_table(pq.read_table(path).slice(0, 2), path)
    return path


def _bytes(name: str, data: bytes):
    def damage(root: Path) -> Path:
        (root / name).write_bytes(data)
        return root / name

    return damage


def _truncated(name: str):
    def damage(root: Path) -> Path:
        truncate(root / name)
        return root / name

    return damage


MANIFEST_DAMAGE = {
    "garbage": _bytes("manifest.json", b"\x89PNG\r\n\x1a\n\x00\xff garbage"),
    "empty": _bytes("manifest.json", b""),
    "truncated": _truncated("manifest.json"),
    "a list": _bytes("manifest.json", b"[1, 2, 3]\n"),
    "no design": _manifest(lambda d: d.pop("design")),
    "points a string": _manifest(lambda d: d["design"].update(points="twenty")),
    "chunks disagree": _manifest(lambda d: d.update(chunks=1)),
}
FILE_DAMAGE = {
    "parameters garbage": _bytes("parameters.parquet", b"not parquet at all"),
    "parameters truncated": _truncated("parameters.parquet"),
    "runs chunk truncated": _truncated("runs/part-000001.parquet"),
    "rounds chunk truncated": _truncated("rounds/part-000003.parquet"),
    "runs chunk short of rows": _short_chunk,
}


def assert_named(status: int, err: str, path: Path, code: int = 2) -> None:
    assert status == code, err
    assert str(path) in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("how", [*MANIFEST_DAMAGE, *FILE_DAMAGE])
def test_load_sweep_names_the_damaged_file(copy, how):
    _, root = copy
    path = {**MANIFEST_DAMAGE, **FILE_DAMAGE}[how](root)
    with pytest.raises(DamagedSweepError) as caught:
        sweep = load_sweep(root)
        sweep.parameters  # noqa: B018 - each table is read lazily
        sweep.runs  # noqa: B018
        sweep.rounds  # noqa: B018
        if how == "runs chunk short of rows":  # reads fine: only the footer check sees it
            from negosim.plots.sweep_source import open_files

            open_files(sweep)
    assert str(path) in str(caught.value)
    assert isinstance(caught.value, ValueError)  # what plot and report already catch


@pytest.mark.parametrize("how", ["garbage", "truncated", "no design"])
@pytest.mark.parametrize("command", ["plot", "report"])
def test_plot_and_report_name_a_damaged_manifest(copy, capsys, how, command):
    _, root = copy
    path = MANIFEST_DAMAGE[how](root)
    status, _, err = cli(capsys, command, root)
    assert_named(status, err, path)
    assert "move" in err and "aside" in err  # what to do


@pytest.mark.parametrize("how", list(FILE_DAMAGE))
@pytest.mark.parametrize("command", ["plot", "report"])
def test_plot_and_report_name_a_damaged_file_and_the_resume_command(copy, capsys, how, command):
    experiment, root = copy
    path = FILE_DAMAGE[how](root)
    status, _, err = cli(capsys, command, root)
    assert_named(status, err, path)
    assert f"negosim sweep {experiment} --out {root} --resume" in err
    assert not (root / "figures").exists() or not any((root / "figures").iterdir())


@pytest.mark.parametrize("how", list(FILE_DAMAGE))
def test_resume_redoes_a_damaged_chunk_or_parameter_table(original, copy, capsys, how):
    experiment, root = copy
    path = FILE_DAMAGE[how](root)
    status, _, err = cli(capsys, "sweep", experiment, "--out", root, "--resume", "--no-progress")
    assert status == 0, err
    if "chunk" in how:
        assert f"redoing a damaged chunk: {path}" in err
    assert dataset(root) == dataset(original[1])


@pytest.mark.parametrize("how", list(MANIFEST_DAMAGE))
def test_resume_refuses_a_damaged_manifest_and_says_what_to_do(copy, capsys, how):
    experiment, root = copy
    before = dataset(root)
    path = MANIFEST_DAMAGE[how](root)
    status, _, err = cli(capsys, "sweep", experiment, "--out", root, "--resume", "--no-progress")
    assert_named(status, err, path)
    assert dataset(root) == before  # nothing was touched


# --- failing writes --------------------------------------------------------------------------


def failing_after(calls: int, code: int):
    """pq.write_table that succeeds ``calls`` times, then fails like a full or locked disk."""
    real = pq.write_table
    count = {"n": 0}

    def write_table(table, where, *args, **kwargs):
        count["n"] += 1
        if count["n"] > calls:
            raise OSError(code, os.strerror(code), str(where))
        return real(table, where, *args, **kwargs)

    return write_table


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES])
def test_a_failing_write_stops_the_sweep_and_keeps_what_was_finished(
    original, tmp_path, capsys, monkeypatch, code
):
    experiment, reference = original
    out = tmp_path / "out"
    monkeypatch.setattr(pq, "write_table", failing_after(5, code))  # a few chunks, then no more
    argv = ["sweep", experiment, "--out", out, "--chunk-size", "4", "--executor", "inline"]
    status, _, err = cli(capsys, *argv, "--no-progress")
    assert status == 1, err
    failed = re.search(rf"cannot write {re.escape(str(out))}/(runs|rounds)/part-(\d+).parquet", err)
    assert failed and f": {os.strerror(code)} (" in err, err
    assert errno.errorcode[code] in err and "--resume" in err and "Traceback" not in err
    assert not [p for p in out.rglob(".*")], "a temporary file or the lock was left"
    sweep = load_sweep(out)
    written = sorted((out / "runs").glob("part-*.parquet"))  # chunks land as they finish
    assert written and f"part-{failed[2]}.parquet" not in [p.name for p in written]
    assert not sweep.complete and len(sweep.runs) == 4 * len(written)  # and stay readable
    monkeypatch.undo()
    status, _, err = cli(capsys, *argv, "--resume", "--no-progress")
    assert status == 0, err
    assert dataset(out) == dataset(reference)


def _limit_file_size(limit: int):
    def setup() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death by signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return setup


def test_a_file_size_limit_stops_the_sweep_cleanly_before_its_manifest(original, tmp_path):
    """A real EFBIG: the first write (the manifest, 60 kB) is over a 16 kB limit."""
    experiment, reference = original
    out = tmp_path / "out"
    argv = [str(NEGOSIM), "sweep", str(experiment), "--out", str(out), "--chunk-size", "4"]
    argv += ["--executor", "inline", "--no-progress"]
    failed = subprocess.run(
        argv, capture_output=True, text=True, preexec_fn=_limit_file_size(16_000), check=False
    )
    assert failed.returncode == 1, failed.stderr
    assert f"cannot write {out / 'manifest.json'}: File too large (EFBIG)" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert not out.exists() or not any(out.iterdir())  # nothing half-written, nothing refused
    again = subprocess.run([*argv, "--resume"], capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert dataset(out) == dataset(reference)


def test_a_full_disk_mid_sweep_keeps_every_finished_chunk(original, tmp_path):
    """A real ENOSPC: the sweep runs on a 96 kB tmpfs in a private mount namespace."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare(1) to mount a small private tmpfs")
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=96k tmpfs {tmp_path}"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {probe.stderr.decode().strip()}")
    experiment, reference = original
    small, kept = tmp_path / "small", tmp_path / "kept"
    small.mkdir()
    script = (
        f"mount -t tmpfs -o size=96k tmpfs {small} && "
        f"{NEGOSIM} sweep {experiment} --out {small}/out --chunk-size 4 --executor inline "
        f"--no-progress; status=$?; cp -a {small}/out {kept}; exit $status"
    )
    failed = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True)
    assert failed.returncode == 1, failed.stderr
    assert f"cannot write {small}/out/" in failed.stderr
    assert "No space left on device (ENOSPC)" in failed.stderr and "Traceback" not in failed.stderr
    sweep = load_sweep(kept)  # what was finished is readable
    assert not sweep.complete and 0 < len(sweep.runs) < 20
    assert not [p.name for p in kept.rglob(".*")]
    status = subprocess.run(
        [str(NEGOSIM), "sweep", str(experiment), "--out", str(kept), "--resume", "--no-progress"],
        capture_output=True,
        text=True,
    )
    assert status.returncode == 0, status.stderr
    assert dataset(kept) == dataset(reference)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod, so no EACCES to meet")
def test_a_read_only_results_directory_stops_the_sweep_with_its_path(original, tmp_path, capsys):
    experiment, _ = original
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        status, _, err = cli(capsys, "sweep", experiment, "--out", out, "--no-progress")
    finally:
        out.chmod(0o755)
    assert status == 1 and "Permission denied (EACCES)" in err and str(out) in err


# --- a run's damaged output directory -------------------------------------------------------


@pytest.fixture(scope="module")
def run_output(tmp_path_factory):
    from negosim.cli import main

    out = tmp_path_factory.mktemp("run") / "out"
    assert main(["run", str(BASELINE), "--out", str(out), "--quiet"]) == 0
    return out


def _summary_edit(edit):
    return _json_edit("summary.json", edit)


RUN_DAMAGE = {
    "summary garbage": _bytes("summary.json", b"\xff\xfe\x00garbage\x80"),
    "summary empty": _bytes("summary.json", b""),
    "summary truncated": _truncated("summary.json"),
    "summary a number": _bytes("summary.json", b"42"),
    "runs not a list": _summary_edit(lambda d: d.update(runs={"a": 1})),
    "a run without its seed": _summary_edit(lambda d: d["runs"][0].pop("seed")),
    "scenario a string": _summary_edit(lambda d: d.update(scenario="baseline")),
    "rounds truncated": _truncated("rounds.parquet"),
    "rounds garbage": _bytes("rounds.parquet", b"PAR1 not really PAR1"),
}


@pytest.mark.parametrize("how", list(RUN_DAMAGE))
@pytest.mark.parametrize("command", ["plot", "report"])
def test_plot_and_report_name_a_damaged_run_directory(run_output, tmp_path, capsys, how, command):
    root = tmp_path / "out"
    shutil.copytree(run_output, root)
    path = RUN_DAMAGE[how](root)
    status, _, err = cli(capsys, command, root)
    assert status == 2, err
    assert str(path) in err and "Traceback" not in err, err
