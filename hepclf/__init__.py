"""hepclf: classification of high-energy-physics events stored as tables.

Data flows one way through the stages (each a sub-package or module that imports only from the
ones below it; ``docs/architecture.md``): schemas -> datasets (load) -> features -> metrics ->
simulate -> models -> validation -> ensemble -> report -> audit -> reproduce -> cli. Every stage's
public API is re-exported here, imported when first used (so that ``import hepclf`` and the
``hepclf`` command start at once, before numba loads its kernels):

>>> import hepclf as hc
>>> round(hc.ams(3.0, 1.0), 6)
0.867489
>>> sorted(hc.scorer_names())
['ams', 'truncated_auc']
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"

#: The stages whose ``__all__`` is re-exported, bottom to top.
_STAGES = (
    "progress",
    "schemas",
    "datasets",
    "features",
    "metrics",
    "simulate",
    "models",
    "validation",
    "ensemble",
    "report",
    "audit",
    "reproduce",
)


def _export_all() -> list[str]:
    """Import every stage, bind its public names here and return the package's ``__all__``."""
    names = ["__version__", *_STAGES]
    for stage_name in _STAGES:
        stage = importlib.import_module(f"hepclf.{stage_name}")
        for name in stage.__all__:
            globals()[name] = getattr(stage, name)
            names.append(name)
    return list(dict.fromkeys(names))


def __getattr__(name: str):
    if name in _STAGES:
        return importlib.import_module(f"hepclf.{name}")
    if name.startswith("__") and name != "__all__":
        raise AttributeError(f"module 'hepclf' has no attribute {name!r}")
    if "__all__" not in globals():  # bind every stage's names once, at the first public lookup
        globals()["__all__"] = _export_all()
    if name in globals():
        return globals()[name]
    raise AttributeError(f"module 'hepclf' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__getattr__("__all__")})
