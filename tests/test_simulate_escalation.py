"""Escalations in the generated stream: one customer's private complaints, then a public one; and look-alikes."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta

import pytest

from voc_stream.events import event_from_dict
from voc_stream.rules.escalation import is_complaint
from voc_stream.simulate import ScenarioSpec, generate
from voc_stream.simulate.escalations import DECOY_KINDS
from voc_stream.simulate.events_factory import PUBLIC
from voc_stream.simulate.known_terms import default_lexicon_path
from voc_stream.simulate.reading import service_enricher
from voc_stream.simulate.story_phrases import FIXED, PRAISE, UNANSWERED

# Three clean days, three with stories; no merchants over a line (test_simulate_over_line.py): their customers
# are numbered above the stories' too.
SPEC = ScenarioSpec.benchmark(days=6, events_per_day=3_000).with_(over_line_merchants=0, below_line_merchants=0)


@pytest.fixture(scope="module")
def told():
    return generate(SPEC, seed=11)


@pytest.fixture(scope="module")
def untold():
    return generate(SPEC.with_(escalations_per_day=0, escalation_decoys_per_day=0), seed=11)


def _at(event: dict) -> datetime:
    return datetime.fromisoformat(event["ts"])


def _story_customer(event: dict, spec: ScenarioSpec = SPEC) -> bool:
    return int(event.get("customer_id", "c-0")[2:]) >= 10_000 + spec.customers


def _trails(stream) -> dict[str, list[dict]]:
    trails: dict[str, list[dict]] = {}
    for event in stream.events:
        if _story_customer(event, stream.spec):
            trails.setdefault(event["customer_id"], []).append(event)
    return trails


def _reading(events: list[dict]) -> dict[str, bool]:
    enricher = service_enricher(default_lexicon_path())
    enriched = enricher.enrich_many([event_from_dict(e) for e in events], 0.0)
    return {event["event_id"]: is_complaint(e) for event, e in zip(events, enriched)}


def test_stories_leave_every_other_event_incident_and_decoy_as_it_was(told, untold):
    """Stories draw from their own random streams and take ids of their own: the rest of a seed's stream is unchanged."""
    assert [e for e in told.events if not _story_customer(e)] == untold.events
    assert told.incidents[:len(untold.incidents)] == untold.incidents
    assert {i.rule for i in told.incidents[len(untold.incidents):]} == {"escalation"}
    assert told.decoys[:len(untold.decoys)] == untold.decoys
    assert Counter(d.kind for d in told.decoys[len(untold.decoys):]) == {kind: 3 for kind in DECOY_KINDS}
    assert len({e["event_id"] for e in told.events}) == len(told.events)
    assert [_at(e) for e in told.events] == sorted(_at(e) for e in told.events)


def test_the_demo_without_its_escalation_is_the_demo_as_it_was():
    spec = ScenarioSpec.demo().with_(events_per_day=2_000)
    told, untold = generate(spec, seed=3), generate(spec.with_(escalation_slots=None), seed=3)
    assert [e for e in told.events if not _story_customer(e, spec)] == untold.events
    assert told.incidents[:-1] == untold.incidents and told.incidents[-1].rule == "escalation"


def test_an_escalation_is_private_complaints_then_public_posts_by_the_same_customer(told):
    escalations = [i for i in told.incidents if i.rule == "escalation"]
    assert len(escalations) == 2 * 3
    trails = _trails(told)
    warmup_end = SPEC.start + timedelta(days=SPEC.warmup_days)
    for incident in escalations:
        assert (incident.scope, incident.multiplier, incident.end - incident.start) == ("escalation", 1.0, timedelta(hours=1))
        assert incident.start >= warmup_end and incident.description
        trail = trails[incident.subject["customer_id"]]
        assert len(trail) == incident.events
        private = [e for e in trail if e["channel"] not in PUBLIC]
        public = [e for e in trail if e["channel"] in PUBLIC]
        assert 1 <= len(private) <= 3 and 1 <= len(public) <= 2
        assert _at(public[0]) == incident.start
        assert all(timedelta(hours=1) <= incident.start - _at(e) <= timedelta(hours=48) for e in private)
        assert all("author" not in e for e in private)
        assert all(e["author"] and e["customer_id"] == incident.subject["customer_id"] for e in public)
        assert all(e.get("rating", 1) <= 2 and "{" not in e["text"] for e in trail)
        places = {(e.get("store_id"), e.get("merchant_id"), e["region"], e["city"]) for e in trail}
        assert len(places) == 1  # one customer, one shop


def test_public_escalation_posts_say_the_earlier_contact_went_nowhere_in_many_ways(told):
    escalated = {i.subject["customer_id"] for i in told.incidents if i.rule == "escalation"}
    posts = [e["text"] for e in told.events if e["channel"] in PUBLIC and e.get("customer_id") in escalated]
    assert len(set(posts)) == len(posts) >= 6

    def saying(text: str) -> list[str]:
        return [t for t in UNANSWERED if all(piece in text for piece in re.split(r"\{\w+\}", t))]

    assert all(saying(text) for text in posts)
    assert len({t for text in posts for t in saying(text)}) >= 5


def test_escalations_read_as_complaints_and_the_fix_and_praise_do_not(told):
    """What the rule is told to tell apart must read that way to the service that feeds it."""
    trails = _trails(told)
    events = [e for trail in trails.values() for e in trail]
    complaint = _reading(events)
    kinds = {d.subject["customer_id"]: d.kind for d in told.decoys if "customer_id" in d.subject}
    praise = [e for e in events if kinds.get(e["customer_id"]) == "praise_after_complaint" and e["channel"] in PUBLIC]
    fixed = [e for e in events if e["channel"] == "survey" and e.get("rating") == 5]
    escalated = [e for e in events if e["customer_id"] not in kinds]
    assert praise and fixed and escalated
    assert not any(complaint[e["event_id"]] for e in praise + fixed)
    assert all(complaint[e["event_id"]] for e in escalated if e["channel"] in PUBLIC)
    private = [e for e in events if e["channel"] not in PUBLIC and e not in fixed]
    # A few risk phrasings are hard on purpose ("续航续了个寂寞"): most, not all, read as complaints.
    assert sum(complaint[e["event_id"]] for e in private) >= 0.9 * len(private)


def test_look_alikes_have_their_shapes(told):
    trails = _trails(told)
    escalated = {i.subject["customer_id"] for i in told.incidents if i.rule == "escalation"}
    decoys = [d for d in told.decoys if d.kind in DECOY_KINDS]
    assert len(decoys) == 3 * 3
    for decoy in decoys:
        customer = decoy.subject["customer_id"]
        assert customer not in escalated
        trail = trails[customer]
        assert (decoy.start, decoy.end) == (_at(trail[0]), _at(trail[-1]))
        public = [e["channel"] in PUBLIC for e in trail]
        if decoy.kind == "praise_after_complaint":
            assert public[-1] and not any(public[:-1]) and len(trail) >= 2
            assert trail[-1]["text"] in PRAISE and trail[-1].get("rating", 5) >= 4
        elif decoy.kind == "fixed_then_public":
            assert public[-1] and not any(public[:-1]) and len(trail) >= 3
            survey = trail[-2]
            assert (survey["channel"], survey["rating"]) == ("survey", 5) and survey["text"] in FIXED
            assert trail[-1].get("rating", 1) <= 2
        else:
            assert public[0] and not any(public[1:]) and len(trail) >= 2
        for event in trail:
            assert event["customer_id"] == customer and ("author" in event) == (event["channel"] in PUBLIC)
            assert "{" not in event["text"]
        assert decoy.start >= SPEC.start + timedelta(days=SPEC.warmup_days - 2) and decoy.end <= SPEC.end


def test_story_customers_are_nobody_else(told):
    """Numbered above the background's customers: no background event, private or public, joins a story."""
    trails = _trails(told)
    stories = [i.subject["customer_id"] for i in told.incidents if i.rule == "escalation"]
    stories += [d.subject["customer_id"] for d in told.decoys if "customer_id" in d.subject]
    assert len(set(stories)) == len(stories) and set(stories) == set(trails)
    story_authors = {e["author"] for trail in trails.values() for e in trail if "author" in e}
    background = [e for e in told.events if not _story_customer(e)]
    assert not story_authors & {e.get("author") for e in background}
    assert all(int(e["customer_id"][2:]) < 10_000 + SPEC.customers for e in background if "customer_id" in e)


def test_the_escalation_rule_catches_the_escalations_and_none_of_the_look_alikes(told):
    """The stories alone through the worker's rules: an alert at each public post, none on a look-alike."""
    from voc_stream.backtest import run_backtest
    from voc_stream.simulate.scoring import score

    story = [e for e in told.events if _story_customer(e)]
    escalations = [i for i in told.incidents if i.rule == "escalation"]
    result = score(run_backtest(story), escalations, SPEC.days, decoys=told.decoys)
    assert result.false_alerts == []
    assert result.rules["escalation"].detected >= len(escalations) - 1  # a hard phrasing may go unread
    assert all(minutes == 0.0 for minutes in result.rules["escalation"].minutes_to_detect)
