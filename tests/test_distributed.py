"""hepclf.distributed on a LocalCluster: the same features and metrics as in memory, CSV / parquet /
ROOT read alike, physics weights balanced with global sums, bad files refused by name."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

import dask.dataframe as dd  # noqa: E402

from hepclf import metrics  # noqa: E402
from hepclf.datasets import IncompleteFileError, load_higgs  # noqa: E402
from hepclf.datasets.columnar import read_columnar  # noqa: E402
from hepclf.distributed import (  # noqa: E402
    ams_curve_dask,
    best_cut_dask,
    build_on_cluster,
    class_sums,
    connect,
    event_paths,
    fit_on_cluster,
    fit_xgboost_dask,
    flavours_features_dask,
    higgs_features_dask,
    ks_agreement_dask,
    read_events,
    renormalise_dask,
    roc_curve_dask,
    score_cells,
    truncated_auc_dask,
)
from hepclf.distributed.training import _training_weights  # noqa: E402
from hepclf.features import higgs_features  # noqa: E402
from hepclf.models import XGBPhysicsClassifier  # noqa: E402
from hepclf.models._base import balanced_weights  # noqa: E402
from hepclf.simulate import simulate_higgs, write_higgs_csv  # noqa: E402

N_EVENTS, N_FILES = 20_000, 8


@pytest.fixture(scope="module")
def client():
    with connect("local", n_workers=2, processes=False) as client:
        yield client


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """20,000 simulated Open Data events as 8 CSV files and the same 8 files as parquet (the
    parquet holds what the CSV loader gives, so both read to the same frame)."""
    folder = tmp_path_factory.mktemp("events")
    events = simulate_higgs(N_EVENTS, seed=15)
    size = N_EVENTS // N_FILES
    for k in range(N_FILES):
        write_higgs_csv(events.iloc[k * size : (k + 1) * size], folder / f"part-{k}.csv")
        load_higgs(folder / f"part-{k}.csv", partial=True).to_parquet(folder / f"part-{k}.parquet")
    frame = pd.concat(
        [load_higgs(folder / f"part-{k}.csv", partial=True) for k in range(N_FILES)],
        ignore_index=True,
    )
    return folder, frame


def _assert_same_events(found: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Equal values and numeric dtypes (Dask holds strings as pyarrow strings, NA for missing)."""
    found = found.reset_index(drop=True)
    numeric = [name for name in expected if pd.api.types.is_numeric_dtype(expected[name])]
    assert found[numeric].dtypes.equals(expected[numeric].dtypes)
    pd.testing.assert_frame_equal(found, expected, check_dtype=False)


def _parquet(folder):
    return sorted(folder.glob("part-*.parquet"))


def test_parquet_and_csv_files_read_to_the_in_memory_frame(client, simulated):
    folder, frame = simulated
    for pattern in ("part-*.parquet", "part-*.csv"):
        events = read_events(str(folder / pattern))
        assert events.npartitions == N_FILES
        _assert_same_events(events.compute(), frame)


@pytest.mark.parametrize("options", [{}, {"orient": True}, {"include_inputs": False}])
def test_features_equal_the_in_memory_build_bit_for_bit(client, simulated, options):
    folder, frame = simulated
    built = higgs_features_dask(read_events(_parquet(folder)), **options).compute()
    expected = higgs_features(frame, **options)
    assert list(built.columns) == list(expected.columns)
    assert np.array_equal(built.to_numpy(), expected.to_numpy(), equal_nan=True)


def _scored_frame(rng, n, *, ties=False, negative=False):
    labels = rng.integers(0, 2, n)
    score = 1.0 / (1.0 + np.exp(-rng.normal(1.5 * labels - 0.75, 1.0)))
    score = np.round(score, 2) if ties else score.astype(np.float32).astype(np.float64)
    weight = np.where(labels == 1, rng.uniform(0.001, 0.01, n), rng.uniform(0.5, 3.0, n))
    if negative:
        weight = rng.normal(1.0, 1.0, n)
    return pd.DataFrame({"label": labels, "score": score, "weight": weight})


def _same_curve_points(curve, exact):
    """Every point of ``curve`` is the point of ``exact`` at the same cut (to 1e-12)."""
    where = {cut: i for i, cut in enumerate(exact.cuts)}
    index = np.array([where[cut] for cut in curve.cuts])
    for field in ("ams", "signal", "background"):
        np.testing.assert_allclose(getattr(curve, field), getattr(exact, field)[index], rtol=1e-12)


@pytest.mark.parametrize("n_cells", [1, 16, 4096])
@pytest.mark.parametrize("ties", [False, True])
def test_ams_curve_and_best_cut_equal_the_in_memory_metrics(client, rng, n_cells, ties):
    events = _scored_frame(rng, 30_000, ties=ties)
    frame = dd.from_pandas(events, npartitions=6)
    columns = dict(label="label", score="score", weight="weight", n_cells=n_cells)
    exact = metrics.best_cut(events.label, events.score, events.weight)
    found = best_cut_dask(frame, **columns)
    assert found.cut == exact.cut
    assert found.selected_fraction == exact.selected_fraction
    for got, want in zip(found[1:4], exact[1:4], strict=True):
        assert got == pytest.approx(want, rel=1e-12)
    curve = ams_curve_dask(frame, **columns)
    _same_curve_points(curve, metrics.ams_curve(events.label, events.score, events.weight))
    assert exact.cut in curve.cuts


def test_the_exact_pass_rereads_only_the_cells_that_can_hold_the_best_cut(client, rng):
    events = _scored_frame(rng, 30_000)
    frame = dd.from_pandas(events, npartitions=6)
    cells = score_cells(frame, label="label", score="score", weight="weight", n_cells=4096)
    assert cells.count.sum() == len(events)
    assert cells.weight.sum() == pytest.approx(events.weight.sum(), rel=1e-12)
    from hepclf.distributed.metrics import _ams_needed, _ams_scale

    needed = _ams_needed(cells, _ams_scale(cells, metrics.HIGGS_TOTALS), metrics.AMS_BR)
    assert 1 <= needed.sum() <= 20  # a handful of the 4096 cells
    assert cells.count[:, needed].sum() < 0.01 * len(events)


def test_a_hand_computed_best_cut():
    """Four events: selecting the top two (s = 1, b = 0 + the signal at 0.9) is best."""
    events = pd.DataFrame(
        {"label": [1, 0, 1, 0], "score": [0.9, 0.8, 0.7, 0.1], "weight": [4.0, 1.0, 3.0, 50.0]}
    )

    def ams(s, b):
        return math.sqrt(2 * ((s + b + 10) * math.log(1 + s / (b + 10)) - s))

    by_cut = {0.9: ams(4, 0), 0.8: ams(4, 1), 0.7: ams(7, 1), 0.1: ams(7, 51)}
    found = best_cut_dask(
        dd.from_pandas(events, npartitions=2),
        label="label", score="score", weight="weight", totals=None, n_cells=2,
    )  # fmt: skip
    assert found.cut == 0.7
    assert found.ams == pytest.approx(by_cut[0.7], rel=1e-12)
    assert found.ams == pytest.approx(max(by_cut.values()), rel=1e-12)
    assert (found.signal, found.background, found.selected_fraction) == (7.0, 1.0, 0.75)


@pytest.mark.parametrize("n_cells", [8, 4096])
def test_roc_and_truncated_auc_equal_the_in_memory_metrics(client, rng, n_cells):
    events = _scored_frame(rng, 20_000)
    frame = dd.from_pandas(events, npartitions=5)
    columns = dict(label="label", score="score", weight="weight", n_cells=n_cells)
    exact = metrics.truncated_auc(events.label, events.score, events.weight)
    assert truncated_auc_dask(frame, **columns) == pytest.approx(exact, rel=1e-12, abs=1e-12)
    fpr, tpr = roc_curve_dask(frame, **columns)
    full_fpr, full_tpr = metrics.roc_curve_points(events.label, events.score, events.weight)
    # every point is a vertex of the in-memory curve (to 1e-12)
    low = np.searchsorted(full_fpr, fpr - 1e-12, side="left")
    high = np.searchsorted(full_fpr, fpr + 1e-12, side="right")
    for k in range(fpr.size):
        assert np.any(np.abs(full_tpr[low[k] : high[k]] - tpr[k]) <= 1e-12), (fpr[k], tpr[k])


@pytest.mark.parametrize("negative", [False, True])
def test_ks_agreement_equals_the_in_memory_test(client, rng, negative):
    events = _scored_frame(rng, 20_000, negative=negative)
    frame = dd.from_pandas(events, npartitions=5)
    real, sim = events[events.label == 0], events[events.label == 1]
    exact = metrics.ks_agreement(real.score, sim.score, real.weight, sim.weight)
    found = ks_agreement_dask(frame, label="label", score="score", weight="weight", n_cells=512)
    assert found.value == pytest.approx(exact.value, rel=1e-12)
    assert found.passed == exact.passed


def test_renormalisation_uses_the_global_class_sums(client, rng):
    events = _scored_frame(rng, 10_000)
    frame = dd.from_pandas(events, npartitions=4)
    found = renormalise_dask(frame, label="label", weight="weight").compute().to_numpy()
    np.testing.assert_allclose(found, metrics.renormalise(events.label, events.weight), rtol=1e-12)


def test_training_weights_are_balanced_with_global_sums(client, simulated):
    folder, frame = simulated
    events = read_events(_parquet(folder))
    found = _training_weights(events, "Label", "Weight", balance=True).compute().to_numpy()
    target = (frame.Label == "s").to_numpy(float)
    expected = balanced_weights(target, frame.Weight.to_numpy())
    np.testing.assert_allclose(found, expected, rtol=1e-12)


def _train(client, simulated, estimator, **options):
    """The parquet events, their features (Dask) and a model trained on them by xgboost.dask."""
    events = read_events(_parquet(simulated[0]))
    features = higgs_features_dask(events)
    table = features.assign(Label=events.Label, Weight=events.Weight)
    model = fit_xgboost_dask(
        client, table, features=list(features.columns), label="Label", weight="Weight",
        estimator=estimator, **options,
    )  # fmt: skip
    return events, features, model


def test_xgboost_dask_trains_with_ams_early_stopping_and_predicts_a_dask_series(client, simulated):
    frame = simulated[1]
    estimator = XGBPhysicsClassifier(
        n_estimators=20, max_depth=4, early_stopping_rounds=10, early_stopping_metric="ams",
        random_state=0,
    )  # fmt: skip
    events, features, model = _train(client, simulated, estimator, evaluate_every=5)
    assert [rounds for rounds, _ in model.validation_scores] == [5, 10, 15, 20]
    best_rounds, best_value = max(model.validation_scores, key=lambda item: item[1])
    assert model.best_iteration == best_rounds
    scored = events[["Label", "Weight"]].assign(score=model.predict_signal(features))
    score = scored.score.compute().to_numpy()
    assert score.shape == (N_EVENTS,) and ((score >= 0) & (score <= 1)).all()
    found = best_cut_dask(scored, label="Label", score="score", weight="Weight")
    assert found.ams == pytest.approx(metrics.best_cut(frame.Label, score, frame.Weight).ams)
    assert found.ams > 1.5  # the simulated signal is separable well above chance


def test_xgboost_dask_early_stopping_on_its_own_logloss(client, simulated):
    estimator = XGBPhysicsClassifier(
        n_estimators=15, max_depth=3, early_stopping_rounds=3, random_state=0
    )
    _, features, model = _train(client, simulated, estimator)
    losses = [value for _, value in model.validation_scores]
    assert 1 <= len(losses) <= 15
    assert model.best_iteration == int(np.argmin(losses)) + 1
    fitted = model.to_estimator(estimator, classes=np.array(["b", "s"]))
    sample = features.partitions[0].compute()
    expected = model.predict_signal(features).partitions[0].compute().to_numpy()
    np.testing.assert_array_equal(fitted.predict_proba(sample)[:, 1], expected)
    assert set(fitted.predict(sample)) <= {"b", "s"}
    with pytest.raises(TypeError, match="events must be a Dask DataFrame, got DataFrame"):
        model.predict_signal(sample)  # a pandas frame: to_estimator predicts those


def _write_root(frame: pd.DataFrame, path) -> None:
    """An Open Data table as a TTree: numbers only (Label 0/1, KaggleSet 0..3), -999 kept."""
    import uproot

    from hepclf.datasets.higgs import NUMERIC_CODES

    columns = {}
    for name in frame.columns:
        values = frame[name]
        if name in NUMERIC_CODES:
            codes = {code: k for k, code in enumerate(NUMERIC_CODES[name])}
            values = values.map(codes).astype(np.int32)
        columns[name] = values.fillna(-999.0).to_numpy()
    with uproot.recreate(path) as file:  # mktree: a TTree (assigning a dict makes an RNTuple)
        file.mktree("events", {name: values.dtype for name, values in columns.items()})
        file["events"].extend(columns)


def test_a_root_file_in_the_open_data_schema_reads_as_the_csv(client, simulated, tmp_path):
    folder, _ = simulated
    csv = folder / "part-0.csv"
    expected = load_higgs(csv, partial=True)
    _write_root(pd.read_csv(csv), tmp_path / "events.root")
    pd.testing.assert_frame_equal(load_higgs(tmp_path / "events.root", partial=True), expected)
    through_dask = read_events(tmp_path / "events.root").compute()
    _assert_same_events(through_dask, expected)


@pytest.fixture(scope="module")
def hzz_path():
    """scikit-hep-testdata's HZZ tree (downloaded into its cache on first use)."""
    skhep_testdata = pytest.importorskip("skhep_testdata")
    try:
        return skhep_testdata.data_path("uproot-HZZ.root")
    except Exception as error:  # no network and no cached copy
        pytest.skip(f"scikit-hep-testdata could not provide uproot-HZZ.root: {error}")


def test_a_foreign_root_file_reads_with_a_branch_selection(client, hzz_path):
    import uproot

    tree = uproot.open(hzz_path)["events"]
    flat = read_events(hzz_path, kind="table", columns=["NMuon", "MET_px", "EventWeight"])
    found = flat.compute()
    assert list(found.columns) == ["NMuon", "MET_px", "EventWeight"]
    np.testing.assert_array_equal(found.MET_px, tree["MET_px"].array(library="np"))
    assert flat.dtypes.to_dict() == found.dtypes.to_dict()


def test_jagged_branches_are_refused_or_flattened_on_request(client, hzz_path):
    import uproot

    with pytest.raises(ValueError, match="Muon_Px are jagged.*flatten=True"):
        read_events(hzz_path, kind="table", columns=["NMuon", "Muon_Px"])
    with pytest.raises(ValueError, match="Muon_Px are jagged.*flatten=True"):
        read_columnar(hzz_path, columns=["NMuon", "Muon_Px"])  # the in-memory reader alike
    flattened = read_events(
        hzz_path, kind="table", columns=["NMuon", "Muon_Px", "Muon_Py"], flatten=True
    ).compute()
    counts = uproot.open(hzz_path)["events"]["NMuon"].array(library="np")
    assert len(flattened) == counts.sum()
    np.testing.assert_array_equal(flattened.NMuon, np.repeat(counts, counts))


def _damage(folder, tmp_path, case):
    """The 8 parquet files copied, one of them spoiled as ``case`` says; returns (paths, bad)."""
    import shutil

    tmp_path.mkdir(parents=True, exist_ok=True)
    paths = []
    for path in _parquet(folder):
        paths.append(tmp_path / path.name)
        shutil.copy(path, paths[-1])
    bad = paths[3]
    table = pd.read_parquet(bad)
    if case == "missing column":
        table.drop(columns="PRI_met").to_parquet(bad)
    elif case == "schema mismatch":
        table.astype({"PRI_met": np.float32}).to_parquet(bad)
    elif case == "damaged parquet":
        bad.write_bytes(bad.read_bytes()[:-100])  # the footer cut off, as a broken copy leaves it
    elif case == "damaged data":
        content = bytearray(bad.read_bytes())
        content[200:4000] = bytes(3800)  # column chunks overwritten, footer intact
        bad.write_bytes(bytes(content))
    return paths, bad


@pytest.mark.parametrize(
    "case, error, message",
    [
        ("missing column", ValueError, "missing column.*PRI_met"),
        ("schema mismatch", ValueError, "column PRI_met is float.*the files' schemas differ"),
        ("damaged parquet", IncompleteFileError, "not a readable parquet file"),
        ("damaged data", IncompleteFileError, "damaged parquet data"),
    ],
)
def test_bad_files_are_refused_by_name(client, simulated, tmp_path, case, error, message):
    folder, _ = simulated
    paths, bad = _damage(folder, tmp_path, case)
    with pytest.raises(error, match=message) as raised:
        read_events(paths).compute()
    assert str(bad) in str(raised.value)


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda t: t.assign(Weight=t.Weight.where(t.index != 3)), "column Weight, data row 4"),
        (lambda t: t.assign(PRI_met=t.PRI_met.where(t.index != 0, np.inf)), "column PRI_met, "),
        (lambda t: t.assign(PRI_jet_num=t.PRI_jet_num + 0.5), "column PRI_jet_num, data row 1"),
        (lambda t: t.assign(Label=2), "column Label holds codes other than 0..1"),
        (
            lambda t: t.assign(Label=1.0 * (t.Label == "s")).astype({"Label": str}),
            "column Label has values",
        ),
        (lambda t: t.drop(columns="PRI_met"), "missing column.*PRI_met"),
        (lambda t: t.assign(EventId=7), "column EventId, data row 2: id 7 appears more than"),
    ],
)
def test_the_in_memory_loader_checks_a_parquet_file_as_a_csv(simulated, tmp_path, spoil, message):
    folder, _ = simulated
    path = tmp_path / "spoilt.parquet"
    spoil(pd.read_parquet(folder / "part-0.parquet")).to_parquet(path)
    with pytest.raises(ValueError, match=message) as raised:
        load_higgs(path, partial=True)
    assert str(raised.value).startswith(str(path))


def test_a_truncated_root_file_is_refused_by_name(simulated, tmp_path):
    folder, _ = simulated
    path = tmp_path / "events.root"
    _write_root(pd.read_csv(folder / "part-0.csv"), path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # a copy that stopped half way
    with pytest.raises(IncompleteFileError, match="damaged ROOT data") as raised:
        read_events([path]).compute()
    assert str(raised.value).startswith(str(path))


@pytest.mark.parametrize("suffix", [".parquet", ".root"])
def test_the_flavours_loader_reads_parquet_and_root_as_csv(tmp_path, suffix):
    import uproot

    from hepclf.datasets import load_flavours, write_table
    from hepclf.simulate import simulate_flavours

    table = simulate_flavours(seed=3, training=500, check_agreement=0, check_correlation=0,
                              test=0)["training"]  # fmt: skip
    csv = write_table(table, tmp_path / "training.csv")
    expected = load_flavours(training=csv, partial=True)["training"]
    path = tmp_path / f"training{suffix}"
    if suffix == ".root":
        with uproot.recreate(path) as file:
            file.mktree("events", {name: table[name].dtype for name in table})
            file["events"].extend({name: table[name].to_numpy() for name in table})
    else:
        table.to_parquet(path)
    pd.testing.assert_frame_equal(load_flavours(training=path, partial=True)["training"], expected)
    spoilt = tmp_path / "spoilt.parquet"
    for spoil, column in ((dict(signal=table.signal * 2), "signal"),
                          (dict(FlightDistance=np.nan), "FlightDistance")):  # fmt: skip
        table.assign(**spoil).to_parquet(spoilt)
        with pytest.raises(ValueError, match=f"{spoilt}: column {column}, data row "):
            load_flavours(training=spoilt, partial=True)


@pytest.mark.parametrize("table", ["training", "check_agreement", "check_correlation", "test"])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_flavours_tables_in_several_files_read_to_the_in_memory_frames(
    client, tmp_path, table, suffix
):
    from hepclf.datasets import load_flavours, write_table
    from hepclf.features import flavours_features
    from hepclf.simulate import simulate_flavours

    events = simulate_flavours(seed=4, training=900, check_agreement=900, check_correlation=900,
                               test=900)[table]  # fmt: skip
    parts = []
    for k in range(3):
        path = tmp_path / f"{table}-{k}{suffix}"
        part = events.iloc[k * 300 : (k + 1) * 300]
        write_table(part, path) if suffix == ".csv" else part.to_parquet(path)
        parts.append(load_flavours(**{table: path}, partial=True)[table])
    read = read_events(str(tmp_path / f"{table}-*{suffix}"), kind="flavours")
    assert read.npartitions == 3
    expected = pd.concat(parts, ignore_index=True)
    assert list(read.dtypes) == list(expected.dtypes)  # the meta is what the loader gives
    _assert_same_events(read.compute(), expected)
    built = flavours_features_dask(read).compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(built, flavours_features(expected))


def test_flavours_files_of_different_tables_are_refused_before_reading(tmp_path):
    from hepclf.datasets import write_table
    from hepclf.simulate import simulate_flavours

    tables = simulate_flavours(seed=4, training=50, check_agreement=50, check_correlation=0,
                               test=0)  # fmt: skip
    training = write_table(tables["training"], tmp_path / "training.csv")
    agreement = write_table(tables["check_agreement"], tmp_path / "check_agreement.csv")
    with pytest.raises(ValueError, match=r"check_agreement.csv: not a file with the columns of "):
        read_events([training, agreement], kind="flavours")
    other = tmp_path / "other.csv"
    pd.DataFrame({"id": [1], "x": [2.0]}).to_csv(other, index=False)
    with pytest.raises(ValueError, match=r"other.csv: its columns are those of no Flavours table"):
        read_events(other, kind="flavours")
    with pytest.raises(ValueError, match="columns, tree and flatten are options of kind='table'"):
        read_events(training, kind="flavours", columns=["id"])


def test_schema_problems_are_found_before_anything_is_computed(simulated, tmp_path):
    """read_events alone (no compute) refuses the file: nothing was read from any partition."""
    folder, _ = simulated
    for case in ("missing column", "schema mismatch", "damaged parquet"):
        paths, bad = _damage(folder, tmp_path / case.replace(" ", "_"), case)
        with pytest.raises(ValueError, match=str(bad)):
            read_events(paths)


def test_an_unknown_scheduler_address_is_named():
    with pytest.raises(ValueError, match="no Dask scheduler answers at 'tcp://127.0.0.1:9'"):
        connect("tcp://127.0.0.1:9", timeout=1)


def test_hepclf_features_with_dask_writes_one_parquet_file_per_input(simulated, tmp_path):
    from hepclf.cli import main
    from hepclf.cli.data import higgs_feature_table

    folder, frame = simulated
    out = tmp_path / "features"
    pattern = str(folder / "part-*.parquet")
    assert main(["features", "higgs", pattern, str(out), "--dask", "local", "--quiet"]) == 0
    assert len(list(out.glob("*.parquet"))) == N_FILES
    written = pd.read_parquet(out).reset_index(drop=True)
    expected = higgs_feature_table(frame)
    assert list(written.columns) == list(expected.columns)
    numeric = expected.select_dtypes("number").columns
    assert np.array_equal(written[numeric].to_numpy(), expected[numeric].to_numpy(), equal_nan=True)
    assert (written.Label.to_numpy() == expected.Label.to_numpy()).all()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--dask", "tcp://127.0.0.1:9"], "no Dask scheduler answers at 'tcp://127.0.0.1:9'"),
        (["--dask", "local", "--orient"], None),  # the output name below is a file: refused
    ],
)
def test_hepclf_features_with_dask_refuses_bad_input(simulated, tmp_path, capsys, argv, message):
    from hepclf.cli import main

    folder, _ = simulated
    output = tmp_path / ("features" if message else "features.parquet")
    with pytest.raises(SystemExit) as stop:
        main(["features", "higgs", str(folder / "part-0.parquet"), str(output), *argv])
    assert stop.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith("hepclf features: error: ")
    assert (message or "must be a folder (of parquet files)") in error
    assert not output.exists()


def test_the_higgs_reproduction_on_a_cluster(client):
    from hepclf.reproduce import reproduce_higgs

    options = dict(simulate=3000, folds=2, rounds=10, quiet=True)
    on_cluster = reproduce_higgs(dask=client, **options)
    in_memory = reproduce_higgs(**options)
    # the features (so the cross-validation and the cut) are the same; the final model is
    # xgboost.dask's, which scores the leaderboard sets
    assert on_cluster.cv.cut == in_memory.cv.cut
    np.testing.assert_array_equal(on_cluster.cv.oof_score, in_memory.cv.oof_score)
    assert on_cluster.model.best_iteration_ == 10
    assert set(on_cluster.leaderboard) == {"public", "private"}
    assert on_cluster.leaderboard["private"] == pytest.approx(
        in_memory.leaderboard["private"], abs=0.5
    )
    assert on_cluster.importances.sum() == pytest.approx(1.0)


def test_hepclf_higgs_with_dask_writes_the_report(tmp_path):
    from hepclf.cli import main

    out = tmp_path / "report"
    argv = ["higgs", "--simulate", "2000", "--folds", "2", "--rounds", "5", "--dask", "local"]
    assert main([*argv, "--quiet", "--out", str(out)]) == 0
    assert "Leaderboard sets" in (out / "report.md").read_text()
    assert (out / "ams_curve.png").exists()


def _with_empty_partitions(events: pd.DataFrame, n_parts: int = 3):
    """``events`` as a Dask DataFrame of ``n_parts`` partitions with an empty one before, between
    and after them (as a filter or an empty file leaves them)."""
    bounds = np.linspace(0, len(events), n_parts + 1).astype(int)
    pieces = [events.iloc[:0]]
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        pieces += [events.iloc[start:stop], events.iloc[:0]]
    return dd.from_map(lambda k: pieces[k], range(len(pieces)), meta=events.iloc[:0])


def test_empty_partitions_change_no_metric(client, rng):
    events = _scored_frame(rng, 6_000)
    plain = dd.from_pandas(events, npartitions=3)
    holed = _with_empty_partitions(events)
    assert holed.npartitions == 7
    assert holed.map_partitions(len).compute().tolist()[0::2] == [0, 0, 0, 0]
    columns = dict(label="label", weight="weight")
    assert class_sums(holed, **columns) == pytest.approx(class_sums(plain, **columns), rel=1e-12)
    np.testing.assert_allclose(
        renormalise_dask(holed, **columns).compute().to_numpy(),
        renormalise_dask(plain, **columns).compute().to_numpy(),
        rtol=1e-12,
    )
    scored = dict(columns, score="score", n_cells=64)
    assert best_cut_dask(holed, **scored) == pytest.approx(best_cut_dask(plain, **scored))
    assert truncated_auc_dask(holed, **scored) == pytest.approx(truncated_auc_dask(plain, **scored))
    assert ks_agreement_dask(holed, **scored).value == pytest.approx(
        ks_agreement_dask(plain, **scored).value
    )
    for found, expected in zip(
        roc_curve_dask(holed, **scored), roc_curve_dask(plain, **scored), strict=True
    ):
        np.testing.assert_allclose(found, expected, rtol=1e-12)


def test_empty_partitions_give_the_same_features_and_training_weights(client):
    events = simulate_higgs(600, seed=4)
    holed = _with_empty_partitions(events)
    built = higgs_features_dask(holed)
    assert built.compute().equals(higgs_features(events))
    assert len(built.partitions[0].compute()) == 0
    assert list(built.partitions[0].compute().columns) == list(built.columns)
    found = _training_weights(holed, "Label", "Weight", balance=True).compute().to_numpy()
    expected = balanced_weights((events.Label == "s").to_numpy(float), events.Weight.to_numpy())
    np.testing.assert_allclose(found, expected, rtol=1e-12)


def test_empty_partitions_train_the_same_booster(client):
    events = simulate_higgs(1_500, seed=5)
    table = higgs_features(events, include_inputs=False).assign(
        Label=events.Label, Weight=events.Weight
    )
    features = [name for name in table.columns if name not in ("Label", "Weight")]
    estimator = XGBPhysicsClassifier(n_estimators=3, max_depth=2, random_state=0)
    options = dict(features=features, label="Label", weight="Weight", estimator=estimator)
    holed = fit_xgboost_dask(client, _with_empty_partitions(table, 2), **options)
    plain = fit_xgboost_dask(client, dd.from_pandas(table, npartitions=2), **options)
    sample = dd.from_pandas(table[features], npartitions=1)
    np.testing.assert_allclose(
        holed.predict_signal(sample).compute(), plain.predict_signal(sample).compute(), rtol=1e-6
    )


def _small_events(**changes) -> pd.DataFrame:
    """40 scored events, both classes, positive weights; ``changes`` replace columns."""
    labels = np.tile([0, 1], 20)
    events = pd.DataFrame(
        {"label": labels, "score": np.linspace(0.01, 0.99, 40), "weight": np.full(40, 0.5)}
    )
    return events.assign(**changes)


def _dask(events: pd.DataFrame, npartitions: int = 2):
    return dd.from_pandas(events, npartitions=npartitions)


def _weight_at(row: int, value: float) -> np.ndarray:
    weights = np.full(40, 0.5)
    weights[row] = value
    return weights


def _fit(client, events, **options):
    table = _dask(events.assign(x=np.arange(len(events), dtype=float)))
    estimator = XGBPhysicsClassifier(n_estimators=2, max_depth=2, **options.pop("params", {}))
    return fit_xgboost_dask(
        client, table, features=["x"], label="label", weight="weight", estimator=estimator,
        **options,
    )  # fmt: skip


_SCORED = dict(label="label", score="score", weight="weight")
_SUMS = dict(label="label", weight="weight")
_SORTED = np.repeat([0, 1], 20)  # labels by score: the cells of a coarse grid hold one class


@pytest.mark.parametrize(
    "problem, call, error, message",
    [
        # 1. a frame whose partitions are all empty: no events (never "y is empty")
        (
            "1 empty",
            lambda c: best_cut_dask(_dask(_small_events().iloc[:0]), **_SCORED),
            ValueError,
            "frame has no events",
        ),
        (
            "1 empty sums",
            lambda c: renormalise_dask(_dask(_small_events().iloc[:0]), **_SUMS),
            ValueError,
            "the signal events' weights sum to 0.0; cannot rescale",
        ),
        (
            "1 empty fit",
            lambda c: _fit(c, _small_events().iloc[:0]),
            ValueError,
            "events has no events",
        ),
        # 2. weights of class_sums / renormalise_dask
        (
            "2 NaN weight",
            lambda c: class_sums(_dask(_small_events(weight=_weight_at(25, np.nan))), **_SUMS),
            ValueError,
            r"weight \(partition 1\): column 'weight' has 1 NaN .*first at row 5 \(index 25\)",
        ),
        (
            "2 NaN renormalise",
            lambda c: renormalise_dask(_dask(_small_events(weight=_weight_at(3, np.inf))), **_SUMS),
            ValueError,
            r"weight \(partition 0\): column 'weight' has 1 NaN or infinite",
        ),
        (
            "2 negative",
            lambda c: class_sums(_dask(_small_events(weight=_weight_at(3, -1.0))), **_SUMS),
            ValueError,
            "column 'weight' has 1 negative weight.*row 3",
        ),
        (
            "2 None",
            lambda c: class_sums(_dask(_small_events()), label="label", weight=None),
            TypeError,
            "weight is required",
        ),
        (
            "2 strings",
            lambda c: class_sums(_dask(_small_events(weight="heavy")), **_SUMS),
            TypeError,
            "column 'weight' must be numeric",
        ),
        # 3. fit_on_cluster: the in-memory fit's rules; reserved names; validation columns
        (
            "3 negative",
            lambda c: fit_on_cluster(
                c,
                XGBPhysicsClassifier(n_estimators=2),
                pd.DataFrame({"x": np.arange(40.0)}),
                np.tile([0, 1], 20),
                _weight_at(4, -2.0),
            ),
            ValueError,
            "sample_weight has 1 negative weight",
        ),
        (
            "3 NaN",
            lambda c: fit_on_cluster(
                c,
                XGBPhysicsClassifier(n_estimators=2),
                pd.DataFrame({"x": np.arange(40.0)}),
                np.tile([0, 1], 20),
                _weight_at(4, np.nan),
            ),
            ValueError,
            "sample_weight has 1 NaN",
        ),
        (
            "3 reserved",
            lambda c: fit_on_cluster(
                c,
                XGBPhysicsClassifier(n_estimators=2),
                pd.DataFrame({"x": np.arange(40.0), "_weight": 1.0}),
                np.tile([0, 1], 20),
                None,
            ),
            ValueError,
            "X: column _weight is reserved",
        ),
        (
            "3 validation",
            lambda c: _fit(
                c,
                _small_events(),
                params=dict(early_stopping_rounds=1),
                validation=_dask(_small_events().drop(columns="weight")),
            ),
            ValueError,
            "validation lacks the column.*weight",
        ),
        (
            "3 validation label",
            lambda c: _fit(
                c,
                _small_events(),
                params=dict(early_stopping_rounds=1, early_stopping_metric="ams"),
                validation=_dask(_small_events(x=1.0, label=3)),
            ),
            ValueError,
            r"label \(partition \d\): column 'label' must hold only 0 and 1",
        ),
        # 4. AMS of one class or of a class without weight
        (
            "4 one class",
            lambda c: ams_curve_dask(_dask(_small_events(label=1)), **_SCORED),
            ValueError,
            "y contains a single class",
        ),
        (
            "4 zero weight",
            lambda c: best_cut_dask(
                _dask(_small_events(weight=np.tile([1.0, 0.0], 20))), **_SCORED
            ),
            ValueError,
            "sample_weight of the signal events sum to 0",
        ),
        # 5. a negative weight in a cell of one class (the cell's sum is positive)
        (
            "5 roc",
            lambda c: roc_curve_dask(
                _dask(_small_events(label=_SORTED, weight=_weight_at(2, -0.1))),
                n_cells=4,
                **_SCORED,
            ),
            ValueError,
            r"weight \(partition 0\): column 'weight' has 1 negative weight",
        ),
        (
            "5 auc",
            lambda c: truncated_auc_dask(
                _dask(_small_events(label=_SORTED, weight=_weight_at(31, -0.1))),
                n_cells=4,
                **_SCORED,
            ),
            ValueError,
            "has 1 negative weight.*row 11 \\(index 31\\)",
        ),
        # 6. options checked before any pass (the NaN score would fail the first pass)
        (
            "6 thresholds",
            lambda c: truncated_auc_dask(
                _dask(_small_events(score=np.nan)), tpr_thresholds=[0.5, 0.2, 0.3, 0.4], **_SCORED
            ),
            ValueError,
            "tpr_thresholds must increase",
        ),
        (
            "6 roc weights",
            lambda c: truncated_auc_dask(
                _dask(_small_events(score=np.nan)), roc_weights=[1.0], **_SCORED
            ),
            ValueError,
            "roc_weights must have one more entry",
        ),
        (
            "6 KS",
            lambda c: ks_agreement_dask(
                _dask(_small_events(score=np.nan)), threshold=2.0, **_SCORED
            ),
            ValueError,
            "threshold must be > 0.0 and <= 1.0",
        ),
        # 7. the real message of a partition, never xgboost.dask's AssertionError
        (
            "7 labels",
            lambda c: _fit(c, _small_events(label=np.tile([0, 2], 20))),
            ValueError,
            r"label \(partition \d\): column 'label' must hold only 0 and 1, found \[2\]",
        ),
        (
            "7 feature",
            lambda c: fit_xgboost_dask(
                c, _dask(_small_events(x="a")), features=["x"], label="label", weight="weight"
            ),
            TypeError,
            r"events \(partition \d\): column x must be numeric.*: 'a'",
        ),
        (
            "7 weight",
            lambda c: _fit(c, _small_events(weight=_weight_at(30, -1.0))),
            ValueError,
            r"weight \(partition 1\): column 'weight' has 1 negative.*row 10 \(index 30\)",
        ),
        (
            "7 one class",
            lambda c: _fit(c, _small_events(label=0)),
            ValueError,
            "events: y contains a single class",
        ),
        # 8. no AttributeError for a pandas frame; a literal file name with glob characters
        (
            "8 pandas",
            lambda c: higgs_features_dask(simulate_higgs(100, seed=1)),
            TypeError,
            "events must be a Dask DataFrame, got DataFrame",
        ),
        (
            "8 build",
            lambda c: build_on_cluster(c, [1, 2], higgs_features),
            TypeError,
            "frame must be a pandas DataFrame",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and value[0].isdigit() else "",
)
def test_distributed_bad_input(client, problem, call, error, message):
    with pytest.raises(error, match=message):
        call(client)


def test_an_existing_file_with_glob_characters_in_its_name_is_itself(tmp_path):
    path = tmp_path / "run[1].csv"
    path.write_text("EventId\n1\n")
    assert event_paths(str(path)) == [path]
    assert event_paths([path]) == [path]
    with pytest.raises(FileNotFoundError, match="no file matches"):
        event_paths(str(tmp_path / "run[2].csv"))
