"""negosim: an agent-based simulator of Japan–US alliance negotiations.

Japan and the United States bargain month by month over security guarantees, tariffs,
Japan's defense budget and an investment pledge; Japan's leader must carry the Diet, the US
leader links trade to security and may reverse, China reacts, markets move.
"""

import os
from importlib import metadata

try:
    __version__ = metadata.version("negosim")
except metadata.PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"

__all__ = ["__version__", "load_sweep"]


def load_sweep(root: str | os.PathLike[str]):  # noqa: ANN201 - type in negosim.sweep.load
    """Open a sweep's results directory (see :func:`negosim.sweep.load.load_sweep`)."""
    from negosim.sweep.load import load_sweep as _load

    return _load(root)
