"""Merchants over share_limit's line in the generated stream: a slow creep of 诱导好评 complaints; and a look-alike."""

from __future__ import annotations

import bisect
import re
from datetime import datetime, timedelta

import pytest

from voc_stream.detectors.counts import binomial_surprise
from voc_stream.events import event_from_dict
from voc_stream.simulate import ScenarioSpec, generate
from voc_stream.simulate.events_factory import PUBLIC
from voc_stream.simulate.known_terms import default_lexicon_path
from voc_stream.simulate.over_line import CATEGORY, LINE, RAMP_DAYS
from voc_stream.simulate.reading import service_enricher

# Three clean days, the last one 双十一; 18 online shops, so that those chosen see a few hundred events a week.
SPEC = ScenarioSpec.benchmark(days=8, events_per_day=3_000).with_(merchants=30)
WEEK = 7 * 86_400


@pytest.fixture(scope="module")
def crossed():
    return generate(SPEC, seed=11)


@pytest.fixture(scope="module")
def uncrossed():
    return generate(SPEC.with_(over_line_merchants=0, below_line_merchants=0), seed=11)


def _at(event: dict) -> datetime:
    return datetime.fromisoformat(event["ts"])


def _added(event: dict) -> bool:
    return re.search(r"-m\d{5}$", event["event_id"]) is not None


def _over(stream):
    return [i for i in stream.incidents if i.rule == "share_limit"]


def _below(stream):
    return [d for d in stream.decoys if d.kind == "below_line"]


def _read(events: list[dict]) -> list[bool]:
    """Whether the service reads each event as 诱导好评, as share_limit counts it."""
    enriched = service_enricher(default_lexicon_path()).enrich_many([event_from_dict(e) for e in events], 0.0)
    return [CATEGORY in e.categories for e in enriched]


def test_the_merchants_leave_every_other_event_incident_and_decoy_as_it_was(crossed, uncrossed):
    """Drawn from random streams of their own, with ids of their own: the rest of a seed's stream is unchanged,
    escalation stories included."""
    assert [e for e in crossed.events if not _added(e)] == uncrossed.events
    assert crossed.incidents[:len(uncrossed.incidents)] == uncrossed.incidents
    assert [(i.rule, i.scope) for i in crossed.incidents[len(uncrossed.incidents):]] == [("share_limit", "over_line")] * 2
    assert crossed.decoys[:len(uncrossed.decoys)] == uncrossed.decoys
    assert [d.kind for d in crossed.decoys[len(uncrossed.decoys):]] == ["below_line"]
    assert any(i.rule == "escalation" for i in uncrossed.incidents)
    assert len({e["event_id"] for e in crossed.events}) == len(crossed.events)
    assert [_at(e) for e in crossed.events] == sorted(_at(e) for e in crossed.events)


def test_over_and_below_the_line_merchants_are_distinct_and_nobody_elses_subject(crossed):
    merchants = [i.subject["merchant_id"] for i in _over(crossed)] + [d.subject["merchant_id"] for d in _below(crossed)]
    assert len(set(merchants)) == len(merchants) == 3
    others = [i for i in crossed.incidents if i.rule != "share_limit"] + [d for d in crossed.decoys if d.kind != "below_line"]
    assert not set(merchants) & {x.subject.get("merchant_id") for x in others}
    for subject in [i.subject for i in _over(crossed)] + [d.subject for d in _below(crossed)]:
        assert subject["category"] == CATEGORY
        assert sum(e.get("merchant_id") == subject["merchant_id"] for e in crossed.events) >= 300


def test_added_complaints_come_from_customers_of_their_own_on_public_and_private_channels(crossed):
    added = [e for e in crossed.events if _added(e)]
    assert added and all(e.get("merchant_id") and "{" not in e["text"] for e in added)
    people = [e.get("customer_id") or e["author"] for e in added]
    assert len(set(people)) == len(people)
    background = {e.get("customer_id") or e.get("author") for e in crossed.events if not _added(e)}
    assert not set(people) & background  # nor the escalation stories' customers
    assert all(int(e["customer_id"][2:]) >= 10_000 + 2 * SPEC.customers for e in added if "customer_id" in e)
    public = sum(e["channel"] in PUBLIC for e in added) / len(added)
    assert 0.2 < public < 0.8
    assert sum(_read(added)) >= 0.8 * len(added)  # a few phrasings are hard on purpose ("追评好评才给退款")
    assert len({e["text"] for e in added}) >= 0.8 * len(added)


def test_an_over_the_line_merchant_creeps_up_and_is_labelled_when_its_weekly_share_crosses(crossed):
    for incident in _over(crossed):
        assert incident.onset is not None
        assert SPEC.start + timedelta(days=SPEC.warmup_days) <= incident.onset <= SPEC.end - timedelta(days=RAMP_DAYS)
        assert incident.onset < incident.start < incident.end == SPEC.end
        assert 3.0 <= incident.multiplier <= 4.0 and incident.baseline_per_hour > 0
        merchant = incident.subject["merchant_id"]
        added = [_at(e) for e in crossed.events if _added(e) and e["merchant_id"] == merchant]
        assert len(added) == incident.events and min(added) >= incident.onset
        first_day = sum(t < incident.onset + timedelta(days=1) for t in added)
        last_day = sum(t >= SPEC.end - timedelta(days=1) for t in added)
        assert first_day < last_day


def test_the_look_alike_stays_under_the_line_over_every_trailing_week(crossed):
    """Counted as share_limit counts: the merchant's feedback and what the service reads as 诱导好评. At a few hundred
    events a week a share of 1.65% wanders over 2% in some weeks by chance: never clearly (the rule's own test)."""
    (decoy,) = _below(crossed)
    assert (decoy.start, decoy.end) == (SPEC.start + timedelta(days=SPEC.warmup_days), SPEC.end)
    assert decoy.factor < 1.0
    merchant = decoy.subject["merchant_id"]
    events = [e for e in crossed.events if e.get("merchant_id") == merchant]
    assert any(_added(e) for e in events)  # few: its usual share, 1.3%, leaves little room under 2%
    times = [_at(e).timestamp() for e in events]
    hits = [0]
    for hit in _read(events):
        hits.append(hits[-1] + hit)
    windows = 0
    for last, end in enumerate(times, start=1):
        first = bisect.bisect_right(times, end - WEEK)
        n, k = last - first, hits[last] - hits[first]
        if n >= 100 and k >= 5:
            windows += 1
            assert binomial_surprise(k, n, LINE) < 3.0, (end, k, n)
    assert windows > 100
    assert windows > 100
