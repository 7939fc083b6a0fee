"""The frame every sweep chart shares: title, footnote, provenance footer, incomplete note.

Each chart draws its axes; :func:`frame` then writes the title (left-aligned, so a note
at the right never collides with it), the footnote saying what is shown and how it is
computed, the footer with the experiment's name and hash, and, for an interrupted sweep,
a boxed "incomplete: N of M chunks" at the top right, so a partial result pasted into
slides cannot pass for a finished one. Colours for an ordered parameter come from viridis
(van der Walt & Smith 2015, matplotlib's default map: perceptually uniform, readable in
grey and with the common colour-vision deficiencies), stopping short of its pale yellow
end so lines stay visible on white; unordered values use the Okabe–Ito palette.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from negosim.plots.style import OKABE_ITO, add_footer
from negosim.plots.sweep_source import SweepFiles
from negosim.results import atomic_path

#: Points per inch, for the margins that hold the text under the axes.
_PT = 72.0
#: Colour of the incomplete note (Okabe–Ito vermilion).
WARNING = "#D55E00"
INCOMPLETE_TAG = "incomplete-note"


def _footer_pt(lines: int) -> float:
    """Height of the footer and ``lines`` footnote lines under the axes, in points."""
    return 16 + 13 * lines


def text_inches(text: str, size: float = 11.0) -> float:
    """A generous estimate of a text's width (DejaVu Sans averages ~0.6 em a character)."""
    return 0.6 * size / _PT * max((len(line) for line in text.split("\n")), default=0)


def legend_inches(labels: list[str], title: str = "", size: float = 11.0) -> float:
    """The right margin a legend of ``labels`` (and its title) needs beside the axes."""
    widest = max((text_inches(label, size) for label in labels), default=0.0)
    return 0.35 + max(text_inches(title, size + 1), 0.6 + widest)


def single_figure(
    width: float,
    height: float,
    *,
    left: float = 1.0,
    right: float = 0.4,
    bottom: float = 0.65,
    top: float = 0.55,
    footnote_lines: int = 0,
) -> tuple[Figure, Axes]:
    """One axes placed by hand in inches, leaving room for the title, footnote and footer.

    Constrained layout would cost a few tenths of a second per chart at every save; the
    margins (tick labels, the legend or colour bar at the right) are known in advance.
    """
    footer = _footer_pt(footnote_lines) / _PT
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes(
        (
            left / width,
            (bottom + footer) / height,
            (width - left - right) / width,
            (height - top - bottom - footer) / height,
        )
    )
    return fig, ax


def panel_figure(
    rows: int,
    cols: int,
    *,
    panel: tuple[float, float] = (3.1, 2.2),
    margins: tuple[float, float, float, float] = (0.95, 2.3, 0.8, 0.7),
    gaps: tuple[float, float] = (0.3, 0.6),
    footnote_lines: int = 0,
    sharex: bool = True,
    sharey: bool = True,
) -> tuple[Figure, np.ndarray]:
    """Small multiples laid out by hand, in inches (left, right, top, bottom margins).

    Constrained layout costs about a second per dozen panels on this machine at every
    save; a grid whose parts are known needs no solver. The figure is sized to its panels.
    """
    left, right, top, bottom = margins
    wgap, hgap = gaps
    footer = _footer_pt(footnote_lines) / _PT
    width = left + cols * panel[0] + (cols - 1) * wgap + right
    height = top + rows * panel[1] + (rows - 1) * hgap + bottom + footer
    fig = Figure(figsize=(width, height))
    axes = fig.subplots(
        rows,
        cols,
        sharex=sharex,
        sharey=sharey,
        squeeze=False,
        gridspec_kw={
            "left": left / width,
            "right": 1 - right / width,
            "top": 1 - top / height,
            "bottom": (bottom + footer) / height,
            "wspace": wgap / panel[0],
            "hspace": hgap / panel[1],
        },
    )
    return fig, axes


def legend_anchor(
    fig: Figure, margins: tuple[float, float, float, float], gap: float = 0.15
) -> tuple[float, float]:
    """Where a figure legend goes in :func:`panel_figure`'s right margin (figure coordinates)."""
    width, height = fig.get_size_inches()
    return 1 - (margins[1] - gap) / width, 1 - margins[2] / height


def frame(fig: Figure, files: SweepFiles, title: str, footnote: str = "") -> Figure:
    """Title, footnote, footer and (for a partial sweep) the incomplete note; returns ``fig``."""
    width, height = fig.get_size_inches()
    lines = [line for line in footnote.split("\n") if line]
    size = mpl.rcParams["axes.titlesize"] + 1
    size = min(size, size * (width - 0.3) / max(text_inches(title, size + 1), 1e-9))
    fig.text(0.01, 1 - 8 / (height * _PT), title, ha="left", va="top", fontsize=size,
             fontweight="bold")  # fmt: skip
    for i, line in enumerate(reversed(lines)):
        fig.text(0.01, _footer_pt(i) / (height * _PT), line, ha="left", va="bottom", fontsize=10)
    add_footer(fig, files.footer())
    note = files.incomplete_note()
    if note:
        text = fig.text(
            0.99,
            1 - 6 / (height * _PT),
            note,
            ha="right",
            va="top",
            fontsize=12,
            fontweight="bold",
            color=WARNING,
            bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": WARNING},
        )
        text.set_gid(INCOMPLETE_TAG)
    return fig


def level_colours(levels: list[object]) -> list[str]:
    """One colour per parameter value: viridis for numbers (ordered), Okabe–Ito otherwise."""
    if len(levels) <= 1:
        return [OKABE_ITO[0]] * len(levels)
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in levels)
    if numeric:
        cmap = mpl.colormaps["viridis"]
        return [mpl.colors.to_hex(cmap(x)) for x in np.linspace(0.0, 0.82, len(levels))]
    palette = [*OKABE_ITO[:6], OKABE_ITO[7]]
    return [palette[i % len(palette)] for i in range(len(levels))]


def save(fig: Figure, path: Path, fmt: str) -> Path:
    """Write ``fig`` to ``path`` atomically (a temporary name, renamed when complete)."""
    # zlib level 3: nearly the size of the default 6 at two thirds of the encoding time
    options = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, **options)
    return path
