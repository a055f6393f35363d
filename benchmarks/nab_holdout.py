"""Leave-some-files-out check of the NAB parameter choice.

    python benchmarks/nab_holdout.py

The default parameters were picked by looking at the whole NAB subset, which
flatters them. Here the corpus is split into two halves by source folder; on each
half a small grid is searched, and the winner is scored on the *other* half next
to the defaults. If held-out winners beat the defaults by a wide margin, or the
defaults collapse on one half, the choice is overfitted.
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import json
import sys

from voc_stream.detectors import ContextualRateDetector, default_series_detector, parse_timestamp

from nab import NAB, SCORER

GRID_TEXT = "quiet_points 50/100/200/300 x alpha 0.003/0.01 x short 5/10"
HALVES = {
    "A": ("realAWSCloudwatch", "realAdExchange", "artificialNoAnomaly"),
    "B": ("realKnownCause", "realTraffic", "artificialWithAnomaly"),
}
GRID = {"quiet_points": (50, 100, 200, 300), "alpha": (0.003, 0.01), "short": (5, 10)}


def load_scorer():
    spec = importlib.util.spec_from_file_location("nab_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def holdout_lines() -> list[str]:
    """One line per direction: the grid winner on one half, scored on the other next to the defaults."""
    scorer = load_scorer()
    windows = json.loads((NAB / "labels" / "combined_windows.json").read_text())
    cost = json.loads((NAB / "config" / "profiles.json").read_text())["standard"]["CostMatrix"]
    series = {}
    for name in sorted(windows):
        with open(NAB / "data" / name, newline="") as handle:
            rows = list(csv.reader(handle))[1:]
        stamps = [r[0] for r in rows]
        series[name] = (stamps, [float(r[1]) for r in rows], [parse_timestamp(s) for s in stamps])

    def standard(make, files) -> float:
        points = []
        for name in files:
            stamps, xs, ts = series[name]
            scores = make().score_learn_many(xs, ts)
            points += scorer.points_for_file(stamps, scores, windows[name], name, cost)
        return scorer.best_score(points, sum(len(windows[f]) for f in files), cost)[0]

    halves = {h: [f for f in series if f.split("/")[0] in folders] for h, folders in HALVES.items()}
    grid = [dict(zip(GRID, values)) for values in itertools.product(*GRID.values())]
    lines = []
    for train, test in (("A", "B"), ("B", "A")):
        scored = [(standard(lambda p=p: ContextualRateDetector(**p), halves[train]), p) for p in grid]
        best_train, best = max(scored, key=lambda s: s[0])
        held_out = standard(lambda: ContextualRateDetector(**best), halves[test])
        default_score = standard(default_series_detector, halves[test])
        lines.append(
            f"tune on {train} ({len(halves[train])} files): best {best} scores {best_train:.1f} there; "
            f"on held-out {test}: tuned {held_out:.1f}, defaults {default_score:.1f}"
        )
    return lines


def main() -> int:
    if not (NAB.is_dir() and SCORER.is_file()):
        print(f"SKIPPED: NAB data or scorer not found under {NAB.parent.parent}")
        return 0
    print(f"defaults: {default_series_detector()!r}")
    for line in holdout_lines():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
