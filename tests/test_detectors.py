"""Contract tests every Detector subclass must pass, plus the series file scorer."""

from __future__ import annotations

import importlib
import math
import pkgutil
import random
from pathlib import Path

import pytest

import voc_stream.detectors as detectors_pkg
from voc_stream.detectors import (
    Detector,
    SeriesFormatError,
    default_series_detector,
    parse_timestamp,
    score_series_file,
)


def _all_detector_classes() -> list[type[Detector]]:
    for info in pkgutil.iter_modules(detectors_pkg.__path__):
        importlib.import_module(f"{detectors_pkg.__name__}.{info.name}")
    found, todo = [], list(Detector.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not getattr(cls, "__abstractmethods__", None) and cls.__module__.startswith("voc_stream."):
            found.append(cls)
    return sorted(set(found), key=lambda c: c.__qualname__)


DETECTORS = _all_detector_classes()


def _series(n: int = 1500, seed: int = 7) -> tuple[list[float], list[float]]:
    """A daily-ish wave with noise, a level shift and a few spikes."""
    rng = random.Random(seed)
    xs, ts = [], []
    for i in range(n):
        x = 10 + 3 * math.sin(i / 40) + rng.gauss(0, 0.5)
        if i > 1000:
            x += 6
        if i in (400, 700, 1200):
            x += 25
        xs.append(x)
        ts.append(1_400_000_000 + 300 * i)
    return xs, ts


def test_contract_finds_the_default_detector():
    assert type(default_series_detector()) in DETECTORS


@pytest.mark.parametrize("cls", DETECTORS, ids=lambda c: c.__name__)
def test_scores_are_in_unit_interval(cls):
    det = cls()
    xs, ts = _series()
    scores = det.score_learn_many(xs, ts)
    assert len(scores) == len(xs)
    assert all(0.0 <= s <= 1.0 for s in scores)


@pytest.mark.parametrize("cls", DETECTORS, ids=lambda c: c.__name__)
def test_score_one_does_not_learn(cls):
    xs, ts = _series(600)
    looked, plain = cls(), cls()
    for x, t in zip(xs, ts):
        first = looked.score_one(x, t)
        assert looked.score_one(x, t) == first
        looked.score_one(x + 100.0, t)  # a peek at something else must leave no trace
        assert plain.score_one(x, t) == first
        looked.learn_one(x, t)
        plain.learn_one(x, t)


@pytest.mark.parametrize("cls", DETECTORS, ids=lambda c: c.__name__)
def test_batch_equals_score_then_learn(cls):
    xs, ts = _series(800)
    one_by_one = cls()
    expected = []
    for x, t in zip(xs, ts):
        expected.append(one_by_one.score_one(x, t))
        one_by_one.learn_one(x, t)
    assert cls().score_learn_many(xs, ts) == expected


@pytest.mark.parametrize("cls", DETECTORS, ids=lambda c: c.__name__)
def test_prefix_scores_match_full_run(cls):
    xs, ts = _series()
    full = cls().score_learn_many(xs, ts)
    for cut in (1, 57, 999):
        assert cls().score_learn_many(xs[:cut], ts[:cut]) == full[:cut]


@pytest.mark.parametrize("cls", DETECTORS, ids=lambda c: c.__name__)
def test_clone_is_unfitted_with_same_parameters(cls):
    xs, ts = _series()
    fitted = cls()
    fitted.score_learn_many(xs[:900], ts[:900])
    twin = fitted.clone()
    assert type(twin) is cls and twin is not fitted
    assert twin._get_params() == fitted._get_params()
    assert twin.score_learn_many(xs, ts) == cls().score_learn_many(xs, ts)


def test_clone_keeps_non_default_parameters():
    det = type(default_series_detector())(quiet_points=17, short=4)
    twin = det.clone()
    assert (twin.quiet_points, twin.short) == (17, 4)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_default_detector_rejects_non_finite_values(bad):
    det = default_series_detector()
    det.score_learn_many([1.0, 2.0], [0.0, 60.0])
    with pytest.raises(ValueError, match="finite"):
        det.score_one(bad, 120.0)
    with pytest.raises(ValueError, match="finite"):
        det.learn_one(bad, 120.0)
    expected = default_series_detector().score_learn_many([1.0, 2.0, 1.5], [0.0, 60.0, 180.0])[2:]
    assert det.score_learn_many([1.5], [180.0]) == expected
    # A bad value in the middle of a batch keeps what was learned before it, nothing after.
    batch = default_series_detector()
    with pytest.raises(ValueError, match="finite"):
        batch.score_learn_many([1.0, 2.0, bad, 7.0], [0.0, 60.0, 90.0, 100.0])
    assert batch.score_learn_many([1.5], [180.0]) == expected


def test_default_detector_scores_spikes_above_calm_points():
    xs, ts = _series()
    scores = default_series_detector().score_learn_many(xs, ts)
    calm = sorted(scores[300:1000])[len(scores[300:1000]) // 2]
    assert scores[400] > 0.3 > calm


# ---- score_series_file


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_series_file_round_trip(tmp_path):
    xs, _ = _series(300)
    lines = ["timestamp,value"]
    stamps = []
    for i, x in enumerate(xs):
        stamp = f"2014-04-{1 + i // 288:02d} {(i % 288) // 12:02d}:{(i % 12) * 5:02d}:00"
        stamps.append(stamp)
        lines.append(f"{stamp},{x!r}")
    src = _write(tmp_path / "in.csv", "\n".join(lines) + "\n")
    seen = []
    rows = score_series_file(src, tmp_path / "out" / "scored.csv", progress=seen.append)
    assert rows == 300 and seen[-1] == 300
    out = (tmp_path / "out" / "scored.csv").read_text().splitlines()
    assert out[0] == "timestamp,value,anomaly_score"
    body = [line.split(",") for line in out[1:]]
    assert [b[0] for b in body] == stamps
    assert [b[1] for b in body] == [repr(x) for x in xs]
    expected = default_series_detector().score_learn_many(xs, [parse_timestamp(s) for s in stamps])
    assert [float(b[2]) for b in body] == pytest.approx(expected, abs=1e-8)


def test_series_file_accepts_iso_and_epoch_timestamps(tmp_path):
    src = _write(
        tmp_path / "in.csv",
        "timestamp,value\n2014-04-01T00:00:00Z,1\n2014-04-01T00:05:00+08:00,2\n1396310700,3\n1396311000.5,4\n",
    )
    assert score_series_file(src, tmp_path / "out.csv") == 4
    assert [line.split(",")[0] for line in (tmp_path / "out.csv").read_text().splitlines()[1:]] == [
        "2014-04-01T00:00:00Z", "2014-04-01T00:05:00+08:00", "1396310700", "1396311000.5"
    ]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,abc\n", 3, "value"),
        ("timestamp,value\n2014-04-01 00:00:00,1\nyesterday,2\n", 3, "timestamp"),
        ("timestamp,value\n2014-04-01 00:00:00,nan\n", 2, "value"),
        ("timestamp,value\n2014-04-01 00:00:00\n", 2, "columns"),
        ("time,amount\n2014-04-01 00:00:00,1\n", 1, "header"),
        ("", 1, "header"),
    ],
)
def test_series_file_bad_rows_name_the_line_and_leave_nothing(tmp_path, text, line, words):
    src = _write(tmp_path / "in.csv", text)
    out = tmp_path / "out" / "scored.csv"
    with pytest.raises(SeriesFormatError) as caught:
        score_series_file(src, out)
    assert isinstance(caught.value, ValueError)
    assert f"in.csv:{line}:" in str(caught.value) and words in str(caught.value)
    assert caught.value.line == line
    assert not out.exists()
    assert list(out.parent.iterdir()) == []


def test_series_file_bad_row_after_many_chunks_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr("voc_stream.detectors.series_file.CHUNK_ROWS", 10)
    rows = [f"{1_400_000_000 + 60 * i},{i % 7}" for i in range(95)] + ["1400009999,oops"]
    src = _write(tmp_path / "in.csv", "timestamp,value\n" + "\n".join(rows) + "\n")
    with pytest.raises(SeriesFormatError, match=r"in\.csv:97:"):
        score_series_file(src, tmp_path / "out.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
