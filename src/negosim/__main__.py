"""``python -m negosim``: the same command line as the ``negosim`` console script."""

import sys

from negosim.cli import main

if __name__ == "__main__":
    sys.exit(main())
