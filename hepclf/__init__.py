"""hepclf: classification of high-energy-physics events stored as tables.

Data flows one way through the stages (each a sub-package or module that imports only from the
ones below it; ``docs/architecture.md``): schemas -> datasets (load) -> features -> metrics ->
simulate -> models -> validation -> ensemble -> report -> reproduce -> cli. Every stage's public
API is re-exported here:

>>> import hepclf as hc
>>> round(hc.ams(3.0, 1.0), 6)
0.867489
>>> sorted(hc.scorer_names())
['ams', 'truncated_auc']
"""

from hepclf import (
    datasets,
    ensemble,
    features,
    metrics,
    models,
    report,
    reproduce,
    schemas,
    simulate,
    validation,
)
from hepclf.datasets import *  # noqa: F403
from hepclf.ensemble import *  # noqa: F403
from hepclf.features import *  # noqa: F403
from hepclf.metrics import *  # noqa: F403
from hepclf.models import *  # noqa: F403
from hepclf.report import *  # noqa: F403
from hepclf.reproduce import *  # noqa: F403
from hepclf.schemas import *  # noqa: F403
from hepclf.simulate import *  # noqa: F403
from hepclf.validation import *  # noqa: F403

__version__ = "0.2.0"

_STAGES = (
    schemas,
    datasets,
    features,
    metrics,
    simulate,
    models,
    validation,
    ensemble,
    report,
    reproduce,
)
__all__ = list(
    dict.fromkeys(
        [
            "__version__",
            *(stage.__name__.removeprefix("hepclf.") for stage in _STAGES),
            *(name for stage in _STAGES for name in stage.__all__),
        ]
    )
)
