"""The real ATLAS events packaged with hepclf: 22,889 events of the CERN Open Data release.

They let every example, test and the main job run on real data on a machine with nothing but
hepclf installed (``hepclf/data/README.md`` has the provenance). They are a prefix of the
release's training set (KaggleSet ``t``): score any part of them with weights renormalised to the
full totals, as :func:`hepclf.metrics.best_cut` and :func:`hepclf.validation.cross_validate_ams`
do by default.

Examples
--------
>>> from hepclf.datasets import load_higgs_sample
>>> events = load_higgs_sample()
>>> len(events), events.attrs["format"], int((events.Label == "s").sum())
(22889, 'opendata', 7817)
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from hepclf.datasets._reading import IncompleteFileError, sha256_of_content
from hepclf.datasets.higgs import load_higgs

HIGGS_SAMPLE_FILE = "higgs_opendata_sample.csv.gz"
#: SHA-256 of the sample's uncompressed content.
HIGGS_SAMPLE_SHA256 = "8036f12c003cea6983dca89ec23d3955bce835cecb309fb66b998230c8156ddc"
HIGGS_SAMPLE_EVENTS = 22_889


def higgs_sample_path() -> Path:
    """Where the packaged sample is installed (``.csv.gz``, the release's own format).

    Raises
    ------
    Nothing is raised: the path is returned without looking at the file. Reading a missing
    sample (a damaged installation) fails in :func:`load_higgs_sample` with FileNotFoundError.
    """
    return Path(str(resources.files("hepclf").joinpath("data", HIGGS_SAMPLE_FILE)))


def load_higgs_sample() -> pd.DataFrame:
    """The packaged real ATLAS sample, exactly as :func:`load_higgs` reads it (checked, -999.0 as
    NaN, ``attrs['format'] == 'opendata'``), after checking its content against its SHA-256.

    Raises
    ------
    IncompleteFileError
        When the installed file is not the packaged sample (damaged installation).
    """
    path = higgs_sample_path()
    digest, _ = sha256_of_content(path)
    if digest != HIGGS_SAMPLE_SHA256:
        raise IncompleteFileError(
            f"{path}: SHA-256 {digest} is not the packaged sample's {HIGGS_SAMPLE_SHA256}: "
            "the installation is damaged; reinstall hepclf"
        )
    return load_higgs(path, partial=True)
