"""Regenerate docs/columns.md from the declared output table (src/negosim/columns/table.py).

Run after changing a declaration: ``.venv/bin/python scripts/make_columns_doc.py``. The test
``tests/test_columns.py`` fails while the file is out of date.
"""

from __future__ import annotations

from pathlib import Path

from negosim.columns.markdown import markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "columns.md"


def main() -> None:
    """Write docs/columns.md."""
    DOC.write_text(markdown(), encoding="utf-8")
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
