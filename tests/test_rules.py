"""Rule behaviour on small synthetic streams: sparse keys, tiny stores, volume lifts, lifecycle, new terms."""

from __future__ import annotations

import pickle
import random

from tests.test_rules_streams import DAY, HOUR, START, background, burst, engine, event, firing, run
from voc_stream.rules import RulesConfig
from voc_stream.state_codec import dumps, loads


def test_sparse_hits_do_not_fire():
    """A region where a category is rare: two or three complaints close together are not an alert."""
    events = background(4, 30, category_share=0.002, seed=2)
    events += burst(START + 3 * DAY + 14 * HOUR, 20, 3, categories=("质量问题",))
    assert firing(run(engine(rules=("keyword_spike",)), events)) == []


def _region_spike(stores: list[str]) -> list:
    """Quality complaints in 浙江, 25 in 40 min, spread over ``stores``."""
    events = background(4, 30, category_share=0.01, seed=3)
    for i, store in enumerate(stores):
        events += burst(START + 3 * DAY + 14 * HOUR, 40, 25 // len(stores), seed=20 + i, store=store,
                        categories=("质量问题",))
    return events


def test_category_spike_fires_and_names_the_region():
    alerts = firing(run(engine(rules=("keyword_spike",)), _region_spike(["S1", "S2", "S3", "S4", "S5"])))
    subjects = [a.subject for a in alerts]
    assert {"category": "质量问题", "region": "浙江"} in subjects
    first = min(a.fired_at.timestamp() for a in alerts if a.subject.get("region") == "浙江")
    assert first - (START + 3 * DAY + 14 * HOUR) < 40 * 60  # inside the burst, not after it


def test_one_store_flood_is_not_its_regions_category_spike():
    """The same complaints all from one store are that store's incident (negative_burst), not 浙江's."""
    alerts = firing(run(engine(rules=("keyword_spike",)), _region_spike(["S9"])))
    assert not [a for a in alerts if a.subject.get("region") == "浙江"]


def test_tiny_store_fires_only_on_strong_evidence():
    """About two events a day: one angry post is not a burst, a dozen in an hour is."""
    quiet = background(6, 2 / 24 / 0.8, negative_share=0.3, seed=4, store="TINY", city=None)
    one = quiet + [event(START + 5 * DAY + 15 * HOUR, 1, store="TINY", city=None, negative=True)]
    assert firing(run(engine(rules=("negative_burst",)), one)) == []
    many = quiet + burst(START + 5 * DAY + 15 * HOUR, 60, 12, store="TINY", city=None, negative=True)
    assert firing(run(engine(rules=("negative_burst",)), many), "negative_burst")


def test_promotion_day_volume_lift_is_not_an_incident():
    """Everything x2.5 for a day, shares unchanged: neither keyword_spike nor negative_burst fires."""
    normal = background(4, 40, negative_share=0.4, category_share=0.02, seed=5)
    promo = background(1, 40, negative_share=0.4, category_share=0.02, seed=6, start=START + 4 * DAY, lift=2.5)
    alerts = run(engine(rules=("keyword_spike", "negative_burst")), normal + promo)
    assert firing(alerts) == []


def test_negative_burst_fires_on_a_flood_of_angry_posts():
    events = background(4, 12, negative_share=0.4, seed=7)
    events += burst(START + 3 * DAY + 13 * HOUR, 90, 60, negative=True)
    alerts = firing(run(engine(rules=("negative_burst",)), events))
    assert any(a.subject == {"store_id": "S1"} for a in alerts)


def test_negative_burst_at_a_store_whose_usual_share_is_high():
    """Half of this store's feedback is negative anyway: nearly four times its negatives lift their share only 1.6x.

    The store's own (weaker) share guard lets that burst through; the cities' guard would not.
    Five days of history first: the hour-of-day count must be known well enough to trust.
    """
    events = background(7, 12, negative_share=0.5, seed=8)
    events += burst(START + 5 * DAY + 11 * HOUR, 120, 34, negative=True)

    def store_alerts(guard: float) -> list:
        config = RulesConfig.model_validate({"negative_burst": {"store_share_guard_surprise": guard}})
        alerts = firing(run(engine(config, rules=("negative_burst",)), events))
        return [a for a in alerts if a.subject == {"store_id": "S1"}]

    fired = store_alerts(RulesConfig().negative_burst.store_share_guard_surprise)
    assert fired and fired[0].fired_at.timestamp() < START + 5 * DAY + 13 * HOUR
    assert store_alerts(RulesConfig().negative_burst.share_guard_surprise) == []


def _store_incident_run():
    eng = engine(rules=("negative_burst",))
    events = background(5, 12, negative_share=0.4, seed=8)
    events += burst(START + 3 * DAY + 13 * HOUR, 90, 60, negative=True)
    return eng, run(eng, events)


def test_alert_lifecycle_keeps_one_id_and_resolves_after_quiet():
    eng, alerts = _store_incident_run()
    store = [a for a in alerts if a.subject == {"store_id": "S1"}]
    assert [a.status for a in store][0] == "firing"
    assert store[-1].status == "resolved"
    assert len({a.alert_id for a in store}) == 1
    resolved = store[-1].fired_at.timestamp()
    quiet = RulesConfig().negative_burst.resolve_after_minutes * 60
    last_firing = max(a.fired_at.timestamp() for a in store if a.status == "firing")
    assert resolved >= last_firing + quiet - 1
    assert resolved < START + 3 * DAY + 13 * HOUR + 90 * 60 + 2 * quiet + 600


def test_incident_is_not_learned_as_normal():
    """After the flood the key's rhythm for that hour stays near what it was before."""
    eng, _ = _store_incident_run()
    series = eng.store["negative_burst|store|S1"].series["negative"]
    rate_13h = series.hourly.rate(13)
    rate_14h = series.hourly.rate(14)
    usual = series.hourly.rate(16)
    assert rate_13h < 2 * usual and rate_14h < 2 * usual


def test_state_is_compact_and_loads_through_the_restricted_codec():
    eng, _ = _store_incident_run()
    for key, state in eng.store.items():
        blob = dumps(state)
        assert len(blob) < 20_000, key
        assert loads(blob).volume.counts == state.volume.counts
    assert pickle.loads(dumps(eng.store["negative_burst|store|S1"])).series


def _term_events(term_tokens, start, count, customers, seed=11, stores=6):
    """Posts with a phrase, from ``customers`` people at ``stores`` stores (a new script is heard everywhere)."""
    out = burst(start, 40, count, seed=seed, negative=True, tokens=("客服", "说", *term_tokens, "是", "真的", "吗"))
    for i, e in enumerate(out):
        e.customer_key = f"p{i % customers}"
        e.store_id = f"S{i % stores + 1}"
    return out


def test_emerging_term_fires_for_a_phrase_absent_before():
    events = background(3, 20, negative_share=0.5, seed=12)
    events += _term_events(("解冻", "保证金"), START + 2 * DAY + 10 * HOUR, 12, customers=12)
    alerts = firing(run(engine(rules=("emerging_term",)), events), "emerging_term")
    terms = {a.subject["term"] for a in alerts}
    # The phrase speaks for its words ("解冻", "保证金") and for the words around it ("客服说", "说解冻").
    assert terms == {"解冻保证金"}


def test_emerging_term_at_one_store_is_that_stores_business():
    """A phrase surging at one store only (its staff, its queue) is for negative_burst, not a new term."""
    events = background(3, 20, negative_share=0.5, seed=12)
    events += _term_events(("解冻", "保证金"), START + 2 * DAY + 10 * HOUR, 12, customers=12, stores=1)
    assert firing(run(engine(rules=("emerging_term",)), events), "emerging_term") == []


def test_emerging_term_fires_when_two_of_its_first_posts_share_a_store():
    """Five posts from four stores: two at one place among hundreds is chance, not that place's complaint."""
    events = background(3, 20, negative_share=0.5, seed=12)
    events += _term_events(("解冻", "保证金"), START + 2 * DAY + 10 * HOUR, 5, customers=5, stores=4)
    terms = {a.subject["term"] for a in firing(run(engine(rules=("emerging_term",)), events), "emerging_term")}
    assert terms == {"解冻保证金"}


def _reading(events, sentiment: float):
    """The posts as the sentiment model reads them, none of them rated 1-2 stars."""
    for e in events:
        e.sentiment, e.negative = sentiment, False
    return events


def test_emerging_term_hears_a_new_defect_reported_in_neutral_words():
    """"后视镜起雾第二次了,店里说查不出问题" reads 0.47: the model does not know the new defect's words either."""
    events = background(3, 20, negative_share=0.5, seed=12)
    events += _reading(_term_events(("解冻", "保证金"), START + 2 * DAY + 10 * HOUR, 12, customers=12), 0.47)
    terms = {a.subject["term"] for a in firing(run(engine(rules=("emerging_term",)), events), "emerging_term")}
    assert terms == {"解冻保证金"}


def test_emerging_term_leaves_praise_alone():
    """A new dish everyone loves is no risk: praise (above max_sentiment) is not searched for new terms."""
    events = background(3, 20, negative_share=0.5, seed=12)
    events += _reading(_term_events(("油条", "煎饼"), START + 2 * DAY + 10 * HOUR, 12, customers=12), 0.9)
    assert firing(run(engine(rules=("emerging_term",)), events), "emerging_term") == []


def test_emerging_term_needs_distinct_complainants():
    events = background(3, 20, negative_share=0.5, seed=13)
    events += _term_events(("解冻", "保证金"), START + 2 * DAY + 10 * HOUR, 12, customers=2)
    assert firing(run(engine(rules=("emerging_term",)), events)) == []


def test_emerging_term_ignores_place_names():
    """A city named in a flood of angry posts is negative_burst's business, not a new term."""
    events = background(3, 20, negative_share=0.5, seed=16)
    events += _term_events(("宁波", "这边", "排长队"), START + 2 * DAY + 10 * HOUR, 12, customers=12)
    terms = {a.subject["term"] for a in firing(run(engine(rules=("emerging_term",)), events))}
    assert "宁波" not in terms


def test_emerging_term_ignores_degree_words_and_interjections():
    """"稍有点" and "哈哈哈" carry no topic: only the word they surround may be a term."""
    rule = engine(rules=("emerging_term",)).rules["emerging_term"]
    review = event(START, 1, negative=True, tokens=("哈哈哈", "稍", "有点", "漏气"))
    assert rule.candidates(review) == ["漏气"]


def test_emerging_term_ignores_a_phrase_said_every_day():
    """A phrase with daily mentions that surges is rising, not new."""
    events = background(3, 20, negative_share=0.5, seed=14)
    for day in range(2):
        for k in range(4):
            at = START + day * DAY + (9 + 3 * k) * HOUR
            events += _term_events(("排队", "太久"), at, 1, customers=1, seed=100 + day * 10 + k)
    events += _term_events(("排队", "太久"), START + 2 * DAY + 10 * HOUR, 12, customers=12)
    assert firing(run(engine(rules=("emerging_term",)), events)) == []


def test_emerging_term_waits_for_the_warm_up():
    events = background(1, 20, negative_share=0.5, seed=15)
    events += _term_events(("解冻", "保证金"), START + 5 * HOUR, 12, customers=12)
    assert firing(run(engine(rules=("emerging_term",)), events)) == []


def test_shipped_rules_yaml_matches_the_code_defaults(tmp_path):
    """config/rules.yaml documents what runs: every value in it is the code's default."""
    from pathlib import Path

    from voc_stream.rules import load_rules

    shipped = load_rules(Path(__file__).resolve().parents[1] / "config" / "rules.yaml")
    assert shipped == RulesConfig()


def test_a_rule_block_overrides_field_by_field(tmp_path):
    from voc_stream.config import ConfigError
    from voc_stream.rules import load_rules

    path = tmp_path / "rules.yaml"
    path.write_text("negative_burst:\n  min_count: 9\n", encoding="utf-8")
    config = load_rules(path)
    assert config.negative_burst.min_count == 9
    assert config.negative_burst.prior_share == RulesConfig().negative_burst.prior_share
    path.write_text("negative_burst:\n  min_cuont: 9\n", encoding="utf-8")
    try:
        load_rules(path)
    except ConfigError as exc:
        assert "min_cuont" in str(exc)
    else:
        raise AssertionError("a misspelt field must be an error")


def test_an_older_files_negative_only_still_reads(tmp_path, caplog):
    """emerging_term.negative_only became max_sentiment: a file that says it keeps its meaning, with a warning."""
    from voc_stream.rules import load_rules

    path = tmp_path / "rules.yaml"
    for value, max_sentiment in (("true", 0.0), ("false", 1.0)):
        path.write_text(f"emerging_term:\n  negative_only: {value}\n", encoding="utf-8")
        assert load_rules(path).emerging_term.max_sentiment == max_sentiment
    assert "replaced by max_sentiment" in caplog.text


def test_a_rare_categorys_hour_share_leans_on_its_all_day_share():
    """A slot that saw 300 events and, by chance, none of a 1% category must not expect almost none."""
    from voc_stream.detectors.counts import hour_of_day
    from voc_stream.rules.monitor import KeyMonitor
    from voc_stream.rules.settings import RuleSettings

    monitor = KeyMonitor(RuleSettings(), 300.0)
    state = monitor.new_state()
    series = monitor.new_series(state)
    state.baseline.volume, series.hit_total = 10_000.0, 100.0  # about 1% all day
    now = START + 3 * DAY + 20 * HOUR
    state.volume.add(now, 50)
    series.hits.head = state.volume.head
    state.hour_volume[hour_of_day(now)] = 300.0  # ~3 hits would be usual; this slot saw 0
    expected, _ = monitor.expected_with_evidence(state, series, [1])[0]
    assert expected > 0.6 * 0.01 * 50  # rhythm_weight (200 events) alone gives ~0.2


def test_an_hour_share_is_only_as_sure_as_that_hours_history():
    """A key with 10,000 events behind it but 300 at this hour: the window's share has far less behind it
    than the all-day figure, and more once the hour has seen more days (the beta-binomial's doubt)."""
    from voc_stream.detectors.counts import hour_of_day
    from voc_stream.rules.monitor import KeyMonitor
    from voc_stream.rules.settings import RuleSettings

    monitor = KeyMonitor(RuleSettings(), 300.0)
    state = monitor.new_state()
    series = monitor.new_series(state)
    state.baseline.volume, series.hit_total = 10_000.0, 300.0  # 3% all day
    now = START + 3 * DAY + 9 * HOUR + 30 * 60  # mid-hour: the window reads one slot
    state.volume.add(now, 50)
    series.hits.head = state.volume.head
    slot = hour_of_day(now)
    state.hour_volume[slot], series.hour_hits[slot] = 300.0, 9.0
    _, young = monitor.expected_with_evidence(state, series, [1])[0]
    state.hour_volume[slot], series.hour_hits[slot] = 3_000.0, 90.0
    _, older = monitor.expected_with_evidence(state, series, [1])[0]
    assert young < 0.1 * monitor.share_evidence(state)
    assert young < older <= monitor.share_evidence(state)


def test_a_scope_of_few_keys_may_have_its_own_threshold():
    """The nation's 15 category series are far fewer tests than 31 regions' 465: they may fire on less."""
    from voc_stream.rules.settings import RuleSettings

    config = RulesConfig(keyword_spike=RuleSettings(max_source_share=0.4, scope_surprise={"national": 4.0}))
    rule = engine(config, rules=("keyword_spike",)).rules["keyword_spike"]
    national, region = rule.threshold("keyword_spike|全国"), rule.threshold("keyword_spike|浙江")
    assert region == rule.monitor.threshold
    assert round(region - national, 6) == 2.0  # surprise 6 vs 4, the same correction for the windows


def test_an_unknown_scope_is_a_clear_error(tmp_path):
    from voc_stream.config import ConfigError
    from voc_stream.rules import load_rules

    path = tmp_path / "rules.yaml"
    path.write_text("keyword_spike:\n  scope_surprise: {nation: 4.0}\n", encoding="utf-8")
    try:
        load_rules(path)
    except ConfigError as exc:
        assert "nation" in str(exc) and "national" in str(exc)
    else:
        raise AssertionError("a misspelt scope must be an error")


def test_every_key_a_rule_keeps_has_a_declared_scope():
    from voc_stream.rules.settings import RULE_SCOPES

    eng = engine()
    e = event(START, 1, negative=True, categories=("质量问题", "诈骗"), merchant="M1", tokens=("保证金", "解冻"))
    keys = eng.route(e)
    assert {key.split("|", 1)[0] for key in keys} == set(RULE_SCOPES)
    for key in keys:
        rule = eng.rule_of(key)
        assert rule.scope(key) in RULE_SCOPES[rule.name], key


def test_a_merchants_fraud_share_is_learned_not_held_down_by_the_prior():
    """One complaint in 33 at this merchant is about fraud. After three days the share it expects must be
    near that: a prior held at 0.002 by 400 events' weight expected half of it, so a chance clump of
    four or five complaints at night read as a scam."""
    events = background(3, 8, seed=5, store=None, city="杭州", merchant="M1")
    for i, e in enumerate(events):
        if i % 33 == 16:
            e.categories = ["诈骗"]
    eng = engine(rules=("fraud_pattern",))
    run(eng, events)
    rule, state = eng.rules["fraud_pattern"], eng.store["fraud_pattern|merchant|M1"]
    assert rule.monitor.share(state, state.series["fraud"]) > 0.7 / 33


def test_emerging_term_reads_a_long_post_to_its_end():
    """A hotline transcript or a long review names its problem late: here after twenty words of preamble."""
    rand = random.Random(5)
    pool = [chr(0x4E00 + 2 * k) + chr(0x4E01 + 2 * k) for k in range(400)]  # everyday words, each rare
    events = background(3, 20, negative_share=0.5, seed=12)
    posts = _term_events(("解冻", "保证金"), START + 2 * DAY + 10 * HOUR, 12, customers=12)
    for post in posts:
        post.tokens = [*rand.sample(pool, 20), "解冻", "保证金"]
    terms = {a.subject["term"] for a in firing(run(engine(rules=("emerging_term",)), events + posts), "emerging_term")}
    assert terms == {"解冻保证金"}
