"""The default detector on one real NAB series: its strongest alarms land on the labelled incidents."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from voc_stream.detectors import default_series_detector, parse_timestamp

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NAB = SHARED / "datasets" / "nab"
FILE = "realKnownCause/ec2_request_latency_system_failure.csv"


@pytest.mark.shared
def test_top_scores_fall_in_labelled_windows():
    if not (NAB / "data" / FILE).is_file():
        pytest.skip(f"NAB data not found under {NAB} (../shared beside the repository)")
    with open(NAB / "data" / FILE, newline="") as handle:
        rows = list(csv.DictReader(handle))
    stamps = [r["timestamp"] for r in rows]
    xs = [float(r["value"]) for r in rows]
    ts = [parse_timestamp(s) for s in stamps]
    windows = json.loads((NAB / "labels" / "combined_windows.json").read_text())[FILE]
    index = {s: i for i, s in enumerate(stamps)}
    spans = [(index[a[:19]], index[b[:19]]) for a, b in windows]
    n = len(xs)
    near = [any(lo - (hi - lo) // 2 <= i <= hi for lo, hi in spans) for i in range(n)]

    scores = default_series_detector().score_learn_many(xs, ts)
    probation = min(n * 15 // 100, 750)
    ranked = sorted(range(probation, n), key=lambda i: -scores[i])[:10]
    hit_rate = sum(near[i] for i in ranked) / len(ranked)
    base_rate = sum(near[probation:]) / (n - probation)
    assert hit_rate >= 0.6 > base_rate
    assert all(any(scores[i] > 0.4 for i in range(lo, hi + 1)) for lo, hi in spans[:2])
