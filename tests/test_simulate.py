"""The scenario generator: determinism, rhythm, valid events, incidents that exist, decoys."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import datetime

import numpy as np
import pytest

from voc_stream.events import CHINA_TZ, Channel, event_from_dict
from voc_stream.simulate import RATE_RULES, RULES, ScenarioSpec, generate, iter_events
from voc_stream.simulate.corpus import Corpus
from voc_stream.simulate.events_factory import PUBLIC, EventFactory
from voc_stream.simulate.everyday_phrases import EMERGING_TERMS, EVERYDAY
from voc_stream.simulate.generator import Planner, Rates, _prepare, build_world
from voc_stream.simulate.known_terms import default_lexicon_path, is_novel, known_terms
from voc_stream.simulate.reading import service_enricher
from voc_stream.simulate.risk_phrases import FRAUD_CATEGORIES, RISK_CATEGORIES, RISK_PHRASES
from voc_stream.simulate.texts import TextMaker
from voc_stream.text.lexicon import load_lexicon


@pytest.fixture(scope="module")
def demo():
    return generate(ScenarioSpec.demo(), seed=7)


@pytest.fixture(scope="module")
def bench():
    """The benchmark scenario at a tenth of its volume: same calendar, incidents and decoys."""
    return generate(ScenarioSpec.benchmark(events_per_day=6_000), seed=11)


@pytest.fixture(scope="module")
def quiet_week():
    spec = ScenarioSpec.benchmark(days=8, events_per_day=5_000).with_(
        incident_counts={}, promotion_day=None, region_lift=None, tiny_store=False
    )
    return generate(spec, seed=5)


def _at(event: dict) -> datetime:
    return datetime.fromisoformat(event["ts"])


def test_same_seed_same_stream_other_seed_other_stream(demo):
    again = generate(ScenarioSpec.demo(), seed=7)
    assert again.events == demo.events
    assert again.incidents == demo.incidents
    other = generate(ScenarioSpec.demo(), seed=8)
    assert other.events != demo.events


def test_iter_events_yields_the_generated_stream_in_order(demo):
    lazily = list(iter_events(ScenarioSpec.demo(), seed=7))
    assert lazily == demo.events


def test_every_event_meets_the_contract(demo):
    ids = set()
    previous = None
    escalated = {i.subject["customer_id"] for i in demo.incidents if i.rule == "escalation"}
    for event in demo.events:
        parsed = event_from_dict(event)
        assert event["ts"].endswith("+08:00")
        assert previous is None or parsed.ts >= previous
        previous = parsed.ts
        ids.add(parsed.event_id)
        if parsed.channel.is_public:
            # The CRM attributes an escalating customer's public posts to them: those carry both.
            assert parsed.author and (parsed.customer_id is None or parsed.customer_id in escalated)
        else:
            assert parsed.customer_id and parsed.author is None
    assert len(ids) == len(demo.events)


def test_demo_size_and_shape(demo):
    spec = demo.spec
    assert 10_000 <= len(demo.events) <= 20_000
    assert len({e["region"] for e in demo.events}) == spec.regions == 8
    assert 15 <= len({e["store_id"] for e in demo.events if "store_id" in e}) <= 25
    assert {i.rule for i in demo.incidents} == set(RULES) - {"share_limit"}  # a creep over a line takes days
    warmup_end = spec.start.timestamp() + spec.warmup_days * 86_400
    assert all(i.start.timestamp() >= warmup_end for i in demo.incidents)
    (escalation,) = [i for i in demo.incidents if i.rule == "escalation"]
    others = [i for i in demo.incidents if i.rule != "escalation"]
    assert min(i.start for i in others) <= escalation.start <= max(i.end for i in others) < spec.end


def test_channels_products_ids_and_ratings_look_real(bench):
    events = bench.events
    channels = Counter(e["channel"] for e in events)
    assert set(channels) == {c.value for c in Channel}
    public = sum(n for c, n in channels.items() if Channel(c).is_public) / len(events)
    assert 0.35 < public < 0.75
    assert all(re.fullmatch(r"[A-Z]{2,4}-[A-Z]{2,3}-\d{3}", e["store_id"]) for e in events if "store_id" in e)
    assert all(re.fullmatch(r"M\d{5}", e["merchant_id"]) for e in events if "merchant_id" in e)
    assert len({e["region"] for e in events}) == 31
    assert all(1 <= e["rating"] <= 5 for e in events if "rating" in e)
    phones = [e for e in events if re.search(r"1[35789]\d{9}", e["text"])]
    emails = [e for e in events if re.search(r"\w+@\w+\.com", e["text"])]
    assert len(phones) > 100 and len(emails) > 20


def test_stores_stay_in_one_city_and_region(bench):
    places = {}
    for event in bench.events:
        if "store_id" in event:
            places.setdefault(event["store_id"], set()).add((event["region"], event["city"]))
    assert len(places) >= 300
    assert all(len(seen) == 1 for seen in places.values())


def test_nights_are_quiet_and_weekends_busy(quiet_week):
    per_hour = Counter(_at(e).hour for e in quiet_week.events)
    night = sum(per_hour[h] for h in (2, 3, 4)) / 3
    day = sum(per_hour[h] for h in (11, 12, 19, 20)) / 4
    assert night < day / 5
    per_day = Counter(_at(e).date() for e in quiet_week.events)
    saturday, tuesday = datetime(2026, 11, 7).date(), datetime(2026, 11, 10).date()
    assert per_day[saturday] > 1.05 * per_day[tuesday]


def test_every_risk_category_has_a_background_baseline(quiet_week):
    from voc_stream.simulate.world import VERTICALS

    offered = {c for v in VERTICALS for c in v.categories} | {"冒充客服", "诈骗"}
    assert offered == set(RISK_CATEGORIES)
    assert all(len(RISK_PHRASES[c]) >= 10 for c in RISK_CATEGORIES)


def test_every_incident_kind_is_injected_about_subjects_in_the_stream(bench):
    scopes = Counter(i.scope for i in bench.incidents)
    assert scopes == {"region": 4, "national_category": 1, "store": 4, "city": 1, "merchant": 3,
                      "national_fraud": 1, "term": 4, "escalation": 2 * 7, "over_line": 2}
    assert {i.rule for i in bench.incidents} == set(RULES)
    # escalations and merchants over a line: test_simulate_escalation.py, test_simulate_over_line.py
    for incident in (i for i in bench.incidents if i.rule in RATE_RULES):
        low, high = bench.spec.multiplier_range
        if incident.rule != "emerging_term":
            assert low <= incident.multiplier <= high
        inside = [e for e in bench.events if incident.start <= _at(e) < incident.end]
        subject = incident.subject
        if "store_id" in subject:
            matching = [e for e in inside if e.get("store_id") == subject["store_id"]]
        elif "merchant_id" in subject:
            matching = [e for e in inside if e.get("merchant_id") == subject["merchant_id"]]
        elif "city" in subject:
            matching = [e for e in inside if e.get("city") == subject["city"]]
        elif "term" in subject:
            matching = [e for e in inside if subject["term"] in e["text"]]
            assert len(matching) == incident.events
        else:
            assert subject["category"] in RISK_CATEGORIES
            matching = [e for e in inside if e.get("region") == subject.get("region", e.get("region"))]
        assert len(matching) >= incident.events
    # At a tenth of the volume a small merchant's x10 is a few complaints, and Poisson may draw none.
    for rule in RULES:
        assert sum(i.events for i in bench.incidents if i.rule == rule) > 0


@pytest.mark.parametrize("seed", [3, 7, 11])
def test_keyword_spike_incidents_are_about_categories_that_rule_watches(seed):
    """keyword_spike leaves fraud categories to fraud_pattern, so its incidents must not be about them."""
    spec = ScenarioSpec.benchmark()
    world = build_world(np.random.default_rng([seed, 0]), spec.regions, spec.stores, spec.merchants,
                        spec.customers, spec.tiny_store)
    plan = Planner(spec, world, Rates(spec, world), np.random.default_rng([seed, 1]), frozenset()).plan()
    spikes = [i.incident for i in plan.injections if i.incident.rule == "keyword_spike"]
    assert spikes and all(i.subject["category"] not in FRAUD_CATEGORIES for i in spikes)


def test_the_simulated_fraud_categories_are_the_ones_the_shipped_lexicon_marks_fraud():
    """An incident labelled fraud_pattern must be made of complaints that rule counts."""
    from voc_stream.simulate.plan import MERCHANT_FRAUD_MIX

    marked = load_lexicon(default_lexicon_path()).fraud_categories
    assert set(FRAUD_CATEGORIES) == marked
    assert set(MERCHANT_FRAUD_MIX) <= marked and sum(MERCHANT_FRAUD_MIX.values()) == pytest.approx(1.0)


def test_fraud_incident_comes_from_many_distinct_customers(bench):
    for incident in (i for i in bench.incidents if i.scope == "merchant"):
        start, end = incident.start, incident.end
        people = [e.get("customer_id") or e.get("author") for e in bench.events
                  if e.get("merchant_id") == incident.subject["merchant_id"] and start <= _at(e) < end]
        assert len(set(people)) >= 0.9 * len(people)


def test_incident_phrasing_varies(bench):
    for incident in (i for i in bench.incidents if i.scope in ("region", "national_category")):
        texts = [e["text"] for e in bench.events if incident.start <= _at(e) < incident.end
                 and e.get("region") == incident.subject.get("region", e.get("region"))]
        phrases = RISK_PHRASES[incident.subject["category"]]
        used = {p for p in phrases if any(p.split("{")[0][:4] in t for t in texts)}
        assert len(used) >= 4


def test_emerging_terms_are_new_to_the_lexicon_and_to_the_stream(bench):
    known = known_terms(default_lexicon_path())
    for incident in (i for i in bench.incidents if i.rule == "emerging_term"):
        term = incident.subject["term"]
        assert is_novel(term, known)
        before = [e for e in bench.events if term in e["text"] and _at(e) < incident.start]
        assert before == []


def test_a_lexicon_that_knows_a_term_steers_the_choice_away(tmp_path):
    every_term = [t for terms in EMERGING_TERMS.values() for t in terms]
    lexicon = tmp_path / "lexicons.yaml"
    banned = every_term[:-3]
    lexicon.write_text("categories:\n  - {id: new_words, name: 新词, domain: retail, terms: [" + ", ".join(banned) + "]}\n",
                       encoding="utf-8")
    spec = ScenarioSpec.demo().with_(lexicon_path=lexicon, events_per_day=2_000)
    stream = generate(spec, seed=7)
    (term_incident,) = [i for i in stream.incidents if i.rule == "emerging_term"]
    assert term_incident.subject["term"] in every_term[-3:]


def test_a_lexicon_learning_the_picked_term_moves_only_that_term():
    spec = ScenarioSpec.benchmark()
    world = build_world(np.random.default_rng([3, 0]), spec.regions, spec.stores, spec.merchants,
                        spec.customers, spec.tiny_store)

    def incidents_with_known(terms: frozenset[str]):
        plan = Planner(spec, world, Rates(spec, world), np.random.default_rng([3, 1]), terms).plan()
        return [i.incident for i in plan.injections]

    before = incidents_with_known(frozenset())
    picked = [i.subject["term"] for i in before if i.rule == "emerging_term"]
    after = incidents_with_known(frozenset(picked[:1]))
    repicked = [i.subject["term"] for i in after if i.rule == "emerging_term"]
    assert repicked[0] != picked[0] and repicked[1:] == picked[1:]
    others = [[(i.rule, i.subject, i.start, i.end, i.multiplier) for i in run if i.rule != "emerging_term"]
              for run in (before, after)]
    assert others[0] == others[1] and others[0]


def test_decoys_promotion_day_tiny_store_and_regional_lift(bench):
    kinds = {d.kind: d for d in bench.decoys}
    assert {"promotion_day", "tiny_store_complaint", "region_volume_lift", "negated_mentions"} <= set(kinds)
    per_day = Counter(_at(e).date() for e in bench.events)
    promo = kinds["promotion_day"].start.date()
    same_weekday = datetime(2026, 11, 4).date()
    assert 2.0 <= per_day[promo] / per_day[same_weekday] <= 3.0
    tiny = kinds["tiny_store_complaint"].subject["store_id"]
    tiny_events = [e for e in bench.events if e.get("store_id") == tiny]
    assert 1 <= len(tiny_events) <= 4 * bench.spec.days
    lift = kinds["region_volume_lift"]
    region = lift.subject["region"]
    window = [e for e in bench.events if e.get("region") == region and lift.start <= _at(e) < lift.end]
    day_before = [e for e in bench.events if e.get("region") == region
                  and lift.start.timestamp() - 86_400 <= _at(e).timestamp() < lift.end.timestamp() - 86_400]
    assert len(window) > 1.5 * len(day_before)


def test_negated_lookalikes_are_in_the_stream(bench):
    assert any("刹车一点都不响" in e["text"] or "没有异响" in e["text"] for e in bench.events)


def test_runs_with_built_in_texts_only_and_mixes_real_reviews_when_shared_is_given(shared_dir):
    spec = ScenarioSpec.demo().with_(events_per_day=3_000)
    alone = generate(spec, seed=2)
    mixed = generate(spec, seed=2, shared_dir=shared_dir)
    reviews = set()
    with open(shared_dir / "datasets/chinese/waimai_10k.csv", encoding="utf-8") as handle:
        next(handle)
        reviews = {line.strip().split(",", 1)[1] for line in handle if "," in line}
    real_mixed = sum(e["text"] in reviews for e in mixed.events)
    real_alone = sum(e["text"] in reviews for e in alone.events)
    assert real_mixed > 200
    assert real_mixed > 10 * max(real_alone, 1)
    assert all(datetime.fromisoformat(e["ts"]).tzinfo is not None for e in mixed.events)
    assert mixed.spec.start.tzinfo == CHINA_TZ


def test_plain_questions_go_to_the_business_not_to_public_reviews():
    """A "能开发票吗" is asked on a hotline or in a chat: under 3% of the shared corpora's public reviews are
    questions at all, and most of those are rhetorical complaints, which is how the service reads them there."""
    world = build_world(np.random.default_rng([3, 0]), 31, 60, 40, 5_000, False)
    texts = TextMaker(random.Random(3), Corpus(), pii_share=0.0, negated_share=0.0, real_text_share=0.0)
    factory = EventFactory(world, texts, texts.rand)
    questions = {vertical: [max(t.split("{p}"), key=len) for t in pools[1]] for vertical, pools in EVERYDAY.items()}
    asked = Counter()
    for i in range(4_000):
        vertical = ("auto", "dining", "retail", "payments")[i % 4]
        _, event = factory.make(1_700_000_000.0 + i, vertical, "everyday")
        if any(core in event["text"] for core in questions[vertical]):
            asked[event["channel"] in PUBLIC] += 1
    assert asked[False] > 400 and asked[True] == 0


def test_planned_baselines_are_what_the_stream_holds_as_the_service_reads_it(shared_dir):
    """Real reviews name late deliveries and poor quality all the time, and the model reads some everyday
    feedback as negative: the plan's baselines must count them, or an incident planned at x4.7 is barely
    x2.7 of what keyword_spike counts and a store burst is weaker than its label."""
    spec = ScenarioSpec.benchmark(days=3, events_per_day=20_000).with_(
        incident_counts={}, promotion_day=None, region_lift=None, tiny_store=False
    )
    scenario = _prepare(spec, 4, shared_dir)
    planned, world = scenario.rates, scenario.world
    events = generate(spec, seed=4, shared_dir=shared_dir).events
    enriched = service_enricher(default_lexicon_path()).enrich_many([event_from_dict(e) for e in events], 0.0)
    read = Counter(c for e in enriched for c in set(e.categories))
    ratios = {c: read[c] / planned.category(c).sum() for c in ("物流延误", "质量问题", "食品安全", "服务态度差")}
    for vertical in ("dining", "auto"):
        stores = world.stores_of(vertical)
        negatives = sum(e.negative for e in enriched if e.store_id in {s.store_id for s in stores})
        ratios[f"{vertical} store negatives"] = negatives / sum(planned.store_negative(s).sum() for s in stores)
    assert all(0.9 < ratio < 1.1 for ratio in ratios.values()), ratios
