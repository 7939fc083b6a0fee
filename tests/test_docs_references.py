"""Citations of the model's documentation point at sections that exist, inside the repo.

Code, configs and docs cite ``docs/model.md §N`` (or ``§N.M``) for every equation; a
renumbered section or a reference to the design notes outside the repository would leave a
reader with nothing to look up.
"""

from __future__ import annotations

import re

from conftest import ROOT

MODEL_DOC = ROOT / "docs" / "model.md"
CITED = re.compile(r"model\.md §\s?(\d+(?:\.\d+)?)")
SEARCHED = ["src", "tests", "configs", "experiments", "docs", "scripts", "benchmarks"]


def _sections() -> set[str]:
    headings = re.findall(r"^#{2,3} (\d+(?:\.\d+)?)[. ]", MODEL_DOC.read_text(), flags=re.M)
    return set(headings)


def _files() -> list:
    files = [ROOT / "README.md"]
    for folder in SEARCHED:
        files += [
            p
            for p in (ROOT / folder).rglob("*")
            if p.suffix in {".py", ".md", ".yaml"} and "golden" not in p.parts
        ]
    return files


def test_every_cited_section_exists() -> None:
    sections = _sections()
    assert {"1", "4.2", "4.5", "9"} <= sections
    missing = [
        f"{path.relative_to(ROOT)}: §{number}"
        for path in _files()
        for number in CITED.findall(path.read_text())
        if number not in sections
    ]
    assert not missing, missing


def test_nothing_cites_the_design_notes_outside_the_repository() -> None:
    outside = re.compile(r"\bMODEL(\.md)?\s?§|shared/MODEL")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _files()
        if path.name != "test_docs_references.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if outside.search(line)
    ]
    assert not found, found
