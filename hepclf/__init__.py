"""hepclf: classification of high-energy-physics events stored as tables.

Stages (data flows left to right): datasets -> features -> models -> metrics -> ensemble ->
report / audit. The physics metrics are in :mod:`hepclf.metrics`.
"""

from hepclf import features, metrics

__version__ = "0.1.0"

__all__ = ["__version__", "features", "metrics"]
