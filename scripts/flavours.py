"""Reproduce the seed's Flavours of Physics solution: ``python scripts/flavours.py`` ==
``hepclf flavours``.

    python scripts/flavours.py                    # simulated tables (the default)
    python scripts/flavours.py --data flavours/   # training, check_agreement, check_correlation
    python scripts/flavours.py --with-ugb         # add hep_ml's (slow) uGB to the members

See ``hepclf flavours --help`` and :func:`hepclf.reproduce.reproduce_flavours`.
"""

import sys

from hepclf.cli import main

if __name__ == "__main__":
    sys.exit(main(["flavours", *sys.argv[1:]]))
