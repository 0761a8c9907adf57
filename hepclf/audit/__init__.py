"""The AMS audit of published Higgs ML results (and the checks of a Flavours submission).

AMS grows like the square root of the weight scale, so a number computed on the wrong luminosity
(two sets together, a subset without renormalisation, the file's Weight on one set), with the cut
tuned on the scored events, or with another formula reads differently from the leaderboard's.
The audit gives the correct numbers, what went wrong and how sure that is:

- :func:`score_submission`: a Kaggle submission (or predictions and a cut) checked completely and
  scored as the leaderboard did, public and private, with bootstrap uncertainties;
- :func:`audit_predictions`: the same predictions under every known protocol, one row each, with
  the luminosity each implies;
- :func:`explain_claim`: a verdict on a published number from what its publication states;
- :func:`load_catalogue` / :func:`audit_catalogue`: the published claims, shipped as data;
- :func:`audit_flavours`: the KS and CvM checks of a Flavours of Physics submission.

>>> from hepclf.audit import PROTOCOLS
>>> PROTOCOLS["public_plus_private"].name
'public + private together with KaggleWeight'
"""

from hepclf.audit.catalogue import audit_catalogue, catalogue_path, load_catalogue
from hepclf.audit.claims import (
    EXCEPTIONAL_SIGMA,
    WINNER,
    ClaimVerdict,
    StatedProtocol,
    equivalent_ams,
    explain_claim,
)
from hepclf.audit.flavours import FlavoursAudit, audit_flavours
from hepclf.audit.protocols import (
    PROTOCOLS,
    Protocol,
    ProtocolAudit,
    audit_predictions,
    luminosity_for,
)
from hepclf.audit.scoring import SubmissionScore, score_submission
from hepclf.audit.submission import (
    SUBMISSION_FORMATS,
    CheckedSubmission,
    SubmissionWarning,
    check_submission,
    read_submission,
)

__all__ = [
    "EXCEPTIONAL_SIGMA",
    "PROTOCOLS",
    "SUBMISSION_FORMATS",
    "WINNER",
    "CheckedSubmission",
    "ClaimVerdict",
    "FlavoursAudit",
    "Protocol",
    "ProtocolAudit",
    "StatedProtocol",
    "SubmissionScore",
    "SubmissionWarning",
    "audit_catalogue",
    "audit_flavours",
    "audit_predictions",
    "catalogue_path",
    "check_submission",
    "equivalent_ams",
    "explain_claim",
    "load_catalogue",
    "luminosity_for",
    "read_submission",
    "score_submission",
]
