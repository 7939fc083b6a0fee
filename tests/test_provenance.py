"""Code identity and command line: in every sweep manifest and every run's summary.json.

The commit must be git's own answer for the checkout the package runs from, the dirty flag
git status's, and the hash of the sources a pure function of the files (the same twice, the
same for a copy outside git, different when a file changes).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BASELINE, ROOT, cli, tiny_experiment, write
from negosim.provenance import (
    PACKAGE_DIR,
    PROJECT_FILES,
    code_identity,
    command_line,
    git_state,
    source_sha256,
)
from negosim.sweep import load_experiment, run_sweep

TINY = tiny_experiment(None, name="provenance", seed=3, replicates=2, rounds=3)


def _git(*args: str) -> str | None:
    done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


IN_GIT = _git("rev-parse", "HEAD") is not None and PACKAGE_DIR.is_relative_to(ROOT)


def _hand_hash(package: Path) -> str:
    """The documented recipe, written out: sorted relative paths, each path and bytes."""
    digest = hashlib.sha256()
    names = sorted(
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and (p.suffix == ".py" or p.name == "py.typed")
    )
    for name in names:
        digest.update(name.encode() + b"\0" + (package / name).read_bytes() + b"\0")
    return digest.hexdigest()


# --- the identity ---------------------------------------------------------------------------


@pytest.mark.skipif(not IN_GIT, reason="the package does not run from a git checkout")
def test_the_commit_is_gits_head_and_the_dirty_flag_gits_status():
    identity = code_identity()
    assert identity["source"] == "git"
    assert identity["commit"] == _git("rev-parse", "HEAD")
    relative = PACKAGE_DIR.relative_to(ROOT).as_posix()
    status = _git("status", "--porcelain", "--", relative, *PROJECT_FILES)
    assert identity["dirty"] is bool(status)
    assert git_state(PACKAGE_DIR, [relative]) == (
        identity["commit"],
        bool(_git("status", "--porcelain", "--", relative)),
    )


def test_the_source_hash_is_stable_and_follows_the_recipe():
    first, second = source_sha256(), source_sha256()
    assert first == second == code_identity()["source_sha256"]
    assert first == _hand_hash(PACKAGE_DIR)
    assert len(first) == 64 and int(first, 16) >= 0


def test_a_copy_outside_git_is_identified_by_its_files(tmp_path):
    copy = shutil.copytree(
        PACKAGE_DIR, tmp_path / "negosim", ignore=shutil.ignore_patterns("__pycache__")
    )
    identity = code_identity(copy)
    assert identity["source"] == "files"
    assert identity["commit"] is None and identity["dirty"] is None
    assert identity["source_sha256"] == source_sha256(PACKAGE_DIR)  # same files, same hash
    (copy / "core" / "rng.py").write_text("# changed\n", encoding="utf-8")
    assert source_sha256(copy) != identity["source_sha256"]
    (copy / "notes.txt").write_text("not source", encoding="utf-8")
    (copy / "core" / "rng.py").unlink()
    shutil.copy(PACKAGE_DIR / "core" / "rng.py", copy / "core" / "rng.py")
    assert source_sha256(copy) == identity["source_sha256"]  # only source files count


def test_a_package_inside_another_repository_is_not_credited_to_it(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    if subprocess.run(["git", "init", "-q", str(other)], capture_output=True).returncode:
        pytest.skip("git is not available")
    copy = shutil.copytree(PACKAGE_DIR, other / "site-packages" / "negosim")
    assert code_identity(copy)["source"] == "files"  # its files are not tracked there


def test_the_command_line_is_argv_and_the_working_directory():
    assert command_line(["negosim", "sweep", "x.yaml"]) == {
        "argv": ["negosim", "sweep", "x.yaml"],
        "cwd": os.getcwd(),
    }
    assert command_line()["argv"][0]  # the process's own sys.argv by default


# --- where it is recorded -----------------------------------------------------------------


def test_a_sweep_manifest_records_code_and_command_and_each_resume(tmp_path, capsys):
    path = write(tmp_path, TINY)
    out = tmp_path / "out"
    code, _, err = cli(capsys, "sweep", path, "--out", out, "--no-progress")
    assert code == 0, err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["code"] == code_identity()
    assert manifest["command"] == {
        "argv": ["negosim", "sweep", str(path), "--out", str(out), "--no-progress"],
        "cwd": os.getcwd(),
    }
    assert "resumed_by" not in manifest
    code, _, err = cli(capsys, "sweep", path, "--out", out, "--resume", "--no-progress")
    assert code == 0, err
    resumed = json.loads((out / "manifest.json").read_text())
    assert resumed["command"] == manifest["command"]  # the first invocation's, kept
    (again,) = resumed["resumed_by"]
    assert again["command"]["argv"][-2:] == ["--resume", "--no-progress"]
    assert again["code"] == code_identity() and again["started"]


def test_run_sweep_from_python_records_the_processes_argv(tmp_path):
    experiment = load_experiment(write(tmp_path, TINY))
    run_sweep(experiment, tmp_path / "a", executor="inline", progress=False)
    assert json.loads((tmp_path / "a" / "manifest.json").read_text())["command"] == command_line()
    given = ["my-notebook", "cell 3"]
    run_sweep(experiment, tmp_path / "b", executor="inline", progress=False, command=given)
    recorded = json.loads((tmp_path / "b" / "manifest.json").read_text())["command"]
    assert recorded["argv"] == given


def test_a_runs_summary_json_records_code_and_command(tmp_path, capsys):
    out = tmp_path / "run"
    code, _, err = cli(
        capsys, "run", BASELINE, "--seed", "4", "--rounds", "2", "--quiet", "--out", out
    )
    assert code == 0, err
    document = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert document["code"] == code_identity()
    argv = ["negosim", "run", str(BASELINE), "--seed", "4", "--rounds", "2", "--quiet"]
    assert document["command"] == {"argv": [*argv, "--out", str(out)], "cwd": os.getcwd()}
