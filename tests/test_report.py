"""The report layer on small inputs: every figure is read back (its artists' data and the numbers
written in its legend) and compared with the metrics it shows; the HTML page is self-contained."""

from __future__ import annotations

import base64
import re

import numpy as np
import pandas as pd
import pytest

from hepclf.metrics import (
    ROC_WEIGHTS,
    TPR_THRESHOLDS,
    agreement_curves,
    ams_curve,
    ks_agreement,
    roc_curve_points,
    selection_ams,
    truncated_auc,
)
from hepclf.metrics._bootstrap import resampled_group_sums
from hepclf.report import (
    Report,
    ScoredEvents,
    ams_at,
    ams_band,
    draw_agreement_cdfs,
    draw_ams_curves,
    draw_feature_importances,
    draw_flatness,
    draw_roc,
    draw_truncated_roc,
    mass_bin_efficiencies,
    plot_feature_importances,
    plot_roc,
)


@pytest.fixture(scope="module")
def events():
    """Weighted toy events: signal scores higher, probabilities in (0, 1)."""
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 3000)
    score = 1 / (1 + np.exp(-rng.normal(2.0 * y - 1.0, 1.2)))
    weight = np.where(y == 1, 0.002, 1.5) * rng.uniform(0.5, 1.5, y.size)
    return ScoredEvents(y, score, weight)


def legend_texts(axis) -> list[str]:
    return [text.get_text() for text in axis.get_legend().get_texts()]


def test_ams_at_is_the_ams_of_the_selection(events):
    curve = ams_curve(*events)
    for cut in (0.2, 0.5, 0.83, float(events.score[7])):
        selected = events.score >= cut
        assert ams_at(curve, cut) == pytest.approx(selection_ams(events.y, selected, events.weight))
    assert ams_at(curve, 1.5) == 0.0  # nothing selected


def test_ams_band_is_the_seeded_bootstrap_of_the_metric(events):
    cuts = np.array([0.3, 0.6, 0.8])
    band = ams_band(*events, cuts=cuts, replicates=40, seed=3)
    # by hand: the same Poisson(1) multiplicities of each event (every event its own group, a
    # column of ones), each selection scored with the metric itself
    n = events.y.size
    multiplicity = resampled_group_sums(np.arange(n), np.ones((n, 1)), n, n_resamples=40, seed=3)
    assert set(np.unique(multiplicity)) <= set(range(20)) and 0.9 < multiplicity.mean() < 1.1
    draws = []
    for k in multiplicity[:, :, 0]:
        weight = events.weight * k
        draws.append([selection_ams(events.y, events.score >= c, weight) for c in cuts])
    low, high = np.quantile(draws, [0.16, 0.84], axis=0)
    np.testing.assert_allclose(band.low, low, rtol=1e-9)
    np.testing.assert_allclose(band.high, high, rtol=1e-9)
    nominal = [selection_ams(events.y, events.score >= c, events.weight) for c in cuts]
    np.testing.assert_allclose(band.ams, nominal, rtol=1e-9)
    assert np.all(band.low <= band.ams) and np.all(band.ams <= band.high)
    assert band.at(0.61) == (band.ams[1], band.low[1], band.high[1])


def test_ams_figure_draws_the_curves_the_band_and_the_numbers_at_the_cut(events):
    half = events.y.size // 2
    sets = {
        "first half": ScoredEvents(*(a[:half] for a in events)),
        "second half": ScoredEvents(*(a[half:] for a in events)),
    }
    curves = {name: ams_curve(*s) for name, s in sets.items()}
    band = ams_band(*sets["first half"], cuts=np.linspace(0.5, 0.95, 30), replicates=20)
    cut = float(band.cuts[12])
    axis = draw_ams_curves(curves, cut=cut, bands={"first half": band}).axes[0]
    for line, curve in zip(axis.lines, curves.values(), strict=False):
        np.testing.assert_array_equal(line.get_xdata(), curve.cuts)
        np.testing.assert_array_equal(line.get_ydata(), curve.ams)
    assert axis.lines[2].get_xdata()[0] == cut
    (polygon,) = axis.collections  # one band: the second set has none
    vertices = polygon.get_paths()[0].vertices
    for x, low, high in zip(band.cuts, band.low, band.high, strict=True):
        at_x = vertices[np.isclose(vertices[:, 0], x), 1]
        assert np.isclose(at_x, low).any() and np.isclose(at_x, high).any()
    texts = legend_texts(axis)
    value, low, high = band.at(cut)
    assert texts[0] == f"first half: AMS {value:.3f} at the cut (68%: {low:.2f} - {high:.2f})"
    second = selection_ams(*sets["second half"][:1], sets["second half"].score >= cut,
                           sets["second half"].weight)  # fmt: skip
    assert texts[1] == f"second half: AMS {second:.3f} at the cut"
    assert axis.get_xscale() == "logit" and "cut" in axis.get_xlabel()


def test_roc_figure_draws_the_metric_roc_and_marks_the_cut(events, tmp_path):
    cut = 0.7
    axis = draw_roc({"toy": events}, cut=cut, data_label="simulated events").axes[0]
    fpr, tpr = roc_curve_points(*events)
    line, marker = axis.lines[:2]
    np.testing.assert_array_equal(line.get_xdata(), tpr[fpr > 0])
    np.testing.assert_array_equal(line.get_ydata(), 1 / fpr[fpr > 0])
    # the marker: weighted efficiencies of the selection score >= cut, by hand
    selected, signal = events.score >= cut, events.y == 1
    eff_s = events.weight[selected & signal].sum() / events.weight[signal].sum()
    eff_b = events.weight[selected & ~signal].sum() / events.weight[~signal].sum()
    assert marker.get_xdata()[0] == pytest.approx(eff_s)
    assert marker.get_ydata()[0] == pytest.approx(1 / eff_b)
    assert axis.get_yscale() == "log" and axis.get_legend().get_title().get_text() == (
        "simulated events"
    )
    assert plot_roc({"toy": events}, tmp_path / "roc.png").exists()


def test_feature_importances_figure_shows_the_largest_by_name(tmp_path):
    shares = pd.Series([0.05, 0.4, 0.1, 0.3, 0.15], index=list("abcde"), name="share of gain")
    axis = draw_feature_importances(shares, top=3).axes[0]
    assert [patch.get_width() for patch in axis.patches] == [0.4, 0.3, 0.15]
    assert [label.get_text() for label in axis.get_yticklabels()] == ["b", "d", "e"]
    assert axis.get_xlabel() == "share of gain"
    assert plot_feature_importances(shares, tmp_path / "f.png").exists()


def test_mass_bin_efficiencies_by_hand():
    # 8 events in two mass bins [0, 1], (1, 2]; predictions rank them 0..7
    mass = np.array([0.0, 0.5, 0.9, 1.0, 1.2, 1.5, 1.8, 2.0])
    pred = np.array([0.9, 0.8, 0.1, 0.7, 0.2, 0.3, 0.4, 0.6])
    eff = mass_bin_efficiencies(pred, mass, global_efficiencies=[0.25, 0.5], bins=2)
    np.testing.assert_array_equal(eff.edges, [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(eff.events, [3, 5])  # bins [0, 1) and [1, 2]
    # 25 %: the two highest (0.9, 0.8) both below mass 1; 50 %: also 0.7 (mass 1.0), 0.6 (2.0)
    np.testing.assert_allclose(eff.efficiency, [[2 / 3, 0.0], [2 / 3, 2 / 5]])
    np.testing.assert_allclose(eff.uncertainty[0], [np.sqrt(2 / 9 / 3), 0.0])


def test_flatness_figure_draws_the_efficiencies_and_the_cvm_value():
    rng = np.random.default_rng(0)
    mass, pred = rng.uniform(1700, 1850, 2000), rng.uniform(0, 1, 2000)
    eff = mass_bin_efficiencies(pred, mass, bins=6)
    axis = draw_flatness(eff, cvm=0.00123456, cvm_limit=0.0018, data_label="toy").axes[0]
    centres = 0.5 * (eff.edges[1:] + eff.edges[:-1])
    assert len(axis.containers) == 4
    for container, efficiency in zip(axis.containers, eff.efficiency, strict=True):
        points = container.lines[0]
        np.testing.assert_allclose(points.get_xdata(), centres)
        np.testing.assert_allclose(points.get_ydata(), efficiency)
    levels = [line.get_ydata()[0] for line in axis.lines[-4:]]
    assert levels == [0.3, 0.5, 0.7, 0.9]
    assert axis.get_legend().get_title().get_text() == "toy\nCvM = 0.001235 (limit 0.0018)"
    assert "[MeV]" in axis.get_xlabel()


def test_truncated_roc_figure_draws_the_roc_the_bands_and_the_score(events):
    y, pred = events.y, events.score
    axis = draw_truncated_roc(y, pred, label="toy").axes[0]
    fpr, tpr = roc_curve_points(y, pred)
    np.testing.assert_array_equal(axis.lines[0].get_xdata(), fpr[fpr > 0])
    np.testing.assert_array_equal(axis.lines[0].get_ydata(), tpr[fpr > 0])
    assert legend_texts(axis)[0] == f"toy\nweighted truncated AUC = {truncated_auc(y, pred):.6f}"
    edges = [0.0, *TPR_THRESHOLDS, 1.0]
    spans = [(patch.get_y(), patch.get_y() + patch.get_height()) for patch in axis.patches]
    np.testing.assert_allclose(spans, list(zip(edges[:-1], edges[1:], strict=True)))
    alphas = [patch.get_alpha() for patch in axis.patches]
    assert np.argsort(alphas).tolist() == np.argsort(ROC_WEIGHTS, kind="stable").tolist()
    (weights,) = axis.child_axes
    texts = [label.get_text() for label in weights.get_yticklabels()]
    assert texts == [f"{w:g}" for w in ROC_WEIGHTS]
    np.testing.assert_allclose(weights.get_yticks(), np.convolve(edges, [0.5, 0.5], "valid"))


def test_html_embeds_every_figure_and_links_nothing(events, tmp_path):
    plot_roc({"toy": events}, tmp_path / "roc.png")
    plot_feature_importances(pd.Series([1.0, 2.0], index=["a", "b"]), tmp_path / "imp.png")
    # a figure given by its full path is linked by name: the Markdown sits beside it
    report = Report("Demo").figure("roc.png", "the ROC").figure(tmp_path / "imp.png", "importances")
    report.write(tmp_path)
    html = (tmp_path / "report.html").read_text()
    sources = re.findall(r'src="([^"]*)"', html)
    assert len(sources) == 2 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "href=" not in html and "roc.png" not in html
    for source, name in zip(sources, ("roc.png", "imp.png"), strict=True):
        assert base64.b64decode(source.split(",", 1)[1]) == (tmp_path / name).read_bytes()
    markdown = (tmp_path / "report.md").read_text()
    assert "![the ROC](roc.png)" in markdown and "![importances](imp.png)" in markdown


def test_html_refuses_a_missing_figure(tmp_path):
    report = Report("Demo").figure("absent.png", "nothing")
    with pytest.raises(FileNotFoundError, match="figure 'absent.png' not found at"):
        report.write(tmp_path)


def test_ks_figure_marks_the_largest_distance_and_its_value():
    rng = np.random.default_rng(2)
    data, sim = rng.beta(2.4, 3, 4000), rng.beta(2, 3, 5000)  # data higher: its CDF is below
    weight = rng.normal(1.0, 0.5, data.size)  # sWeights, some negative
    curves = agreement_curves(data, sim, weight, None)
    axis = draw_agreement_cdfs(curves, data_label="toy data").axes[0]
    low, high = sorted(axis.lines[2].get_ydata())
    ks = ks_agreement(data, sim, weight, None).value
    assert high - low == pytest.approx(ks, abs=1e-12)
    assert legend_texts(axis)[2].startswith(f"largest distance KS = {ks:.4f}")
    inset = axis.child_axes[0]  # the zoom shows the same mark
    np.testing.assert_array_equal(inset.lines[2].get_ydata(), axis.lines[2].get_ydata())
