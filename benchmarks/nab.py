"""NAB benchmark of the default series detector: quality with the shared scorer, and speed.

    python benchmarks/nab.py [--out DIR] [--no-write]

Scores every file of ``../shared/datasets/nab`` with ``score_series_file`` (the code
path of ``voc-stream score-series``), runs ``../shared/tools/nab_score.py`` on the
output, measures points per second for the detector and for a trivial constant
baseline through the same file path in the same run, and rewrites the ``## NAB``
section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import write_section  # noqa: E402
from voc_stream.detectors import Detector, default_series_detector, score_series_file  # noqa: E402
from voc_stream.detectors.river_adapter import HalfSpaceTreesDetector  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NAB = SHARED / "datasets" / "nab"
SCORER = SHARED / "tools" / "nab_score.py"
COMMAND = "python benchmarks/nab.py"
GOAL_STANDARD = 75.0


class ConstantDetector(Detector):
    """Trivial baseline: no model at all, so its speed is the cost of the file path alone."""

    def score_one(self, x: float, t: float) -> float:
        return 0.0

    def learn_one(self, x: float, t: float) -> None:
        return None

    def score_learn_many(self, xs, ts) -> list[float]:
        return [0.0] * len(xs)


def nab_files() -> list[str]:
    windows = json.loads((NAB / "labels" / "combined_windows.json").read_text())
    return sorted(windows)


def score_corpus(files: list[str], out_dir: Path, make_detector) -> tuple[int, float]:
    """Score each file with a fresh detector; return (points, CPU seconds of this process)."""
    points, started = 0, time.process_time()
    for name in files:
        points += score_series_file(NAB / "data" / name, out_dir / name, detector=make_detector())
    return points, time.process_time() - started


def detector_only_rate(files: list[str]) -> float:
    """Points per second of the detector alone on in-memory floats (no CSV work)."""
    import csv

    series = []
    for name in files:
        with open(NAB / "data" / name, newline="") as handle:
            rows = list(csv.reader(handle))[1:]
        series.append([float(r[1]) for r in rows])
    points, started = 0, time.process_time()
    for xs in series:
        default_series_detector().score_learn_many(xs, xs)
        points += len(xs)
    return points / (time.process_time() - started)


def run_scorer(out_dir: Path, echo: bool = True) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, str(SCORER), str(NAB), str(out_dir)], capture_output=True, text=True, check=True
    )
    if echo:
        print(done.stdout, end="")
    found = re.findall(r"^(\w+): (-?[\d.]+) \(threshold ([\d.]+)", done.stdout, flags=re.MULTILINE)
    return {name: float(score) for name, score, _ in found} | {
        f"{name}_threshold": float(thr) for name, _, thr in found
    }


def render(
    scores: dict[str, float], rate: float, base_rate: float, core_rate: float, n_files: int, points: int,
    holdout: list[str], river: dict[str, float] | None,
) -> str:
    from nab_holdout import GRID_TEXT, HALVES

    params = repr(default_series_detector())
    halves = "; ".join(f"{h} = {', '.join(folders)}" for h, folders in HALVES.items())
    goal_text = "met" if scores["standard"] >= GOAL_STANDARD else "not met yet"
    river_row = ""
    if river:
        river_row = (
            f"Same run, same scorer: river `HalfSpaceTrees` out of the box through our adapter "
            f"(`HalfSpaceTreesDetector`): standard {river['standard']:.1f}, "
            f"reward_low_FP_rate {river['reward_low_FP_rate']:.1f}, "
            f"reward_low_FN_rate {river['reward_low_FN_rate']:.1f}.\n\n"
        )
    held = "\n".join(f"- {line}" for line in holdout) or "- (not run: `--no-holdout`)"
    return f"""Default series detector `{params}` on the shared NAB subset ({n_files} files, {points:,} points),
scored by `../shared/tools/nab_score.py` (NAB rules, one corpus-wide threshold per profile).

| profile | score | threshold |
| --- | ---: | ---: |
| standard | {scores['standard']:.1f} | {scores['standard_threshold']:.4f} |
| reward_low_FP_rate | {scores['reward_low_FP_rate']:.1f} | {scores['reward_low_FP_rate_threshold']:.4f} |
| reward_low_FN_rate | {scores['reward_low_FN_rate']:.1f} | {scores['reward_low_FN_rate_threshold']:.4f} |

Goal: standard >= {GOAL_STANDARD:.0f} on this subset ({goal_text}).

{river_row}For orientation only (full corpus, which adds the hard realTweets files): ARTime 74.9,
Numenta HTM 70.1, CAD OSE 69.9, KNN CAD 58.0, Random Cut Forest 51.7, Windowed Gaussian 39.6.

Throughput in points per CPU second of one core (process time, so other load on the
machine does not distort it), same run (CSV in, CSV out, through `score_series_file`):

| path | points/s |
| --- | ---: |
| default detector, file to file | {rate:,.0f} |
| constant-score baseline, file to file | {base_rate:,.0f} |
| default detector alone, in-memory floats | {core_rate:,.0f} |

Strictly online: each row is scored before it is learned and no score looks ahead;
one detector, one set of parameters for every file, no labels at run time.

How the parameters were chosen, honestly: the views and the defaults
(notably `quiet_points=100` and `alpha=0.003`) were picked by watching the standard
score on this same 48-file subset, so the figure above is optimistic. A
leave-some-files-out check (`benchmarks/nab_holdout.py`) splits the corpus into
two halves by folder ({halves}), picks the best of a small grid ({GRID_TEXT})
on one half and scores it on the other, next to the defaults (standard profile;
each half normalised on its own windows):

{held}

Tried on this subset and not adopted (standard score, against the default's 65.2):
more views beside the four (a second context view of 16 or 4 bands 66.2-66.8, a day-of-week
season 65.3, a fast or a slow level 60.6 / 65.3, a relative-entropy view of the recent band
histogram 65.0-65.3): the gains on one half of the folders are losses on the other (16 and 4
bands plus a weekly season: A 57.6 -> 63.1, B 74.2 -> 72.8); raising the bar after recent alarms
(59-65) or scaling each score by the largest of the last thousand (48-65): both mute the second
and third anomaly of a file as much as its false alarms. Halving the level, step and context
views of a point 3 sd out whose value the same time of day had already reached on an earlier day
(a daily batch job's spike) scored 66.1 (A 58.7, B 74.9), but 63.8-65.5 with the cut-off at 2 or
4 sd or the factor at 0.3 or 0.7: under a point, and only at one setting, so not adopted.
Later, each scored on both halves in one run (A / B against the default's 57.6 / 74.2): a
single-point tail beside the 10-point averages, so a lone spike scores at once, 46.5-64.9 (it
catches two to four more windows, but lone spikes are common in these series and the false-alarm
cost doubles); distance outside running 2% / 98% quantiles 64.4-66.1 (B 71.8-75.9 by setting); a
log-scale level 63.8-64.7; combining the views by Fisher's or Stouffer's method, or adding a share
of the second-largest, 57.6-65.0, each gaining A and losing B; damping an alarm once two earlier
incidents in the file were as extreme 63.5-67.6 (B up to 77.9 by muting the repeats of
cpu_utilization_asg_misconfiguration and machine_temperature, A down in 15 of 18 settings because
it mutes labelled repeats too); a volatility view (recent usual jump against the long-run one)
66.3 (A 59.5, B 74.2), but the whole gain is one window of exchange-2_cpc cleared by 0.002, and
it vanishes with the view's smoothing at 0.02 or 0.07 instead of 0.03-0.05: not adopted. Of the
17 windows still missed, four are lone spikes no larger than earlier ones in the same file, three
show nothing in the values (one is all zeros), two fall in the quiet period after an earlier alarm.

Command: `{COMMAND}`
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="keep the scored files here (default: a temporary folder)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    parser.add_argument("--no-holdout", action="store_true", help="skip the leave-some-files-out check")
    parser.add_argument("--no-river", action="store_true", help="skip the river HalfSpaceTrees yardstick")
    args = parser.parse_args()
    if not (NAB.is_dir() and SCORER.is_file()):
        print(f"SKIPPED: NAB data or scorer not found under {SHARED} (expected ../shared beside the repository)")
        return 0
    files = nab_files()
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = args.out or Path(tmp) / "detector"
        points, seconds = score_corpus(files, out_dir, default_series_detector)
        _, base_seconds = score_corpus(files, Path(tmp) / "baseline", ConstantDetector)
        scores = run_scorer(out_dir)
        river = None
        if not args.no_river:
            score_corpus(files, Path(tmp) / "river", HalfSpaceTreesDetector)
            river = run_scorer(Path(tmp) / "river", echo=False)
            print(f"river HalfSpaceTrees: standard={river['standard']:.1f}")
    rate, base_rate = points / seconds, points / base_seconds
    core_rate = detector_only_rate(files)
    print(f"points={points} detector={rate:,.0f}/s baseline={base_rate:,.0f}/s alone={core_rate:,.0f}/s")
    holdout = []
    if not args.no_holdout:
        from nab_holdout import holdout_lines

        holdout = holdout_lines()
        print("\n".join(holdout))
    section = render(scores, rate, base_rate, core_rate, len(files), points, holdout, river)
    if not args.no_write:
        write_section("NAB", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
