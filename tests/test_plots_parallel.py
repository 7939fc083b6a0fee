"""negosim.plots.parallel: forked chart drawing returns what in-process drawing returns."""

from __future__ import annotations

import os
import threading
import warnings
from pathlib import Path

import pytest

from negosim.plots.parallel import draw_jobs


def _pid_job(i: int):
    def job() -> Path | None:
        if i == 2:
            warnings.warn(f"chart {i} not drawn", stacklevel=1)
            return None
        return Path(f"{i}-{os.getpid()}")

    return job


def test_jobs_run_in_forked_workers_in_order_with_their_warnings_reissued():
    with pytest.warns(UserWarning, match="chart 2 not drawn"):
        paths = draw_jobs([_pid_job(i) for i in range(6)], workers=2)
    assert [p.name.split("-")[0] for p in paths] == ["0", "1", "3", "4", "5"]
    assert all(p.name.split("-")[1] != str(os.getpid()) for p in paths)


def test_one_worker_or_few_jobs_draw_in_this_process():
    for jobs, workers in ((6, 1), (3, 2)):
        paths = draw_jobs([_pid_job(i) for i in range(jobs) if i != 2], workers=workers)
        assert {p.name.split("-")[1] for p in paths} == {str(os.getpid())}


def test_with_another_thread_running_nothing_is_forked():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        paths = draw_jobs([_pid_job(i) for i in (0, 1, 3, 4, 5)], workers=2)
    finally:
        stop.set()
        other.join()
    assert {p.name.split("-")[1] for p in paths} == {str(os.getpid())}


def _failing() -> Path | None:
    raise ValueError("a chart failed")


def test_a_failing_chart_fails_the_draw_with_its_own_error():
    with pytest.raises(ValueError, match="a chart failed"):
        draw_jobs([_pid_job(0), _pid_job(1), _failing, _pid_job(3)], workers=2)
