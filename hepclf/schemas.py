"""Where every schema lives: the columns of the real files, the -999 sentinel, the class totals.

Loaders check files against these lists, simulators write them, feature builders read them; no
other module spells a column list out. The Higgs ML columns are those of the CERN Open Data release
(``atlas-higgs-challenge-2014-v2.csv``) and of the Kaggle files; the Flavours of Physics columns are
those of the four Kaggle tables (training, check_agreement, check_correlation, test).

Examples
--------
>>> from hepclf.schemas import HIGGS_TOTALS, PRI_COLUMNS
>>> len(PRI_COLUMNS), round(HIGGS_TOTALS.signal, 3)
(17, 691.989)
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "DER_COLUMNS",
    "FLAVOURS_FEATURE_COLUMNS",
    "FLAVOURS_INTEGER_FEATURES",
    "FLAVOURS_SCHEMAS",
    "FLAVOURS_TABLES",
    "FLAVOURS_TABLE_SIZES",
    "FORBIDDEN_COLUMNS",
    "HIGGS_FEATURE_COLUMNS",
    "HIGGS_FILE_SIZES",
    "HIGGS_FORMATS",
    "HIGGS_TOTALS",
    "KAGGLE_SETS",
    "KAGGLE_SET_SIZES",
    "KAGGLE_TEST_COLUMNS",
    "KAGGLE_TRAINING_SET",
    "KAGGLE_TRAINING_COLUMNS",
    "LEADERBOARD_SETS",
    "MISMODELLED_COLUMNS",
    "MISSING_SENTINEL",
    "OPEN_DATA_COLUMNS",
    "PRI_COLUMNS",
    "ClassTotals",
]

#: The HiggsML sentinel for an undefined value (a jet that is absent, an MMC fit that failed).
#: Loaders turn it into NaN; builders accept either.
MISSING_SENTINEL = -999.0

# ---------------------------------------------------------------------------------------------
# Higgs ML (ATLAS, H -> tau tau)

#: The 17 primitive columns: the measured tau, lepton, MET and jets.
PRI_COLUMNS = (
    "PRI_tau_pt",
    "PRI_tau_eta",
    "PRI_tau_phi",
    "PRI_lep_pt",
    "PRI_lep_eta",
    "PRI_lep_phi",
    "PRI_met",
    "PRI_met_phi",
    "PRI_met_sumet",
    "PRI_jet_num",
    "PRI_jet_leading_pt",
    "PRI_jet_leading_eta",
    "PRI_jet_leading_phi",
    "PRI_jet_subleading_pt",
    "PRI_jet_subleading_eta",
    "PRI_jet_subleading_phi",
    "PRI_jet_all_pt",
)
#: The 13 columns ATLAS derived from the primitive ones (HiggsML documentation, appendix B).
DER_COLUMNS = (
    "DER_mass_MMC",
    "DER_mass_transverse_met_lep",
    "DER_mass_vis",
    "DER_pt_h",
    "DER_deltaeta_jet_jet",
    "DER_mass_jet_jet",
    "DER_prodeta_jet_jet",
    "DER_deltar_tau_lep",
    "DER_pt_tot",
    "DER_sum_pt",
    "DER_pt_ratio_lep_tau",
    "DER_met_phi_centrality",
    "DER_lep_eta_centrality",
)
#: The 30 features of every Higgs ML file, in file order.
HIGGS_FEATURE_COLUMNS = DER_COLUMNS + PRI_COLUMNS
#: ``atlas-higgs-challenge-2014-v2.csv`` (818,238 events).
OPEN_DATA_COLUMNS = (
    "EventId",
    *HIGGS_FEATURE_COLUMNS,
    "Weight",
    "Label",
    "KaggleSet",
    "KaggleWeight",
)
#: Kaggle ``training.csv`` (250,000 events) and ``test.csv`` (550,000 events).
KAGGLE_TRAINING_COLUMNS = ("EventId", *HIGGS_FEATURE_COLUMNS, "Weight", "Label")
KAGGLE_TEST_COLUMNS = ("EventId", *HIGGS_FEATURE_COLUMNS)
#: Format name -> columns, as the Higgs loader detects them from the header.
HIGGS_FORMATS = {
    "opendata": OPEN_DATA_COLUMNS,
    "kaggle_training": KAGGLE_TRAINING_COLUMNS,
    "kaggle_test": KAGGLE_TEST_COLUMNS,
}
#: Events per KaggleSet in the Open Data release: t = training, b = public leaderboard,
#: v = private leaderboard, u = unused.
KAGGLE_SET_SIZES = {"t": 250_000, "b": 100_000, "v": 450_000, "u": 18_238}
KAGGLE_SETS = tuple(KAGGLE_SET_SIZES)
#: The KaggleSet the challenge trained on, and the two leaderboards' sets (each scored on its own).
KAGGLE_TRAINING_SET = "t"
LEADERBOARD_SETS = {"public": "b", "private": "v"}
#: Events in each complete Higgs ML file: the Open Data release holds every set, Kaggle's
#: training.csv the training set, its test.csv both leaderboards' sets.
HIGGS_FILE_SIZES = {
    "opendata": sum(KAGGLE_SET_SIZES.values()),
    "kaggle_training": KAGGLE_SET_SIZES[KAGGLE_TRAINING_SET],
    "kaggle_test": sum(KAGGLE_SET_SIZES[code] for code in LEADERBOARD_SETS.values()),
}


class ClassTotals(NamedTuple):
    """Sum of the weights of each class: expected signal and background event counts.

    Raises
    ------
    TypeError
        A field is missing or an extra one is given. The values are not checked here: the
        functions that take ``totals`` refuse a pair that is not two finite positive numbers.
    """

    signal: float
    background: float


#: HiggsML totals: KaggleWeight sums to these within every KaggleSet, Weight over the whole file.
HIGGS_TOTALS = ClassTotals(signal=691.988607712, background=410999.847322)

# ---------------------------------------------------------------------------------------------
# Flavours of Physics (LHCb, tau -> mu mu mu)

#: The measured columns shared by every Flavours table (the order of the real files).
FLAVOURS_FEATURE_COLUMNS = (
    "LifeTime", "dira", "FlightDistance", "FlightDistanceError", "IP", "IPSig", "VertexChi2", "pt",
    "DOCAone", "DOCAtwo", "DOCAthree", "IP_p0p2", "IP_p1p2", "isolationa", "isolationb",
    "isolationc", "isolationd", "isolatione", "isolationf", "iso", "CDF1", "CDF2", "CDF3",
    "ISO_SumBDT", "p0_IsoBDT", "p1_IsoBDT", "p2_IsoBDT", "p0_track_Chi2Dof", "p1_track_Chi2Dof",
    "p2_track_Chi2Dof", "p0_IP", "p1_IP", "p2_IP", "p0_IPSig", "p1_IPSig", "p2_IPSig", "p0_pt",
    "p1_pt", "p2_pt", "p0_p", "p1_p", "p2_p", "p0_eta", "p1_eta", "p2_eta", "SPDhits",
)  # fmt: skip
#: Flavours columns that hold counts (whole numbers).
FLAVOURS_INTEGER_FEATURES = (
    "isolationa", "isolationb", "isolationc", "isolationd", "isolatione", "isolationf", "iso",
    "SPDhits",
)  # fmt: skip
#: Table name -> columns of the four Flavours files.
FLAVOURS_SCHEMAS = {
    "training": ("id", *FLAVOURS_FEATURE_COLUMNS, "production", "signal", "mass", "min_ANNmuon"),
    "check_agreement": ("id", *FLAVOURS_FEATURE_COLUMNS, "signal", "weight"),
    "check_correlation": ("id", *FLAVOURS_FEATURE_COLUMNS, "mass"),
    "test": ("id", *FLAVOURS_FEATURE_COLUMNS),
}
FLAVOURS_TABLES = tuple(FLAVOURS_SCHEMAS)
#: Events in the released Flavours tables (the release documents training and check_correlation
#: exactly; the check_agreement and test counts are those of the files as distributed).
FLAVOURS_TABLE_SIZES = {
    "training": 67_553,
    "check_agreement": 331_147,
    "check_correlation": 5_514,
    "test": 855_819,
}
#: Columns a Flavours model must never use: ``mass`` (the CvM test), ``production`` and
#: ``min_ANNmuon`` (only in training.csv, absent from test.csv), and bookkeeping columns.
FORBIDDEN_COLUMNS = ("mass", "production", "min_ANNmuon", "signal", "weight", "id")
#: Mismodelled in simulation: a model using it fails the KS agreement test.
MISMODELLED_COLUMNS = ("SPDhits",)
