"""The seminar page in a real browser: Debian's Chromium driven by Playwright.

One server (``negosim serve`` on a free localhost port) for the module; each test opens
its own browser context, i.e. its own session. Every request the page makes is recorded,
and the tests fail if any leaves 127.0.0.1: the page must work with no network at all.
Screenshots go to ``$NEGOSIM_SCREENSHOTS`` (default: pytest's tmp dir).

Locally the tests skip when Chromium or Playwright is absent, saying so; in CI (``CI`` set)
they fail instead, because ``.ci/run`` installs both.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = Path(os.environ.get("NEGOSIM_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    return None


MISSING = _missing()
if MISSING and os.environ.get("CI"):
    raise RuntimeError(f"browser tests need Chromium and Playwright in CI: {MISSING}")
pytestmark = pytest.mark.skipif(MISSING is not None, reason=str(MISSING))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, str]]:
    port = _free_port()
    command = [sys.executable, "-m", "negosim.cli", "serve", "--port", str(port)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    deadline = time.monotonic() + 90
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "instructor view:" in line:
            break
    key = re.search(r"key=(\S+)", "".join(lines))
    if key is None:
        proc.kill()
        pytest.fail("negosim serve did not start:\n" + "".join(lines))
    try:
        yield {"url": f"http://127.0.0.1:{port}", "key": key.group(1), "log": "".join(lines)}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("NEGOSIM_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


class Tab:
    """A browser context (one session) with every request it made."""

    def __init__(self, browser, server: dict[str, str]) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 720})
        self.requests: list[str] = []
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.set_default_timeout(15_000)
        self.page.goto(server["url"] + "/")
        self.page.wait_for_selector('[data-testid="step"]')

    def click(self, testid: str) -> None:
        self.page.click(f'[data-testid="{testid}"]')

    def slide(self, testid: str, share: float) -> None:
        """Click a slider's track at ``share`` of its width."""
        box = self.page.locator(f'[data-testid="{testid}"]').bounding_box()
        assert box is not None, testid
        self.page.mouse.click(box["x"] + share * box["width"], box["y"] + box["height"] / 2)

    def text(self, testid: str) -> str:
        return self.page.locator(f'[data-testid="{testid}"]').first.inner_text()

    def step(self, times: int = 1) -> None:
        for _ in range(times):
            before = self.text("status")
            self.click("step")
            self.page.wait_for_function(
                "(b) => document.querySelector('[data-testid=status]').innerText !== b", arg=before
            )

    def outside(self) -> list[str]:
        local = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/|^data:|^blob:")
        return [url for url in self.requests if not local.match(url)]


def test_serve_binds_localhost_and_prints_the_instructor_key(server):
    assert "listening on 127.0.0.1" in server["log"]
    assert f"instructor view: {server['url']}/instructor?key=" in server["log"]


def test_step_explain_and_nothing_leaves_localhost(browser, server, shots):
    tab = Tab(browser, server)
    tab.page.screenshot(path=str(shots / "seminar_start.png"))
    # change a control: ω to spiral (keyboard on the slider), apply, and see it took effect
    tab.page.wait_for_selector("text=ω: deterrence (0) ↔ spiral (1): 0.5")
    tab.slide("china.omega", 0.9)
    tab.page.wait_for_selector("text=ω: deterrence (0) ↔ spiral (1): 0.9")
    tab.click("apply")
    tab.page.wait_for_selector("text=Settings applied")
    tab.step(3)
    assert tab.text("status").startswith("Round 3 of 12")
    # the round panel is refreshed after the status line: wait for it, do not race it
    tab.page.wait_for_selector('[data-testid="round-title"] >> text=Round 3 (Apr 2025)')
    table = tab.text("offer-table")
    for issue in ("security commitment", "tariff", "defense budget", "investment pledge"):
        assert issue in table
    explanation = tab.page.locator('[data-testid="explanation"]').all_inner_texts()
    # negosim.explain's reason, and the smallest change that would have flipped it
    text = " ".join(explanation)
    assert text.startswith("Why: The offer is worth") and "would have been accepted" in text
    tab.page.screenshot(path=str(shots / "seminar_round3.png"))
    # the charts of negosim plot, for rounds 1-3
    tab.click("tab-Charts")
    tab.page.wait_for_selector('[data-stem="offers"]', timeout=60_000)
    tab.page.wait_for_selector("text=Rounds 1-3, drawn by the functions of negosim plot")
    tab.click("tab-Round")
    # the scrubber goes back: round 1 is shown again
    tab.slide("scrubber", 0.0)
    tab.page.wait_for_selector("text=Round 0: nothing played yet")
    assert tab.outside() == [], f"requests left localhost: {tab.outside()}"
    tab.context.close()


def test_seat_event_and_two_sessions_stay_apart(browser, server, shots):
    one, two = Tab(browser, server), Tab(browser, server)
    one.page.click('[data-testid="seat-choice"]')
    one.page.click("text=I play Japan")
    one.page.wait_for_selector('[data-testid="seat"]')
    # round 1: the US proposes and Japan (the student) answers
    one.page.wait_for_selector('[data-testid="accept"]')
    one.click("reject")
    one.page.wait_for_selector("text=Round 1 (Feb 2025)")
    assert "rejected" in one.text("response-text")
    # round 2: the student proposes a package
    one.page.wait_for_selector('[data-testid="propose"]')
    one.click("propose")
    one.page.wait_for_selector("text=Round 2 (Mar 2025)")
    one.page.screenshot(path=str(shots / "seminar_seat.png"))
    # the instructor injects a collision at sea at round 3
    one.click("tab-Events")
    one.click("event-collision_at_sea")
    one.page.wait_for_selector("text=round 3: Collision at sea")
    one.click("tab-Round")
    one.page.wait_for_selector('[data-testid="accept"]')
    one.click("accept")
    one.page.wait_for_selector("text=Round 3 (Apr 2025)")
    assert "collision_at_sea=5" in one.page.content()
    assert "China: level 5" in one.page.content()
    # the other session is untouched
    assert two.text("status").startswith("Round 0 of 12")
    two.step()
    assert two.text("status").startswith("Round 1 of 12")
    assert one.text("status").startswith("Round 3 of 12")
    # the instructor view lists both, read-only
    view = one.context.new_page()
    view.goto(f"{server['url']}/instructor?key={server['key']}")
    view.wait_for_selector('[data-testid="sessions"]')
    rows = view.locator('[data-testid="sessions"] tbody tr').all_inner_texts()
    assert any("japan" in r and "3 of 12" in r for r in rows), rows
    assert any("1 of 12" in r for r in rows), rows
    view.screenshot(path=str(shots / "seminar_instructor.png"))
    denied = one.context.new_page()
    denied.goto(f"{server['url']}/instructor?key=wrong")
    denied.wait_for_selector("text=needs the key")
    assert one.outside() == [] and two.outside() == []
    one.context.close()
    two.context.close()


def test_oversized_posts_are_refused_before_they_are_read(server):
    import http.client
    import urllib.request

    host, port = server["url"].removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.putrequest("POST", "/_nicegui/client/x/upload/1")
    conn.putheader("Content-Length", str(50 * 1024 * 1024))  # announced, never sent
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 413
    assert b"too large" in response.read()
    conn.close()
    with urllib.request.urlopen(server["url"] + "/", timeout=10) as page:
        assert page.status == 200


def test_no_cdn_in_the_served_page(server):
    import urllib.request

    with urllib.request.urlopen(server["url"] + "/", timeout=10) as response:
        page = response.read().decode("utf-8")
    found = re.findall(r"""(?:src|href)=["'](https?:)?//[^"']+""", page)
    assert found == [], found
