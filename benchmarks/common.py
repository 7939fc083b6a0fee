"""Machinery shared by the benchmark scripts: timing, whole-process measurement, memory,
the machine and code they ran on, and profile tables.

Everything here imports the standard library only (psutil, mesa and numpy are imported
inside the functions that need them): a benchmark's parent process must stay small, since
on Linux a child's ``ru_maxrss`` starts from its parent's high-water mark.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "configs" / "baseline.yaml"
EXPERIMENT = ROOT / "experiments" / "bench_grid.yaml"
ROUNDS = 12
MB = 1024.0 * 1024.0
SAMPLE_INTERVAL_S = 0.05  # memory of a process tree: one sample every 50 ms

# sweep_speed.py: the grid's two parameters, the outcomes both paths must agree on, goals
OMEGA = "china.omega"
THREAT = "agents.us.tariff_threat.probability"
CHECK_COLUMNS = ("deal_reached", "china_max_level", "first_deal_round")
MESA_SEED0 = 20251125  # batch_run seeds: MESA_SEED0 + iteration
GOAL_WALL_S = 2.0  # 10,000 baseline runs in under 2 s wall
GOAL_RATIO = 100.0  # at least 100 x the runs per second of mesa.batch_run

Json = dict[str, Any]
Stats = dict[tuple[str, int, str], tuple[int, int, float, float, Any]]


# -- statistics of repeated timings --------------------------------------------------------
def summary_of(samples: Sequence[float]) -> Json:
    """Median (typical), min (least disturbed) and every sample, in the samples' unit."""
    return {"median": statistics.median(samples), "min": min(samples), "samples": list(samples)}


def median_of(rows: Sequence[Json], key: str) -> float:
    """Median of one field over rows."""
    return statistics.median(row[key] for row in rows)


# -- CPU and memory of this process and its children ----------------------------------------
def children_rusage() -> resource.struct_rusage:
    """Resources of this process's waited-for descendants."""
    return resource.getrusage(resource.RUSAGE_CHILDREN)


def cpu_seconds(before: resource.struct_rusage, after: resource.struct_rusage) -> float:
    """User + system time between two getrusage snapshots."""
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def maxrss_bytes() -> int:
    """Peak resident set size of this process so far, in bytes."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss) if sys.platform == "darwin" else int(rss) * 1024  # Linux reports KiB


def maxrss_mb(who: int) -> float:
    """ru_maxrss of RUSAGE_SELF or RUSAGE_CHILDREN in MB (Linux reports KiB)."""
    rss = resource.getrusage(who).ru_maxrss
    return rss / MB if sys.platform == "darwin" else rss / 1024.0


def current_rss_bytes() -> int | None:
    """Resident set size of this process right now, in bytes (Linux only)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def machine_busy_s() -> float:
    """CPU seconds spent by every process on the machine since boot (/proc/stat; 0 if none).

    Its increase over a measurement, minus our own processes' CPU time, is what other
    processes took meanwhile: on a shared 2-core machine that is the noise to know about.
    """
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def others_cores(busy: float, ours: float, wall: float) -> float:
    """Cores other processes used during a measurement (machine busy time minus ours)."""
    return max(busy - ours, 0.0) / wall if wall > 0 else 0.0


class TreeSampler(threading.Thread):
    """Samples the memory of a process and all its descendants every ``interval`` s."""

    def __init__(self, pid: int, interval: float = SAMPLE_INTERVAL_S) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.stop = threading.Event()
        self.peak_rss = self.peak_pss = self.peak_uss = 0
        self.peak_driver_rss = self.peak_worker_rss = 0
        self.max_processes = self.samples = 0

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self.stop.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            rss = pss = uss = 0
            for proc in tree:
                try:
                    info = proc.memory_full_info()
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
                rss, pss, uss = rss + info.rss, pss + info.pss, uss + info.uss
                if proc.pid == self.pid:
                    self.peak_driver_rss = max(self.peak_driver_rss, info.rss)
                else:
                    self.peak_worker_rss = max(self.peak_worker_rss, info.rss)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_uss = max(self.peak_uss, uss)
            self.max_processes = max(self.max_processes, len(tree))
            self.samples += 1
            self.stop.wait(self.interval)

    def result(self) -> Json:
        """Peaks in MB."""
        return {
            "samples": self.samples,
            "interval_s": self.interval,
            "max_processes": self.max_processes,
            "peak_tree_rss_mb": self.peak_rss / MB,
            "peak_tree_pss_mb": self.peak_pss / MB,
            "peak_tree_uss_mb": self.peak_uss / MB,
            "peak_driver_rss_mb": self.peak_driver_rss / MB,
            "peak_worker_rss_mb": self.peak_worker_rss / MB,
        }


# -- whole processes -------------------------------------------------------------------------
def run_timed(
    command: Sequence[str], keep_stdout: bool = True
) -> tuple[subprocess.CompletedProcess[str], float, float, float]:
    """Run a command to the end: (result, wall s, CPU s of its tree, cores others used).

    Without ``keep_stdout`` its output goes to /dev/null, as a user's would to a terminal
    they do not read, so collecting it is not timed.
    """
    before, busy0 = children_rusage(), machine_busy_s()
    start = time.perf_counter()
    stdout = subprocess.PIPE if keep_stdout else subprocess.DEVNULL
    done = subprocess.run(
        command, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE, text=True, check=False
    )
    wall = time.perf_counter() - start
    busy = machine_busy_s() - busy0
    cpu = cpu_seconds(before, children_rusage())
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    return done, wall, cpu, others_cores(busy, cpu, wall)


def time_process(command: Sequence[str], repeats: int) -> Json:
    """Wall and CPU time of a command, after one untimed warm-up run (so the page cache is
    warm, as it is for a user running it twice).
    """
    run_timed(command, keep_stdout=False)
    runs = [run_timed(command, keep_stdout=False) for _ in range(repeats)]
    return {
        "command": list(command),
        "wall_s": summary_of([wall for _, wall, _, _ in runs]),
        "cpu_s": summary_of([cpu for _, _, cpu, _ in runs]),
    }


def run_child(
    script: str | Path, args: Sequence[str], sample: bool = False, timeout: float | None = None
) -> tuple[Json, float, float, Json | None]:
    """Run ``script --child ...`` (a benchmark measuring in a fresh process): its JSON (the
    last line of its stdout), wall s, CPU s of its tree, and memory peaks if ``sample``.
    """
    command = [sys.executable, str(Path(script).resolve()), "--child", *args]
    before = children_rusage()
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sampler = TreeSampler(proc.pid) if sample else None
    if sampler:
        sampler.start()
    out, err = proc.communicate(timeout=timeout)
    wall = time.perf_counter() - start
    if sampler:
        sampler.stop.set()
        sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"child {' '.join(args)} exited {proc.returncode}:\n{err}")
    cpu = cpu_seconds(before, children_rusage())
    return json.loads(out.strip().splitlines()[-1]), wall, cpu, sampler and sampler.result()


def negosim_executable() -> Path:
    """The console script installed next to this interpreter (``.venv/bin/negosim``)."""
    # Not resolved: the venv's python is a symlink and resolving it would leave the venv.
    script = Path(sys.executable).parent / "negosim"
    if not script.exists():
        raise SystemExit(f"no negosim console script next to {sys.executable}")
    return script


def sweep_command(out: Path, workers: int, experiment: Path = EXPERIMENT) -> list[str]:
    """The ``negosim sweep`` command line the benchmarks time and sample."""
    return [str(negosim_executable()), "sweep", str(experiment), "--out", str(out),
            "--workers", str(workers), "--no-progress"]  # fmt: skip


# -- what was measured, on what --------------------------------------------------------------
def source_fingerprint() -> Json:
    """Which code was measured: the commit, and a hash of src/negosim/**/*.py as it is on
    disk (the working tree may differ from the commit). Read-only.
    """
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "negosim").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {"commit": commit, "src_sha256": digest.hexdigest()}


def load_average() -> list[float]:
    """1, 5 and 15 minute load averages (empty where the platform has none)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, or what platform knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info() -> Json:
    """What the figures were measured on (imports mesa and numpy for their versions)."""
    import mesa
    import numpy as np

    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "cpu_model": cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "numpy": np.__version__,
        "mesa": mesa.__version__,
        "load_average_start": load_average(),
    }


# -- profiles --------------------------------------------------------------------------------
def short_name(key: tuple[str, int, str]) -> str:
    """``negosim/core/offers.py:41(best)`` rather than the absolute path."""
    filename, line, function = key
    for marker in ("/src/", "/site-packages/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}:{line}({function})" if line else function


def profile_stats(profiler: Any) -> Stats:
    """The raw table of a ``cProfile.Profile``: key -> (cc, ncalls, tottime, cumtime, ...)."""
    import pstats

    return pstats.Stats(profiler).stats  # type: ignore[attr-defined,no-any-return]


def ranked_rows(stats: Stats, top: int, leave_out: str) -> Json:
    """The ``top`` functions by cumulative and by own time, without the harness file."""

    def rows(sort: Callable[[tuple[int, int, float, float, Any]], float]) -> list[Json]:
        kept = [item for item in stats.items() if item[0][0] != leave_out]
        ranked = sorted(kept, key=lambda item: sort(item[1]), reverse=True)[:top]
        return [
            {"function": short_name(key), "ncalls": nc, "tottime_s": tt, "cumtime_s": ct}
            for key, (_, nc, tt, ct, _) in ranked
        ]

    return {"cumulative": rows(lambda row: row[3]), "tottime": rows(lambda row: row[2])}


# -- output ----------------------------------------------------------------------------------
def fmt_s(seconds: float) -> str:
    """Seconds with a sensible number of digits."""
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def print_profile_tables(prof: Json, width: int = 52) -> None:
    """The cProfile top rows, by cumulative and by own time."""
    for title, key in (("by cumulative time", "cumulative"), ("by own time", "tottime")):
        print(f"   top {len(prof[key])} {title}:{'':<{width - 28}} ncalls   tottime   cumtime")
        for row in prof[key]:
            print(
                f"   {row['function'][:width]:<{width}} {row['ncalls']:>8} "
                f"{row['tottime_s']:>8.3f}s {row['cumtime_s']:>8.3f}s"
            )


def print_machine(machine: Json, code: Json) -> None:
    """The machine and code lines every benchmark prints under its title."""
    print(
        f"machine: {machine['cpu_count']} CPUs ({machine['cpus_usable']} usable), "
        f"{machine['cpu_model']}; Python {machine['python']}, numpy {machine['numpy']}, "
        f"mesa {machine['mesa']}"
    )
    print(f"         {machine['platform']}")
    print(f"code: commit {code['commit'][:12]}, src/negosim sha256 {code['src_sha256'][:12]}")


def write_json(path: Path | None, report: Json) -> None:
    """Save every figure and sample (``--json``), if asked."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {path}")
