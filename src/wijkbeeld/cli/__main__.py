"""``python -m wijkbeeld.cli``: the same as the ``wijkbeeld`` command."""

import sys

from wijkbeeld.cli import main

sys.exit(main())
