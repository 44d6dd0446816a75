"""``python -m painlink.cli``: the same as the ``painlink`` command."""

import sys

from painlink.cli import main

if __name__ == "__main__":
    sys.exit(main())
