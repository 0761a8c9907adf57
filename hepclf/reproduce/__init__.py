"""The two challenge reproductions as functions that return a result object (``.report()``,
``.write(folder)``); ``scripts/`` and the ``hepclf`` command call them."""

from hepclf.reproduce.flavours import FlavoursResult, reproduce_flavours
from hepclf.reproduce.higgs import HiggsResult, reproduce_higgs

__all__ = ["FlavoursResult", "HiggsResult", "reproduce_flavours", "reproduce_higgs"]
