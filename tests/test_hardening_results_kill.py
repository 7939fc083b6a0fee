"""Kill a sweep at random moments, resume it, and get exactly the uninterrupted dataset.

Each trial starts ``negosim sweep`` of a tiny experiment (2 points × 20 replicates, chunks
of 4 runs), SIGKILLs its process group after a delay drawn from a seeded RNG (a quarter of
them in the first 0.15 s, before the manifest exists; the very first trial at once), then
runs ``--resume``, which may itself be killed, until one exits 0. The final runs and rounds
tables must equal an uninterrupted run's bit for bit, chunk file by chunk file, with no
duplicate and no missing run, no temporary file and no lock left behind.

Commands are forked from a parent that imported negosim once (tests/forker.py: start-up
takes ~5 s here); one trial uses the real console script. ``NEGOSIM_KILL_TRIALS`` sets the
number of trials (default 20, about 30 s); the summary line shows where the kills landed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import NEGOSIM, ROOT, tiny_experiment, write

TRIALS = int(os.environ.get("NEGOSIM_KILL_TRIALS", "20"))
SEED = int(os.environ.get("NEGOSIM_KILL_SEED", "20250110"))

EXPERIMENT = tiny_experiment(
    "[deal_reached]",
    name="killed",
    seed=11,
    replicates=20,
    rounds=6,
    omega="[0.0, 0.75]",
    runs="[deal_reached, final_tariff, china_max_level]",
    kept_rounds="[coercion_level]",
)
CHUNKS = 10  # 40 runs in chunks of 4


class Forker:
    """The client of tests/forker.py."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "forker.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    def _ask(self, request: list[object]) -> int:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return int(json.loads(self.process.stdout.readline()))

    def start(self, argv: list[str], log: Path) -> int:
        return self._ask(["start", argv, str(log)])

    def wait(self, pid: int) -> int:
        return self._ask(["wait", pid])

    def run(self, argv: list[str], log: Path) -> int:
        return self.wait(self.start(argv, log))

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def forker():
    client = Forker()
    yield client
    client.close()


def sweep_argv(experiment: Path, out: Path, executor: str, resume: bool) -> list[str]:
    argv = ["sweep", str(experiment), "--out", str(out), "--chunk-size", "4", "--workers", "1"]
    argv += ["--executor", executor, "--no-progress"]
    return argv + (["--resume"] if resume else [])


def state(out: Path) -> str:
    """Where a kill left the directory: what a resume starts from."""
    if not out.exists():
        return "no directory"
    if not (out / "manifest.json").exists():
        return "no manifest"
    done = len(list((out / "runs").glob("part-*.parquet"))) if (out / "runs").exists() else 0
    if done == 0:
        return "manifest, no chunk"
    return "all chunks" if done == CHUNKS else "some chunks"


def chunk_files(out: Path) -> dict[str, bytes]:
    return {
        f"{table}/{p.name}": p.read_bytes()
        for table in ("runs", "rounds")
        for p in sorted((out / table).glob("part-*.parquet"))
    }


def assert_same_dataset(out: Path, reference: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["finished"], "the manifest does not record the end"
    runs = pq.read_table(out / "runs").sort_by([("point", "ascending"), ("replicate", "ascending")])
    keys = list(zip(runs["point"].to_pylist(), runs["replicate"].to_pylist(), strict=True))
    assert len(keys) == 40 and len(set(keys)) == 40, "a duplicate or missing run"
    expected = pq.read_table(reference / "runs").sort_by(
        [("point", "ascending"), ("replicate", "ascending")]
    )
    assert runs.equals(expected, check_metadata=True)
    assert chunk_files(out) == chunk_files(reference), "a chunk file differs in its bytes"
    assert (out / "parameters.parquet").read_bytes() == (
        reference / "parameters.parquet"
    ).read_bytes()
    left = [p.name for p in out.rglob(".*")]
    assert not left, f"left behind: {left}"


@pytest.fixture(scope="module")
def setup(forker, tmp_path_factory):
    root = tmp_path_factory.mktemp("kill")
    experiment = write(root, EXPERIMENT)
    for name in ("warm-up", "reference"):  # the first child also pays for lazy imports
        started = time.perf_counter()
        status = forker.run(sweep_argv(experiment, root / name, "inline", False), root / "ref.log")
        assert status == 0, (root / "ref.log").read_text()
    return root, experiment, root / "reference", time.perf_counter() - started


def test_sigkill_at_random_moments_then_resume_gives_the_uninterrupted_dataset(forker, setup):
    root, experiment, reference, full = setup
    rng = random.Random(SEED)
    landed: Counter[str] = Counter()
    kills = 0
    for trial in range(TRIALS):
        out = root / f"trial{trial}"
        executor = "process" if trial % 4 == 3 else "inline"
        log = root / f"trial{trial}.log"
        resume = False
        for attempt in range(8):
            argv = sweep_argv(experiment, out, executor, resume)
            if attempt == 0:
                early = trial == 0 or rng.random() < 0.25
                delay = 0.0 if trial == 0 else rng.uniform(0, 0.15 if early else 1.1 * full)
            elif attempt == 1 and rng.random() < 0.5:
                delay = rng.uniform(0, full)  # kill the resume too
            else:
                delay = None
            pid = forker.start(argv, log)
            if delay is not None:
                time.sleep(delay)
                try:
                    os.killpg(pid, signal.SIGKILL)  # the driver and its pool workers
                except ProcessLookupError:  # so early that it has no session of its own yet
                    os.kill(pid, signal.SIGKILL)
            status = forker.wait(pid)
            if status == -signal.SIGKILL:
                kills += 1
                landed[state(out)] += 1
            elif status != 0:
                pytest.fail(f"trial {trial} attempt {attempt}: exit {status}\n{log.read_text()}")
            resume = True
            if status == 0:
                break
        else:
            pytest.fail(f"trial {trial}: no attempt finished")
        assert_same_dataset(out, reference)
    print(f"\n{TRIALS} trials, {kills} kills (a run takes {full:.2f} s); left: {dict(landed)}")
    assert kills >= TRIALS // 2  # most kills land before the sweep ends (it varies with load)


def test_a_real_negosim_process_killed_mid_sweep_resumes_to_the_same_dataset(setup):
    root, experiment, reference, _ = setup
    out = root / "console"
    argv = [str(NEGOSIM), *sweep_argv(experiment, out, "process", False)]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list((out / "runs").glob("part-*.parquet")) and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    process.kill()
    process.wait()
    resumed = subprocess.run(
        [str(NEGOSIM), *sweep_argv(experiment, out, "inline", True)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert_same_dataset(out, reference)
