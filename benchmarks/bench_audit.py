"""Speed of the full AMS audit of 550,000 predictions (the size of the Kaggle test file).

    python benchmarks/bench_audit.py            # writes the "AMS audit" section of RESULTS.md

Simulated Open Data events are resampled to the release's set sizes (100,000 public, 450,000
private), a Kaggle submission of 550,000 rows is made from a score, and three steps are timed
(best of 3 after a warm-up call that compiles the bootstrap kernel):

- the full audit as ``hepclf audit submission`` runs it (``score_submission``: every check, the
  public and private AMS, the protocol table with every row and the curves of the figure, and a
  200-resample bootstrap of each set that gives both the uncertainties and the table's); target:
  under 5 s on 2 cores;
- the protocol table of predictions alone (``audit_predictions``).
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import pandas as pd
from _common import best_time, machine_line, write_section

from hepclf.audit import audit_predictions, score_submission
from hepclf.metrics import renormalise
from hepclf.schemas import KAGGLE_SET_SIZES
from hepclf.simulate import simulate_higgs

TARGET_SECONDS = 5.0


def release_sized_events(seed: int = 0) -> pd.DataFrame:
    """Simulated events resampled to the Open Data release's set sizes, weights renormalised."""
    base = simulate_higgs(50_000, seed=seed)
    rng = np.random.default_rng(seed)
    n = sum(KAGGLE_SET_SIZES.values())
    events = base.iloc[rng.integers(0, len(base), n)].reset_index(drop=True)
    events["EventId"] = np.arange(100_000, 100_000 + n)
    codes = np.repeat(list(KAGGLE_SET_SIZES), list(KAGGLE_SET_SIZES.values()))
    events["KaggleSet"] = rng.permutation(codes)
    signal = (events.Label == "s").to_numpy()
    events["Weight"] = renormalise(signal, events.Weight)
    for code in KAGGLE_SET_SIZES:
        in_set = (events.KaggleSet == code).to_numpy()
        events.loc[in_set, "KaggleWeight"] = renormalise(signal[in_set], events.Weight[in_set])
    return events


def run(resamples: int) -> str:
    events = release_sized_events()
    boards = events[events.KaggleSet.isin(["b", "v"])]
    rng = np.random.default_rng(1)
    score = (boards.Label == "s").to_numpy() + rng.normal(0, 0.7, len(boards))
    cut = float(np.quantile(score, 0.85))
    rank = np.empty(score.size, dtype=np.int64)
    rank[np.argsort(score)] = np.arange(1, score.size + 1)
    submission = pd.DataFrame(
        {"EventId": boards.EventId, "RankOrder": rank, "Class": np.where(score >= cut, "s", "b")}
    )

    def scoring():
        return score_submission(submission, events, n_resamples=resamples)

    def table():
        return audit_predictions(boards, score, cut, n_resamples=resamples)

    times = {"score_submission (checks, both AMS, the protocol table, one bootstrap)":
             best_time(scoring), "audit_predictions alone": best_time(table)}  # fmt: skip
    result = scoring()
    audit = result.protocols
    rows = "\n".join(f"| {name} | {seconds:.2f} |" for name, seconds in times.items())
    full = next(iter(times.values()))
    verdict = "meets" if full < TARGET_SECONDS else "misses"
    return f"""
{machine_line()}
Command: `python benchmarks/bench_audit.py`. 550,000 predictions (100,000 public, 450,000
private: simulated events resampled to the release's set sizes), a Kaggle-format submission,
{resamples} bootstrap resamples per set; best of 3 after a warm-up call.

| step | seconds |
|---|---:|
{rows}

The full audit ({", ".join(audit.table.protocol)}; every row, the curves of the figure and the
bootstrap) {verdict} the {TARGET_SECONDS:g} s target. Results of the timed run: public AMS
{result.public:.4f} +- {result.public_error:.4f}, private {result.private:.4f} +-
{result.private_error:.4f}; public + private together reads
{audit.row("public_plus_private")["ratio"]:.4f} times the private AMS (sqrt(2) = 1.4142).
Load average during the run: {os.getloadavg()[0]:.1f} (the machine is shared).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--no-write", action="store_true", help="print, do not write RESULTS.md")
    args = parser.parse_args()
    body = run(args.resamples)
    print(body)
    if not args.no_write:
        write_section("AMS audit", body)


if __name__ == "__main__":
    main()
