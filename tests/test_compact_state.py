"""Detector state pickles as field values alone, and state written in the older, named form still loads."""

from __future__ import annotations

import copyreg
import io
import pickle
from dataclasses import fields, is_dataclass

from tests.test_rules_streams import START, event
from voc_stream.detectors.counts import SlidingCounts
from voc_stream.engine import DetectionEngine
from voc_stream.rules import RuleContext, RulesConfig, build_rules
from voc_stream.state_codec import dumps, loads


def _term_state():
    engine = DetectionEngine(build_rules(RuleContext(config=RulesConfig())), {})
    engine.process(event(START, 1, negative=True, tokens=("油门", "卡顿")))
    return engine.store["emerging_term|油门卡顿"]


class _NamedFormPickler(pickle.Pickler):
    """Writes dataclasses as pickle's default for slots classes did: (None, {field name: value})."""

    def reducer_override(self, obj):
        if is_dataclass(obj) and not isinstance(obj, type):
            return copyreg.__newobj__, (type(obj),), (None, {f.name: getattr(obj, f.name) for f in fields(obj)})
        return NotImplemented


def test_state_round_trips_without_field_names():
    state = _term_state()
    blob = dumps(state)
    assert loads(blob) == state
    assert b"prior_share" not in blob and b"bucket_seconds" not in blob


def test_state_written_with_field_names_still_loads():
    state = _term_state()
    buffer = io.BytesIO()
    _NamedFormPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
    old = buffer.getvalue()
    assert b"prior_share" in old
    assert loads(old) == state
    assert len(dumps(state)) < 0.8 * len(old)


def test_a_field_newer_than_the_state_takes_its_default():
    counts = SlidingCounts.__new__(SlidingCounts)
    counts.__setstate__([300.0, 4, 7, [0, 1, 0, 0]])  # written before `total` existed
    assert counts.head == 7 and counts.counts == [0, 1, 0, 0] and counts.total == 0
