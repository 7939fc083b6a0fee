"""How fast the seminar page answers: a step on the server, the page's re-render, the comparison.

    .venv/bin/python benchmarks/seminar_speed.py            # server side (~30 s)
    .venv/bin/python benchmarks/seminar_speed.py --browser  # also click Step in Chromium

Goals (issue 9): stepping a round answers within 100 ms on the server (p95), the page
re-renders within a quarter of a second, "compare with baseline" returns within 2 s. The
step figure is what a click costs the server: the model's round, the copy kept for the
round scrubber, and the round's view; wall and CPU time are both shown (wall well above
CPU means other processes competed for the cores).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from negosim.seminar import compare as comparing  # noqa: E402
from negosim.seminar.library import PresetLibrary  # noqa: E402
from negosim.seminar.session import SeminarSession  # noqa: E402
from negosim.seminar.views import round_view  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def step_times(library: PresetLibrary, sessions: int) -> tuple[list[float], list[float]]:
    """(wall, cpu) milliseconds of step + view, every round of ``sessions`` runs."""
    wall, cpu = [], []
    for preset in library.names() * (sessions // len(library.names()) + 1):
        if len(wall) >= sessions * 12:
            break
        session = SeminarSession(library, preset)
        while not session.finished:
            w, c = time.perf_counter(), time.process_time()
            session.step()
            round_view(session.model, session.round)
            wall.append(1000 * (time.perf_counter() - w))
            cpu.append(1000 * (time.process_time() - c))
    return wall, cpu


def compare_time(library: PresetLibrary, repeats: int) -> list[float]:
    """Seconds of 1,000 runs of a changed setting (the baseline's batch already cached)."""
    session = SeminarSession(library)
    session.apply({**session.settings.values, "china.omega": 0.9}, 1, 12)
    comparing.baseline_distribution(library[library.first].scenario)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        rows = comparing.compare(
            comparing.distribution(session.scenario),
            comparing.baseline_distribution(library[library.first].scenario),
        )
        times.append(time.perf_counter() - started)
        assert rows
    return times


def browser_times(clicks: int) -> list[float]:
    """Milliseconds from a click on Step to the new round's title on screen, in Chromium."""
    import socket

    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "negosim.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        while "instructor view" not in proc.stdout.readline():
            pass
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector('[data-testid="step"]')
            for k in range(1, clicks + 1):
                started = time.perf_counter()
                page.click('[data-testid="step"]')
                page.wait_for_selector(f"text=/^Round {k} \\(/")
                times.append(1000 * (time.perf_counter() - started))
            browser.close()
        return times
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=14, help="runs of 12 rounds (default 14)")
    parser.add_argument("--repeats", type=int, default=5, help="comparisons (default 5)")
    parser.add_argument("--browser", action="store_true", help="also time clicks in Chromium")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"cores {os.cpu_count()}, load average {load[0]:.1f} at start")
    library = PresetLibrary(ROOT / "configs" / "baseline.yaml")
    SeminarSession(library).step()  # warm caches and imports
    wall, cpu = step_times(library, args.sessions)
    print(
        f"step + view, {len(wall)} rounds over {len(library.names())} presets: wall median "
        f"{statistics.median(wall):.1f} ms, p95 {percentile(wall, 0.95):.1f} ms, max "
        f"{max(wall):.1f} ms; CPU median {statistics.median(cpu):.1f} ms, p95 "
        f"{percentile(cpu, 0.95):.1f} ms (goal: p95 < 100 ms)"
    )
    times = compare_time(library, args.repeats)
    print(
        f"compare with baseline (1,000 runs of the current settings, baseline cached): "
        f"median {statistics.median(times):.2f} s, max {max(times):.2f} s (goal: < 2 s)"
    )
    if args.browser:
        clicks = browser_times(10)
        print(
            f"click Step -> new round on screen, Chromium, {len(clicks)} clicks: median "
            f"{statistics.median(clicks):.0f} ms, max {max(clicks):.0f} ms (goal: < 250 ms)"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at end")


if __name__ == "__main__":
    main()
