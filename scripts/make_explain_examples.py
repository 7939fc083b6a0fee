"""Regenerate the real output quoted in README.md and docs/explain.md (``--explain`` examples).

Each quoted block follows a marker naming the command and the paragraphs it quotes (blocks
of lines separated by a blank line, counted from 1; the first is the header)::

    <!-- example: negosim run configs/baseline.yaml --explain --round 5 | paragraphs 2-5 -->
    ```
    ...what that command prints, its paragraphs 2 to 5...
    ```

Run after changing the explanation's wording or the model:
``.venv/bin/python scripts/make_explain_examples.py``. ``tests/test_explain_cli.py`` fails
while a block is out of date.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

from negosim.cli import main as negosim

ROOT = Path(__file__).resolve().parents[1]
FILES = (ROOT / "README.md", ROOT / "docs" / "explain.md")
MARKER = re.compile(
    r"(<!-- example: negosim (?P<args>[^|]+?) \| paragraphs (?P<first>\d+)-(?P<last>\d*) -->\n"
    r"```\n)"
    r"(?P<body>.*?)(?P<close>\n```)",
    flags=re.S,
)


def output(args: str, first: int, last: int | None) -> str:
    """Paragraphs ``first``..``last`` (1-based, inclusive; None: to the end) of an output."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = negosim(shlex.split(args))
    if status != 0:
        raise RuntimeError(f"negosim {args} exited with {status}")
    paragraphs = re.split(r"\n\s*\n", buffer.getvalue().strip("\n"))
    return "\n\n".join(paragraphs[first - 1 : last])


def refresh(text: str) -> str:
    """``text`` with every example block replaced by the command's current output."""

    def replace(match: re.Match[str]) -> str:
        last = int(match["last"]) if match["last"] else None
        body = output(match["args"].strip(), int(match["first"]), last)
        return match.group(1) + body + match["close"]

    return MARKER.sub(replace, text)


def main() -> None:
    """Rewrite the blocks of README.md and docs/explain.md."""
    with contextlib.chdir(ROOT):
        for path in FILES:
            path.write_text(refresh(path.read_text(encoding="utf-8")), encoding="utf-8")
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
