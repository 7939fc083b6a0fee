"""The seminar server under a hostile or careless tab (issue 10, part C), without a browser.

It listens on 127.0.0.1 unless told otherwise (checked on the socket the real server opens);
request bodies and uploads are bounded before they are read or parsed; an upload is
validated like any scenario and garbage is a list of problems, never an exception past the
session; download names cannot leave their folder; and whatever one session is sent, every
other session plays on exactly as if nothing happened. NEGOSIM_FUZZ_EXAMPLES raises the
number of generated uploads and call sequences (default 60 and 25).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASELINE, ROOT
from negosim.exit_codes import ExitCode
from negosim.scenario import ScenarioError
from negosim.seminar.export import file_stem, safe_name
from negosim.seminar.library import PresetLibrary
from negosim.seminar.server import MAX_BODY_BYTES, limit_body
from negosim.seminar.session import SeminarSession, SessionError
from negosim.seminar.uploads import MAX_UPLOAD_BYTES

EXAMPLES = int(os.environ.get("NEGOSIM_FUZZ_EXAMPLES", "0")) or None
SAFE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


@pytest.fixture(scope="module")
def library() -> PresetLibrary:
    return PresetLibrary(BASELINE)


def _record(session: SeminarSession) -> list[dict[str, np.ndarray]]:
    return [dict(rec.columns) for rec in session.model.history]


def _same(a: list[dict], b: list[dict]) -> bool:
    return len(a) == len(b) and all(
        x.keys() == y.keys() and all(np.array_equal(x[k], y[k], equal_nan=True) for k in x)
        for x, y in zip(a, b, strict=True)
    )


# --- where it listens -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> set[str]:
    """Local addresses listening on ``port``, IPv4 and IPv6 (from /proc/net/tcp and tcp6)."""
    found = set()
    for table, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        path = Path("/proc/net") / table
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, _, state = line.split()[1:4]
            address, hex_port = local.split(":")
            if int(hex_port, 16) != port or state != "0A":  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)  # host-order 32-bit words
            raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(socket.inet_ntop(family, raw))
    return found


def _wait_listening(port: int, seconds: float = 20) -> set[str]:
    deadline = time.monotonic() + seconds
    while not (found := _listening(port)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_serve_defaults_to_this_machine_only():
    from negosim.cli import build_parser

    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
    assert build_parser().parse_args(["serve", "--host", "0.0.0.0"]).host == "0.0.0.0"


def test_serve_passes_the_host_it_was_told(monkeypatch, capsys):
    from negosim.cli import main
    from negosim.seminar import server

    calls = []
    monkeypatch.setattr(server, "serve", lambda config, host, port: calls.append((host, port)))
    assert main(["serve", str(BASELINE), "--port", "9001"]) == ExitCode.OK
    assert main(["serve", str(BASELINE), "--host", "192.0.2.1", "--port", "9002"]) == 0
    assert calls == [("127.0.0.1", 9001), ("192.0.2.1", 9002)]


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc/net/tcp")
def test_the_real_server_listens_on_loopback_only_and_stops_with_143():
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "negosim", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # printed once the socket listens
        assert f"http://127.0.0.1:{port}/" in first and "listening on 127.0.0.1" in first
        assert _wait_listening(port) == {"127.0.0.1"}
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == ExitCode.TERMINATED
        assert err.strip().endswith("negosim serve: terminated")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# --- request bodies -------------------------------------------------------------------------


def _answer(method: str, path: str, headers: dict[str, str]) -> int:
    """The status :func:`limit_body` answers, or 200 where it passes the request on."""
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "scheme": "http",
        "server": ("127.0.0.1", 8080),
    }
    passed = []

    async def call_next(request: Request) -> PlainTextResponse:
        passed.append(request)
        return PlainTextResponse("ok")

    response = asyncio.run(limit_body(Request(scope), call_next))
    assert (response.status_code == 200) == bool(passed)
    return response.status_code


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("POST", "/_nicegui/client/x/upload/1", {}, 411),  # an upload must say its size
        ("POST", "/_nicegui/client/x/upload/1", {"content-length": str(MAX_BODY_BYTES + 1)}, 413),
        ("POST", "/_nicegui/client/x/upload/1", {"content-length": "12abc"}, 413),
        ("POST", "/_nicegui/client/x/upload/1", {"content-length": "-1"}, 413),
        ("PUT", "/anything", {"content-length": str(50 * 2**20)}, 413),
        ("POST", "/_nicegui/client/x/upload/1", {"content-length": str(MAX_BODY_BYTES)}, 200),
        ("POST", "/_nicegui/client/x/event", {}, 200),  # not an upload: chunked is fine
        ("GET", "/", {}, 200),
    ],
)
def test_request_bodies_are_bounded_before_they_are_read(method, path, headers, status):
    assert _answer(method, path, headers) == status


# --- uploads --------------------------------------------------------------------------------


HOSTILE_UPLOADS = {
    "oversized": b"# padding\n" * (MAX_UPLOAD_BYTES // 10 + 1),
    "binary": bytes(range(256)),
    "python tag": b"!!python/object/apply:os.system ['touch /tmp/negosim_pwned']\n",
    "unknown tag": b"extends: baseline.yaml\nchina: !secret {omega: 0.2}\n",
    "bad binary tag": b"name: !!binary '%%%'\n",
    "a list": b"- 1\n- 2\n",
    "empty": b"",
    "deep": b"a: " + b"[" * 200 + b"]" * 200 + b"\n",
    "extends a path": b"extends: ../../configs/baseline.yaml\n",
    "nan": b"extends: baseline.yaml\nchina: {omega: .nan}\n",
    "inf seed": b"extends: baseline.yaml\nseed: .inf\n",
    "huge rounds": b"extends: baseline.yaml\nprotocol: {rounds: 100000000}\n",
    "bom and nul": b"\xef\xbb\xbfname: x\x00\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_UPLOADS))
def test_a_hostile_upload_is_a_list_of_problems_and_changes_nothing(library, name):
    session, other = SeminarSession(library), SeminarSession(library)
    session.step()
    other.step()
    before, other_before, settings_before = _record(session), _record(other), session.settings
    with pytest.raises(ScenarioError) as err:
        session.upload(HOSTILE_UPLOADS[name], f"{name}.yaml")
    assert err.value.problems and all(str(p) for p in err.value.problems)
    if name == "oversized":
        assert "too large" in str(err.value)
    assert session.settings is settings_before and _same(_record(session), before)
    assert _same(_record(other), other_before)
    assert session.step() and other.step()
    assert not Path("/tmp/negosim_pwned").exists()


def _yaml_values() -> st.SearchStrategy[object]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=20),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.text(max_size=12), inner, max_size=4),
        ),
        max_leaves=25,
    )


def _upload_bytes() -> st.SearchStrategy[bytes]:
    """Random bytes, random YAML documents, and the baseline preset with one value replaced."""
    top = ("name", "seed", "protocol", "issues", "agents", "politics", "china", "events")

    def over_baseline(pair: tuple[str, object]) -> bytes:
        key, value = pair
        return yaml.safe_dump({"extends": "baseline.yaml", key: value}).encode()

    return st.one_of(
        st.binary(max_size=300),
        _yaml_values().map(lambda v: yaml.safe_dump(v).encode()),
        st.tuples(st.sampled_from(top), _yaml_values()).map(over_baseline),
    )


@settings(
    max_examples=EXAMPLES or 60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=_upload_bytes(), filename=st.text(max_size=100))
def test_any_upload_is_accepted_or_refused_with_problems_only(library, raw, filename):
    session = SeminarSession(library)
    session.step()
    before = _record(session)
    try:
        session.upload(raw, filename)
    except ScenarioError as err:
        assert err.problems
        assert _same(_record(session), before)
    else:
        assert session.round == 0 and session.settings.source.startswith("upload:")
    assert "/" not in session.settings.source and "\\" not in session.settings.source
    assert SAFE.match(file_stem(session).removeprefix("negosim_").split("_seed")[0])


# --- download names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "..\\..\\boot.ini", "/", ".", "..", "\x00", "a/../../b", "CON", "🙂", ""],
)
def test_hostile_names_make_safe_download_names(library, name):
    assert SAFE.match(safe_name(name)) and safe_name(name) not in (".", "..")
    session = SeminarSession(library)
    session.upload(b"extends: baseline.yaml\n", name + ".yaml")
    stem = file_stem(session)
    assert re.fullmatch(r"negosim_[A-Za-z0-9_-]{1,40}_seed\d+_round\d+", stem), stem
    assert Path("downloads", f"{stem}.csv").resolve().parent == Path("downloads").resolve()


@settings(max_examples=EXAMPLES or 200, deadline=None)
@given(text=st.text())
def test_every_name_reduces_to_safe_characters(text):
    assert SAFE.match(safe_name(text))


# --- one session's garbage is no other session's problem ------------------------------------


GARBAGE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=10), st.floats(), max_size=3),
)


def _call(session: SeminarSession, kind: str, a: object, b: object) -> None:
    if kind == "apply":
        session.apply({str(a): b} if not isinstance(a, dict) else a, a, b)
    elif kind == "back_to":
        session.back_to(a)
    elif kind == "seat":
        session.take_seat(a)
    elif kind == "inject":
        session.inject(a, b)
    elif kind == "decide":
        session.decide(offer=a if isinstance(a, dict) else None, accept=b)
    elif kind == "preset":
        session.choose_preset(str(a))
    elif kind == "upload":
        session.upload(str(a).encode("utf-8", "surrogatepass"), str(b))
    session.step()


@settings(
    max_examples=EXAMPLES or 25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    calls=st.lists(
        st.tuples(
            st.sampled_from(["apply", "back_to", "seat", "inject", "decide", "preset", "upload"]),
            GARBAGE,
            GARBAGE,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_garbage_in_one_session_leaves_every_other_session_as_it_would_be(library, calls):
    hostile, bystander, control = (SeminarSession(library) for _ in range(3))
    for kind, a, b in calls:
        with contextlib.suppress(SessionError, ScenarioError, ValueError):
            _call(hostile, kind, a, b)  # refused with a message: what that tab shows
        bystander.step()
        control.step()
    assert _same(_record(bystander), _record(control))
    started = time.perf_counter()
    hostile.reset()  # still a working session
    assert hostile.step() and time.perf_counter() - started < 30
