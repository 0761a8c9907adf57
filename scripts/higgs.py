"""Reproduce the seed's Higgs ML solution: ``python scripts/higgs.py`` == ``hepclf higgs``.

    python scripts/higgs.py                       # the packaged real ATLAS sample (the default)
    python scripts/higgs.py --simulate 100000     # simulated events with public / private sets
    python scripts/higgs.py --data atlas-higgs-challenge-2014-v2.csv.gz
    python scripts/higgs.py --seed-parameters     # the seed's 3000 rounds at eta 0.01

See ``hepclf higgs --help`` and :func:`hepclf.reproduce.reproduce_higgs`.
"""

import sys

from hepclf.cli import main

if __name__ == "__main__":
    sys.exit(main(["higgs", *sys.argv[1:]]))
