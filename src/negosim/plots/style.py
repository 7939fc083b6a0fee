"""One look for every chart: palette, fonts, labels with units, and a provenance footer.

Why these choices:

- **Palette**: Okabe & Ito (2008, "Color Universal Design", jfly.uni-koeln.de/color), the
  eight colours distinguishable under the common colour-vision deficiencies; the sides get
  fixed colours (Japan vermilion, the US blue, China reddish purple, the package in force
  grey) so a student reads the same colour as the same side on every chart.
- **Fonts** large enough for a projector at the back of a seminar room (12 pt text, 14 pt
  titles at the default 9 × 5.5 in figure size), DejaVu Sans (ships with matplotlib, so
  nothing is fetched and every machine draws the same glyphs).
- **Labels** carry the unit from the column's declaration, read from the saved file's
  metadata (charts are drawn from saved results only, never by re-running the model).
- **Footer**: the scenario name and seed (a run) or the experiment hash (a sweep), so a
  figure pasted into slides or a paper still says where it came from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Final

import matplotlib as mpl
from matplotlib.figure import Figure

OKABE_ITO: Final[tuple[str, ...]] = (
    "#0072B2",  # blue
    "#D55E00",  # vermilion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow (fills only: too light for lines on white)
    "#000000",  # black
)

SIDE_COLOURS: Final[Mapping[str, str]] = {
    "japan": "#D55E00",
    "us": "#0072B2",
    "china": "#CC79A7",
    "in_force": "#666666",
    "deal": "#009E73",
    "benchmark": "#E69F00",
}

SIDE_NAMES: Final[Mapping[str, str]] = {
    "japan": "Japan",
    "us": "United States",
    "china": "China",
    "in_force": "package in force",
}

RC: Final[Mapping[str, object]] = {
    "font.family": "DejaVu Sans",
    "font.size": 12,
    "axes.titlesize": 14,
    "axes.titleweight": "bold",
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "legend.frameon": False,
    "figure.titlesize": 15,
    "figure.figsize": (9.0, 5.5),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "axes.prop_cycle": mpl.cycler(color=[*OKABE_ITO[:6], OKABE_ITO[7]]),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 2.0,
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
}


@contextmanager
def house_style() -> Iterator[None]:
    """Draw inside this context to get the house style without touching global rcParams."""
    with mpl.rc_context(dict(RC)):
        yield


def axis_label(name: str, unit: str | None = None) -> str:
    """A column's axis label: its name in words and, when it has one, its unit in brackets.

    ``unit`` comes from the saved file's field metadata (``field_metadata`` in
    :mod:`negosim.columns.encoding`); dimensionless units ("share", "1") are still shown so
    a reader knows the scale.
    """
    words = name.replace("_", " ")
    words = words[:1].upper() + words[1:]
    return f"{words} [{unit}]" if unit else words


def add_footer(fig: Figure, text: str) -> None:
    """Write the provenance line (scenario and seed, or experiment hash) under the axes."""
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=9, color="#555555")
