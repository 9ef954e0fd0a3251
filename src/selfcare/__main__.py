"""``python -m selfcare``: see :mod:`selfcare.cli`."""

import sys

from selfcare.cli import main

if __name__ == "__main__":
    sys.exit(main())
