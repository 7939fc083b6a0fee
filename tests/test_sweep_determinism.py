"""A sweep's dataset is a pure function of its experiment: bit for bit the same whatever runs it.

Same runs and rounds tables (every column, compared as raw bytes) for the inline executor,
process pools of 1 and 2 workers, chunk sizes that do and do not cut across points, Dask
(a local cluster the runner starts itself, and one at a scheduler address), and a sweep
killed half-way (SIGKILL to the whole process group, or Ctrl-C to the driver alone) and
then resumed. A sweep's row is also the row a single :class:`NegotiationModel` run with
the derived seed gives, so sweeps and single runs agree. Killing only the driver must not
leave pool workers behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pyarrow.parquet as pq
import pytest

from conftest import BASELINE, NEGOSIM
from negosim.model import NegotiationModel
from negosim.outcomes import round_frame, run_frame
from negosim.scenario import apply_overrides, scenario_from_mapping
from negosim.sweep import load_experiment, load_sweep, run_sweep
from negosim.sweep.seeds import derive_seeds

# 4 points x 30 replicates; 12 rounds so deals (and their dynamics) happen; keep everything.
SMALL = f"""\
name: determinism
scenario: {BASELINE}
seed: 11
replicates: 30
rounds: 12
design:
  method: grid
  parameters:
    china.omega: {{values: [0.0, 1.0]}}
    agents.us.outside_option: {{values: [0.4, 0.5]}}
"""

# Big enough (60 chunks of 10 runs, a few seconds on 2 workers) to be interrupted half-way.
BIG = f"""\
name: interrupted
scenario: {BASELINE}
seed: 4242
replicates: 100
rounds: 12
design:
  method: grid
  parameters:
    china.omega: {{values: [0.0, 0.5, 1.0]}}
    agents.us.outside_option: {{values: [0.4, 0.5]}}
keep:
  runs: all
  rounds: [coercion_level, deal_in_force, approval, reason]
"""
KEYS = {"point", "replicate", "seed"}  # the sweep's coordinates, not the batch's
BIG_CHUNK = 10
WORKERS_2 = ("--workers", "2", "--no-progress")
BIG_CHUNKS = 6 * 100 // BIG_CHUNK


def assert_identical(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Same columns in the same order, same dtypes, same values bit for bit."""
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    for column in a.columns:
        x, y = a[column], b[column]
        assert x.dtype == y.dtype, column
        if x.dtype.kind in "biufc":
            assert x.to_numpy().tobytes() == y.to_numpy().tobytes(), column
        else:
            assert x.tolist() == y.tolist(), column


def assert_same_dataset(left: Path, right: Path) -> None:
    a, b = load_sweep(left), load_sweep(right)
    assert a.complete and b.complete
    assert_identical(a.parameters, b.parameters)
    assert_identical(a.runs, b.runs)
    assert_identical(a.rounds, b.rounds)


def experiment_file(directory: Path, text: str, name: str = "experiment.yaml") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return load_experiment(experiment_file(tmp_path_factory.mktemp("small"), SMALL))


@pytest.fixture(scope="module")
def reference(small, tmp_path_factory):
    """The small experiment run inline, in a single chunk."""
    out = tmp_path_factory.mktemp("reference") / "out"
    outcome = run_sweep(small, out, executor="inline", progress=False)
    assert (outcome.executor, outcome.chunks, outcome.runs_run) == ("inline", 1, 120)
    return out


# --- executors, workers, chunk sizes ------------------------------------------------------


@pytest.mark.parametrize(
    ("executor", "workers", "chunk", "chunks"),
    [
        ("process", 1, 7, 18),
        ("process", 2, 7, 18),
        ("process", 2, 64, 2),
        ("inline", 1, 64, 2),
        ("inline", 1, 7, 18),
    ],
)
def test_dataset_is_identical_for_every_executor_worker_count_and_chunk_size(
    small, reference, tmp_path, executor, workers, chunk, chunks
):
    outcome = run_sweep(
        small,
        tmp_path / "out",
        workers=workers,
        executor=executor,
        chunk_runs=chunk,
        progress=False,
    )
    assert (outcome.executor, outcome.chunks, outcome.chunks_run) == (executor, chunks, chunks)
    assert len(list((tmp_path / "out" / "runs").glob("part-*.parquet"))) == chunks
    assert_same_dataset(reference, tmp_path / "out")


def test_dataset_is_identical_on_a_local_dask_cluster_started_by_the_runner(
    small, reference, tmp_path
):
    outcome = run_sweep(
        small, tmp_path / "out", workers=2, executor="dask", chunk_runs=16, progress=False
    )
    assert (outcome.executor, outcome.chunks_run) == ("dask", 8)
    assert_same_dataset(reference, tmp_path / "out")


@pytest.fixture(scope="module")
def dask_scheduler():
    """One local Dask cluster (2 worker processes) for the whole module."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=40,
    ) as cluster:
        yield cluster.scheduler_address


def test_dataset_is_identical_on_a_dask_scheduler(small, reference, tmp_path, dask_scheduler):
    outcome = run_sweep(
        small, tmp_path / "a", workers=2, scheduler=dask_scheduler, chunk_runs=7, progress=False
    )
    assert (outcome.executor, outcome.chunks_run) == ("dask", 18)  # a scheduler implies dask
    assert_same_dataset(reference, tmp_path / "a")
    # the same cluster again (its workers' caches are warm now): still the same dataset
    run_sweep(small, tmp_path / "b", scheduler=dask_scheduler, chunk_runs=64, progress=False)
    assert_same_dataset(reference, tmp_path / "b")


# --- sweeps agree with single runs --------------------------------------------------------


@pytest.mark.parametrize(("point", "replicate"), [(0, 0), (1, 17), (2, 29), (3, 5)])
def test_a_sweep_row_is_the_single_run_with_the_derived_seed(small, reference, point, replicate):
    sweep = load_sweep(reference)
    seed = int(derive_seeds(small.spec.seed, point, np.array([replicate]), False)[0])
    scenario = scenario_from_mapping(apply_overrides(small.base_data, small.points[point]))
    model = NegotiationModel(scenario, seeds=[seed], rounds=small.rounds).run()

    runs = sweep.runs[(sweep.runs["point"] == point) & (sweep.runs["replicate"] == replicate)]
    assert len(runs) == 1
    assert int(runs["seed"].iloc[0]) == seed
    for path, value in small.points[point].items():
        assert runs[path].iloc[0] == value
    summary = run_frame(model)
    assert set(summary.columns) <= set(runs.columns)
    compare_columns(runs, summary, exclude=KEYS)

    rounds = sweep.rounds[
        (sweep.rounds["point"] == point) & (sweep.rounds["replicate"] == replicate)
    ]
    table = round_frame(model)
    assert rounds["round"].tolist() == table["round"].tolist()
    assert (rounds["seed"] == np.uint64(seed)).all()
    assert set(table.columns) <= set(rounds.columns)
    compare_columns(rounds, table, exclude=KEYS | {"round"})


def compare_columns(frame: pd.DataFrame, expected: pd.DataFrame, exclude: set[str]) -> None:
    """The sweep's rows equal the single run's frame: same dtypes, numbers bit for bit."""
    for name in expected.columns:
        if name in exclude:
            continue
        want, got = expected[name], frame[name]
        assert len(got) == len(want), name
        assert got.dtype == want.dtype, name
        if want.dtype.kind in "biufc":
            assert got.to_numpy().tobytes() == want.to_numpy().tobytes(), name
        else:
            assert got.tolist() == want.tolist(), name


def test_common_random_numbers_give_every_point_the_same_seeds(tmp_path):
    text = SMALL.replace("replicates: 30", "replicates: 12\ncommon_random_numbers: true")
    text = text.replace("values: [0.0, 1.0]", "values: [0.5, 0.5, 1.0]")
    experiment = load_experiment(experiment_file(tmp_path, text))
    run_sweep(experiment, tmp_path / "out", executor="inline", chunk_runs=5, progress=False)
    runs = load_sweep(tmp_path / "out").runs
    seeds = runs.pivot(index="replicate", columns="point", values="seed")
    expected = derive_seeds(11, 0, np.arange(12), True)
    for point in seeds.columns:
        np.testing.assert_array_equal(seeds[point].to_numpy(), expected)
    assert seeds[0].nunique() == 12
    # points 0 and 2 (and 1 and 3) are the same scenario: with common seeds, the same runs
    outcomes = [c for c in runs.columns if c not in ("point", "china.omega")]
    for a, b in ((0, 2), (1, 3)):
        assert_identical(
            runs[runs["point"] == a][outcomes].reset_index(drop=True),
            runs[runs["point"] == b][outcomes].reset_index(drop=True),
        )


def test_without_common_random_numbers_points_get_their_own_seeds(reference):
    seeds = load_sweep(reference).runs.pivot(index="replicate", columns="point", values="seed")
    assert seeds.stack().nunique() == 120
    for point in seeds.columns:
        np.testing.assert_array_equal(
            seeds[point].to_numpy(), derive_seeds(11, int(point), np.arange(30), False)
        )


def test_run_sweep_works_off_the_main_thread(small, reference, tmp_path):
    errors: list[BaseException] = []

    def target() -> None:
        try:
            run_sweep(small, tmp_path / "out", executor="inline", progress=False)
        except BaseException as err:
            errors.append(err)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    assert not errors, errors
    assert_same_dataset(reference, tmp_path / "out")


# --- interruption and resume --------------------------------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return experiment_file(tmp_path_factory.mktemp("big"), BIG)


@pytest.fixture(scope="module")
def big_reference(big, tmp_path_factory):
    """The big experiment, uninterrupted (process pool, another chunk size)."""
    out = tmp_path_factory.mktemp("big_reference") / "out"
    run_sweep(
        load_experiment(big), out, workers=2, executor="process", chunk_runs=64, progress=False
    )
    return out


def start_sweep(experiment: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(NEGOSIM),
            "sweep",
            str(experiment),
            "--out",
            str(out),
            "--chunk-size",
            str(BIG_CHUNK),
            "--workers",
            "2",
            "--no-progress",
        ],
        cwd=out.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A shell that runs the suite in the background starts it with SIGINT ignored, and a
        # child inherits that, so the Ctrl-C test would test nothing: give the sweep the
        # default disposition a terminal would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        text=True,
        start_new_session=True,  # its own process group: killpg reaches the pool workers
    )


def wait_for_first_chunk(process: subprocess.Popen, out: Path, timeout: float = 60) -> None:
    """Return once a chunk is on disk while the sweep is still unfinished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"sweep ended early ({process.returncode}): {process.stderr.read()}")
        if any((out / "runs").glob("part-*.parquet")):
            manifest = json.loads((out / "manifest.json").read_text())
            assert manifest["finished"] is None, "finished before it could be interrupted"
            return
        time.sleep(0.005)
    pytest.fail("no chunk was written in time")


def kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def done_parts(out: Path) -> set[int]:
    return {int(p.stem.split("-")[1]) for p in (out / "runs").glob("part-*.parquet")}


def assert_interrupted(out: Path) -> set[int]:
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["finished"] is None
    assert manifest["chunks"] == BIG_CHUNKS and manifest["chunk_runs"] == BIG_CHUNK
    done = done_parts(out)
    assert 1 <= len(done) < BIG_CHUNKS, "the interruption came too late to test anything"
    for part in [*out.glob("runs/part-*.parquet"), *out.glob("rounds/part-*.parquet")]:
        assert pq.read_metadata(part).num_rows > 0  # a final name means a complete file
    return done


def plant_debris(out: Path, done: set[int]) -> list[Path]:
    """Half-written temporary files, and a rounds file of a chunk whose runs never landed."""
    fakes = [
        out / "runs" / ".part-000099.parquet.abc.tmp",
        out / "rounds" / ".part-000003.parquet.k9x.tmp",
        out / ".manifest.json.zz.tmp",
    ]
    for fake in fakes:
        fake.parent.mkdir(exist_ok=True)
        fake.write_bytes(b"PAR1 half a file")
    missing = max(set(range(BIG_CHUNKS)) - done)
    shutil.copy(
        out / "rounds" / f"part-{min(done):06d}.parquet",
        out / "rounds" / f"part-{missing:06d}.parquet",
    )
    return fakes


def tmp_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.tmp"))


def test_sigkill_of_the_whole_sweep_then_resume_gives_the_same_dataset(
    big, big_reference, tmp_path
):
    out = tmp_path / "out"
    process = start_sweep(big, out)
    try:
        wait_for_first_chunk(process, out)
        os.killpg(process.pid, signal.SIGKILL)
        assert process.wait(30) == -signal.SIGKILL
    finally:
        kill_group(process)
    done = assert_interrupted(out)
    fakes = plant_debris(out, done)

    resumed = subprocess.run(
        [str(NEGOSIM), "sweep", str(big), "--out", str(out), "--resume", *WORKERS_2],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    ran = re.search(r"ran (\d+) runs in (\d+) chunks \(process\)", resumed.stdout)
    assert ran, resumed.stdout
    assert int(ran.group(2)) == BIG_CHUNKS - len(done)
    assert int(ran.group(1)) == (BIG_CHUNKS - len(done)) * BIG_CHUNK
    assert "Agreement rate per point" in resumed.stdout

    assert not any(f.exists() for f in fakes)
    assert tmp_files(out) == []
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["finished"] and manifest["resumed"] == ["unfinished"]
    assert done_parts(out) == set(range(BIG_CHUNKS))
    assert_same_dataset(big_reference, out)


def test_ctrl_c_to_the_driver_stops_cleanly_and_resume_completes_it(big, big_reference, tmp_path):
    out = tmp_path / "out"
    process = start_sweep(big, out)
    try:
        wait_for_first_chunk(process, out)
        process.send_signal(signal.SIGINT)  # the driver only, as a terminal's Ctrl-C would
        stdout, stderr = process.communicate(timeout=60)
    finally:
        kill_group(process)
    assert process.returncode == 130, stderr
    assert (
        f"interrupted: finished chunks are saved in {out}; run the same command with "
        "--resume to complete it"
    ) in stderr
    assert "Traceback" not in stderr
    assert "Agreement rate" not in stdout
    # Only hidden temporary files may be left (a Ctrl-C inside mkstemp can leave an empty
    # one, which resume removes); every file under a final name is complete.
    assert all(p.name.startswith(".") for p in tmp_files(out))
    done = assert_interrupted(out)
    fakes = plant_debris(out, done)

    # resuming keeps the manifest's chunking, whatever chunk size is asked for now
    outcome = run_sweep(
        load_experiment(big),
        out,
        workers=2,
        executor="process",
        resume=True,
        chunk_runs=64,
        progress=False,
    )
    assert outcome.chunks == BIG_CHUNKS
    assert outcome.chunks_run == BIG_CHUNKS - len(done)
    assert outcome.runs_run == outcome.chunks_run * BIG_CHUNK
    assert not any(f.exists() for f in fakes)
    assert tmp_files(out) == []
    assert_same_dataset(big_reference, out)


def test_killing_only_the_driver_leaves_no_orphan_workers(big, tmp_path):
    out = tmp_path / "out"
    process = start_sweep(big, out)
    try:
        wait_for_first_chunk(process, out)
        children = psutil.Process(process.pid).children(recursive=True)
        assert len(children) >= 2, children  # the two pool workers
        os.kill(process.pid, signal.SIGKILL)  # the driver alone, not its group
        process.wait(30)
        deadline = time.monotonic() + 5
        alive = children
        while alive and time.monotonic() < deadline:
            alive = [c for c in alive if running(c)]
            time.sleep(0.05)
        assert not alive, f"orphaned workers survive the driver: {alive}"
    finally:
        kill_group(process)


def running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_repeated_sweeps_in_one_process_all_complete_and_agree(small, reference, tmp_path):
    """A notebook runs several sweeps in one process: after the first, the driver has other
    threads, so workers come from a fork server; its workers must not mistake the server
    for a dead driver (they used to exit after a second: BrokenProcessPool)."""
    for i, workers in enumerate((2, 1, 2)):
        out = tmp_path / f"again{i}"
        run_sweep(small, out, workers=workers, executor="process", chunk_runs=7, progress=True)
        assert_same_dataset(reference, out)


def test_default_chunking_gives_every_worker_the_same_number_of_chunks():
    from negosim.sweep.plan import balanced_chunk_runs, plan_chunks

    assert balanced_chunk_runs(120, 2) == 120  # tiny: one chunk, inline
    for total, workers in ((10_000, 2), (16_000, 2), (51_200, 2), (4_001, 2), (10_000, 3)):
        size = balanced_chunk_runs(total, workers)
        chunks = plan_chunks(total, 1, size)
        assert len(chunks) % workers == 0
        assert sum(c.runs for c in chunks) == total
