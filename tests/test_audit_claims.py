"""Published claims explained: the SuperTML case, consistent and exceptional claims, b_r = 0, the
catalogue, a claim pinned by the protocol table, the Flavours checks and the command."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from hepclf.audit import (
    WINNER,
    StatedProtocol,
    audit_catalogue,
    audit_flavours,
    audit_predictions,
    equivalent_ams,
    explain_claim,
    load_catalogue,
    luminosity_for,
)
from hepclf.audit.reference import reference_selection, relative_spread
from hepclf.cli import main
from hepclf.metrics import ams
from hepclf.simulate import simulate_flavours, simulate_higgs

SUPERTML = 3.979
#: The independent reproduction at the 0.5 cut (public, private).
REPRODUCTION = (2.83, 2.84)


def test_supertml_is_explained_by_doubled_luminosity():
    verdict = explain_claim(SUPERTML, scored="public+private", weights="KaggleWeight")
    assert verdict.flagged
    assert verdict.verdict == "explained by public + private together with KaggleWeight"
    assert verdict.protocol == ("public_plus_private",)
    assert "doubled luminosity" in " ".join(verdict.reasons)
    for value in REPRODUCTION:
        assert abs(verdict.equivalent - value) < 0.06
    # through the AMS formula at the reference operating point, not a bare square root
    reference = reference_selection()
    scale = luminosity_for(verdict.equivalent, reference.signal, reference.background)
    doubled = ams(2 * scale * reference.signal, 2 * scale * reference.background)
    assert doubled == pytest.approx(SUPERTML, rel=1e-9)
    assert SUPERTML / verdict.equivalent != pytest.approx(np.sqrt(2), rel=1e-5)
    assert SUPERTML / verdict.equivalent == pytest.approx(np.sqrt(2), rel=2e-3)


def test_unstated_protocol_of_supertml_is_most_likely_both_sets_together():
    verdict = explain_claim(SUPERTML)
    assert verdict.value_z > 2  # as a private-set AMS it sits far above the winner
    assert verdict.protocol == ("public_plus_private",)
    assert abs(verdict.equivalent - 2.835) < 0.06


def test_correct_protocol_claims_consistent_or_exceptional():
    stated = dict(scored="private", weights="KaggleWeight", cut_on="validation")
    assert explain_claim(3.70, **stated).verdict == "consistent"
    exceptional = explain_claim(3.95, **stated)
    assert exceptional.verdict == "exceptional" and exceptional.flagged
    sigma = 3.95 * relative_spread(450_000)
    assert exceptional.sigma == pytest.approx(sigma, rel=1e-9)
    assert exceptional.z == pytest.approx((3.95 - WINNER) / sigma, rel=1e-9)
    assert 2.5 < exceptional.z < 6
    assert f"{exceptional.z:.1f} sigma above" in " ".join(exceptional.reasons)


def test_br_zero_is_explained_with_its_small_effect():
    verdict = explain_claim(3.806, scored="private", weights="KaggleWeight", br=0)
    assert verdict.verdict == "explained by AMS without b_r"
    reference = reference_selection()
    scale = luminosity_for(verdict.equivalent, reference.signal, reference.background)
    effect = ams(scale * reference.signal, scale * reference.background, 0.0) - verdict.equivalent
    assert 3.806 - verdict.equivalent == pytest.approx(effect, rel=1e-6)
    assert 0.001 < 3.806 - verdict.equivalent < 0.005  # REFERENCE.md: ~0.001-0.004 high


def test_equivalent_inverts_every_luminosity_protocol():
    reference = reference_selection()
    s, b = 1.1 * reference.signal, 1.1 * reference.background
    correct = ams(s, b)
    cases = {
        StatedProtocol(scored="public+private", weights="KaggleWeight"): ams(2 * s, 2 * b),
        StatedProtocol(scored="private", weights="KaggleWeight", fraction=0.2): ams(
            0.2 * s, 0.2 * b
        ),
        StatedProtocol(scored="private", formula="s/sqrt(b)"): s / np.sqrt(b),
        StatedProtocol(scored="private", weights="renormalised", fraction=0.2): correct,
    }
    for protocol, reading in cases.items():
        assert equivalent_ams(reading, protocol) == pytest.approx(correct, rel=1e-9), protocol


def test_catalogue_verdicts():
    claims = load_catalogue()
    assert {"Melis, winning solution", "Sun et al., SuperTML, arXiv:1903.06246"} <= set(
        claims.source
    )
    verdicts = audit_catalogue(claims)
    leaderboard = verdicts[verdicts.entry.isin([1, 2, 3])]
    assert list(leaderboard.value) == [3.80581, 3.78913, 3.78682]
    assert (leaderboard.verdict == "consistent").all()
    official = claims.protocol_as_stated.str.startswith("official")
    assert (verdicts[official.to_numpy()].verdict == "consistent").all()
    supertml = verdicts[verdicts.value == SUPERTML].iloc[0]
    assert supertml.verdict == "explained by public + private together with KaggleWeight"
    lumin = verdicts[verdicts.source.str.contains("lumin")].iloc[0]
    assert lumin.verdict == "explained by AMS without b_r"


def test_catalogue_rows_need_a_source(tmp_path):
    claims = load_catalogue()
    claims.loc[0, "source"] = ""
    path = tmp_path / "claims.csv"
    claims.to_csv(path, index=False)
    with pytest.raises(ValueError, match="row 1 has no source"):
        load_catalogue(path)


def test_protocol_table_pins_the_claim():
    events = simulate_higgs(30_000, seed=5)
    rng = np.random.default_rng(2)
    score = (events.Label == "s").to_numpy() + rng.normal(0, 0.6, len(events))
    audit = audit_predictions(events, score, 1.2, n_resamples=50)
    claim = audit.value("public_plus_private")
    verdict = explain_claim(claim, audit=audit)
    assert verdict.verdict == "explained by public + private together with KaggleWeight"
    assert verdict.equivalent == pytest.approx(audit.value("correct"))


def test_bad_claims_are_refused():
    with pytest.raises(ValueError, match="positive AMS"):
        explain_claim(-1.0)
    with pytest.raises(ValueError, match="weights must be one of"):
        explain_claim(3.0, weights="kaggle")
    with pytest.raises(ValueError, match="fraction must be > 0.0 and <= 1.0"):
        explain_claim(3.0, fraction=1.5)


@pytest.fixture(scope="module")
def flavours_tables():
    return simulate_flavours(1, training=0, test=0, check_agreement=6000, check_correlation=3000)


def _flavours_submission(tables, agreement_pred, correlation_pred):
    return pd.DataFrame(
        {"id": np.concatenate([tables["check_agreement"].id, tables["check_correlation"].id]),
         "prediction": np.concatenate([agreement_pred, correlation_pred])}
    )  # fmt: skip


def test_flavours_checks_pass_and_fail(flavours_tables, tmp_path, capsys):
    agreement = flavours_tables["check_agreement"]
    correlation = flavours_tables["check_correlation"]
    rng = np.random.default_rng(0)
    fair = _flavours_submission(
        flavours_tables, rng.uniform(0, 1, len(agreement)), rng.uniform(0, 1, len(correlation))
    )
    result = audit_flavours(fair, flavours_tables)
    assert result.passed and "cannot be audited" in str(result)
    # a prediction that tells simulation from real data fails KS; one that follows mass fails CvM
    split = _flavours_submission(
        flavours_tables, 0.3 + 0.4 * agreement.signal.to_numpy(), np.full(len(correlation), 0.5)
    )
    failed = audit_flavours(split, flavours_tables)
    assert not failed.ks.passed and failed.ks.value == pytest.approx(1.0)
    mass = correlation["mass"].to_numpy()
    massive = _flavours_submission(
        flavours_tables, np.full(len(agreement), 0.5), (mass - mass.min()) / np.ptp(mass)
    )
    assert not audit_flavours(massive, flavours_tables).cvm.passed
    folder = tmp_path / "flavours"
    folder.mkdir()
    for name in ("check_agreement", "check_correlation"):
        flavours_tables[name].to_csv(folder / f"{name}.csv", index=False)
    fair.to_csv(tmp_path / "fair.csv", index=False)
    split.to_csv(tmp_path / "split.csv", index=False)
    assert main(["audit", "flavours", str(tmp_path / "fair.csv"), "--data", str(folder)]) == 0
    assert main(["audit", "flavours", str(tmp_path / "split.csv"), "--data", str(folder),
                 "--quiet"]) == 1  # fmt: skip
    assert "passes both checks" in capsys.readouterr().out


def test_flavours_submission_missing_an_event_is_refused(flavours_tables):
    agreement = flavours_tables["check_agreement"]
    correlation = flavours_tables["check_correlation"]
    short = _flavours_submission(
        flavours_tables, np.full(len(agreement), 0.5), np.full(len(correlation), 0.5)
    ).iloc[:-1]
    with pytest.raises(ValueError, match="1 event\\(s\\) of check_correlation have no prediction"):
        audit_flavours(short, flavours_tables)
    nan = short.copy()
    nan.loc[nan.index[3], "prediction"] = np.nan
    with pytest.raises(ValueError, match="data row 4"):
        audit_flavours(nan, flavours_tables)


def test_claim_command_exit_status_and_json(capsys, tmp_path):
    status = main(["audit", "claim", "3.979", "--scored", "public+private", "--weights",
                   "KaggleWeight", "--json", "--quiet"])  # fmt: skip
    assert status == 1
    result = json.loads(capsys.readouterr().out)
    assert result["verdict"].startswith("explained by public + private")
    assert result["protocol"] == ["public_plus_private"]
    assert main(["audit", "claim", "3.70", "--scored", "private", "--report",
                 str(tmp_path)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith("3.7: consistent")
    assert (tmp_path / "report.md").read_text().splitlines()[2] == "## Verdict: 3.7 is consistent"
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", "claim", "3.9", "--cut-on", "test"])
    assert exit_info.value.code == 2
    assert (
        capsys.readouterr()
        .err.strip()
        .endswith("cut_on must be one of beforehand, validation, training, scored, got 'test'")
    )


def test_catalogue_command_writes_its_report(tmp_path, capsys):
    assert main(["audit", "catalogue", "--report", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "consistent" in out and "explained by public + private" in out
    assert "Published claims" in (tmp_path / "report.md").read_text()
