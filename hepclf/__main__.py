"""``python -m hepclf``: the ``hepclf`` command."""

import sys

from hepclf.cli import main

sys.exit(main())
