"""Matching alerts to injected incidents, on hand-made alerts and incidents."""

from __future__ import annotations

from datetime import datetime, timedelta

from voc_stream.alerts import Alert
from voc_stream.events import CHINA_TZ
from voc_stream.simulate import Decoy, Incident
from voc_stream.simulate.scoring import first_firings, markdown_table, percentile, score, subject_agrees

T0 = datetime(2026, 11, 7, 10, 0, tzinfo=CHINA_TZ)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def alert(alert_id: str, rule: str, subject: dict[str, str], minutes: float, status: str = "firing") -> Alert:
    return Alert(
        alert_id=alert_id, rule=rule, status=status, severity="warning", subject=subject,
        fired_at=at(minutes), window_start=at(minutes - 10), window_end=at(minutes),
        observed=9, expected=1.5, score=0.99, summary="s", runbook_url=f"deploy/runbooks/{rule}.md",
    )


BRAKES = Incident("keyword_spike", {"category": "刹车异响", "region": "广东"}, at(0), at(120), 5.0, "brakes", "region")
MERCHANT = Incident("fraud_pattern", {"merchant_id": "M10086"}, at(300), at(420), 8.0, "fraud", "merchant")
TERM = Incident("emerging_term", {"term": "征信修复费"}, at(600), at(700), 6.0, "new scam", "term")


def test_first_firing_per_alert_id_counts_once_and_resolved_is_ignored():
    alerts = [
        alert("kw-1", "keyword_spike", BRAKES.subject, 30),
        alert("kw-1", "keyword_spike", BRAKES.subject, 12),
        alert("kw-1", "keyword_spike", BRAKES.subject, 90, status="resolved"),
        alert("kw-2", "keyword_spike", BRAKES.subject, 200, status="resolved"),
    ]
    firings = first_firings(alerts)
    assert [(a.alert_id, a.fired_at) for a in firings] == [("kw-1", at(12))]


def test_subject_must_agree_on_every_incident_key_extra_keys_allowed():
    assert subject_agrees({"merchant_id": "M10086"}, {"merchant_id": "M10086", "category": "刷单"})
    assert not subject_agrees({"category": "刹车异响", "region": "广东"}, {"category": "刹车异响"})
    assert not subject_agrees({"category": "刹车异响", "region": "广东"}, {"category": "刹车异响", "region": "广西"})
    assert subject_agrees({"term": "征信修复费"}, {"term": "征信修复"})
    assert subject_agrees({"term": "征信修复费"}, {"term": "征信修复费用"})
    assert not subject_agrees({"term": "征信修复费"}, {"term": "征"})
    assert not subject_agrees({"term": "征信修复费"}, {"term": "屏幕共享"})


def test_recall_time_to_detect_and_false_alerts_per_rule():
    alerts = [
        alert("kw-1", "keyword_spike", BRAKES.subject, 12),
        alert("kw-1", "keyword_spike", BRAKES.subject, 40),  # update of the same alert
        alert("kw-x", "keyword_spike", {"category": "刹车异响", "region": "广西"}, 15),  # wrong region
        alert("kw-early", "keyword_spike", BRAKES.subject, -5),  # before the start
        alert("nb-1", "negative_burst", BRAKES.subject, 20),  # other rule
        alert("fp-1", "fraud_pattern", {"merchant_id": "M10086", "category": "刷单"}, 420 + 25),  # within grace
        alert("fp-2", "fraud_pattern", {"merchant_id": "M10086", "category": "诈骗"}, 420 + 45),  # after grace
    ]
    result = score(alerts, [BRAKES, MERCHANT, TERM], days=2.0)
    kw, fp, et = (result.rules[r] for r in ("keyword_spike", "fraud_pattern", "emerging_term"))
    assert (kw.incidents, kw.detected, kw.recall, kw.minutes_to_detect) == (1, 1, 1.0, [12.0])
    assert kw.false_alerts == 2 and kw.false_per_day == 1.0
    assert (fp.detected, fp.minutes_to_detect, fp.false_alerts) == (1, [145.0], 1)
    assert (et.incidents, et.detected, et.recall, et.median_minutes) == (1, 0, 0.0, None)
    assert result.rules["negative_burst"].false_alerts == 1
    assert result.overall.incidents == 3 and result.overall.detected == 2
    assert result.overall.false_alerts == 4 and result.overall.false_per_day == 2.0
    assert result.missed == [TERM]
    assert not result.meets()


def test_a_perfect_run_meets_the_targets_and_dicts_are_accepted():
    alerts = [
        alert("kw-1", "keyword_spike", BRAKES.subject, 8).to_dict(),
        alert("fp-1", "fraud_pattern", {"merchant_id": "M10086", "category": "刷单"}, 305).to_dict(),
        alert("et-1", "emerging_term", {"term": "征信修复"}, 615).to_dict(),
    ]
    result = score(alerts, [BRAKES, MERCHANT, TERM], days=1.0)
    assert result.overall.recall == 1.0
    assert result.overall.median_minutes == 8.0
    assert result.meets()


def test_false_alerts_are_sorted_by_when_they_fired():
    promo = Decoy("promotion_day", {}, at(1000), at(2440), 2.5, "promo")
    negated = Decoy("negated_mentions", {}, at(-6000), at(6000), 0.02, "everywhere")
    alerts = [
        alert("a", "keyword_spike", {"category": "漏水"}, -3000),
        alert("b", "keyword_spike", {"category": "漏水"}, 1500),
        alert("c", "keyword_spike", {"category": "漏水"}, 60),
        alert("d", "keyword_spike", {"category": "漏水"}, 3000),
    ]
    result = score(alerts, [BRAKES], days=4.0, decoys=[promo, negated], warmup_end=at(-1000))
    assert result.false_when == {"warmup": 1, "decoy:promotion_day": 1, "during_incident": 1, "other": 1}


def test_percentile_is_nearest_rank():
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([], 0.5) is None


def test_table_has_a_row_per_rule_and_overall():
    table = markdown_table(score([], [BRAKES, TERM], days=1.0))
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [row.split("|")[1].strip() for row in rows] == [
        "keyword_spike", "negative_burst", "fraud_pattern", "emerging_term", "escalation", "share_limit", "**overall**"]
    assert "| 2 | 0 | 0.00 |" in rows[-1]


def test_a_term_alert_quoting_the_incident_term_is_attributed_not_false():
    """"对方让我征信修复费,还让下载会议软件": an alert on 下载会议 is the same posts under another name."""
    quoting = alert("et-2", "emerging_term", {"term": "下载会议"}, 640)
    quoting.samples = ["对方让我征信修复费,还让下载会议软件"] * 3 + ["下载会议软件,好用吗"]
    elsewhere = alert("et-3", "emerging_term", {"term": "下载会议"}, 640)
    elsewhere.samples = ["下载会议软件,好用吗"] * 2 + ["对方让我征信修复费,还让下载会议软件"] * 2  # not most
    late = alert("et-4", "emerging_term", {"term": "下载会议"}, 700 + 45)
    late.samples = quoting.samples
    other_rule = alert("fp-9", "fraud_pattern", {"term": "下载会议"}, 640)
    other_rule.samples = quoting.samples
    result = score([quoting, elsewhere, late, other_rule], [TERM], days=1.0)
    assert [a.alert_id for a in result.attributed] == ["et-2"]
    assert {a.alert_id for a in result.false_alerts} == {"et-3", "et-4", "fp-9"}
    assert result.rules["emerging_term"].detected == 0  # attributed is not a detection


def test_the_ideal_test_needs_more_time_for_a_stricter_threshold_or_a_sparser_subject():
    from dataclasses import replace

    from voc_stream.simulate.scoring import ideal_minutes

    sparse = replace(BRAKES, multiplier=8.0, baseline_per_hour=2.4)
    busy = replace(sparse, baseline_per_hour=24.0)
    strict, loose = ideal_minutes(sparse, 6.6, 4), ideal_minutes(sparse, 4.6, 4)
    assert strict is not None and loose is not None and loose < strict
    assert 25 <= strict <= 45  # 2.4/h at x8: about half an hour to reach 1e-6.6, whoever tests it
    assert ideal_minutes(busy, 6.6, 4) < strict
    assert ideal_minutes(replace(sparse, multiplier=1.5), 6.6, 4) is None  # never within the two hours


def test_a_new_terms_ideal_time_is_its_minimum_count_at_its_rate():
    from dataclasses import replace

    from voc_stream.simulate.scoring import ideal_minutes

    term = replace(TERM, multiplier=6.0, baseline_per_hour=4.0)  # 24 mentions an hour
    assert ideal_minutes(term, 6.6, 5) == 12.5


def test_an_echo_pages_nobody_so_it_neither_detects_nor_counts_false():
    echo_of_incident = alert("kw-e", "keyword_spike", BRAKES.subject, 12).model_copy(update={"related_to": "nb-1"})
    echo_elsewhere = alert("kw-f", "keyword_spike", {"category": "漏水", "region": "广西"}, 15).model_copy(
        update={"related_to": "nb-2"})
    result = score([echo_of_incident, echo_elsewhere], [BRAKES], days=1.0)
    assert result.overall.detected == 0 and result.overall.false_alerts == 0
    assert [a.alert_id for a in result.echoes] == ["kw-e", "kw-f"]
    paged = score([alert("kw-e", "keyword_spike", BRAKES.subject, 12), echo_elsewhere], [BRAKES], days=1.0)
    assert paged.overall.detected == 1 and paged.overall.false_alerts == 0


ESCALATION = Incident("escalation", {"customer_id": "c-110000"}, at(200), at(260), 1.0, "private, then public",
                      "escalation")
UNSEEN = Incident("escalation", {"customer_id": "c-110001"}, at(900), at(960), 1.0, "private, then public", "escalation")
PERFECT = [
    alert("kw-1", "keyword_spike", BRAKES.subject, 8),
    alert("fp-1", "fraud_pattern", {"merchant_id": "M10086", "category": "刷单"}, 305),
    alert("et-1", "emerging_term", {"term": "征信修复"}, 615),
]


def test_an_escalation_is_matched_by_its_customer_and_leaves_the_targets_figures_alone():
    """It fires on the public post itself: its minutes (about nil) and its misses are its own row's, not overall's."""
    alone = score(PERFECT, [BRAKES, MERCHANT, TERM], days=1.0)
    caught = alert("es-1", "escalation", {"customer_id": "c-110000"}, 200)
    with_escalations = score([*PERFECT, caught], [BRAKES, ESCALATION, MERCHANT, TERM, UNSEEN], days=1.0)
    a, o = alone.overall, with_escalations.overall
    assert (o.incidents, o.detected, o.recall, o.false_alerts, o.median_minutes, o.p90_minutes) == (
        a.incidents, a.detected, a.recall, a.false_alerts, a.median_minutes, a.p90_minutes) == (3, 3, 1.0, 0, 8.0, 15.0)
    assert with_escalations.meets() and alone.meets()
    row = with_escalations.rules["escalation"]
    assert (row.incidents, row.detected, row.recall, row.minutes_to_detect) == (2, 1, 0.5, [0.0])
    assert with_escalations.detected_by[1] == (caught, 0.0)
    assert with_escalations.missed == [UNSEEN]
    table = markdown_table(with_escalations)
    assert "| escalation | 2 | 1 | 0.50 | 0 | 0.00 | 0.0 | 0.0 |" in table
    assert "| **overall** | 3 | 3 | 1.00 | 0 |" in table


def test_an_escalation_alert_about_another_customer_is_false_and_counts_with_every_rules_false_alerts():
    wrong = alert("es-2", "escalation", {"customer_id": "c-110009"}, 210)
    late = alert("es-3", "escalation", {"customer_id": "c-110000"}, 260 + 45)
    result = score([*PERFECT, wrong, late], [BRAKES, ESCALATION, MERCHANT, TERM], days=1.0)
    assert {a.alert_id for a in result.false_alerts} == {"es-2", "es-3"}
    assert result.rules["escalation"].false_alerts == 2 and result.rules["escalation"].detected == 0
    assert result.overall.false_alerts == 2 and result.overall.false_per_day == 2.0
    assert result.overall.recall == 1.0 and not result.meets()  # two false alerts a day, whichever rule cried wolf


def test_the_ideal_test_has_nothing_to_say_about_an_escalation():
    from dataclasses import replace

    from voc_stream.simulate.scoring import ideal_minutes

    assert ideal_minutes(replace(ESCALATION, baseline_per_hour=2.0), 6.6, 1) is None


def test_a_false_alert_on_a_customer_look_alike_is_put_down_to_it_and_to_nobody_else():
    """A look-alike about one customer spans a day or two: only alerts about that customer are its doing."""
    fixed = Decoy("fixed_then_public", {"customer_id": "c-110002"}, at(100), at(1000), 1.0, "fixed, then public")
    lift = Decoy("region_volume_lift", {"region": "广东"}, at(500), at(700), 2.0, "campaign")
    alerts = [
        alert("es-4", "escalation", {"customer_id": "c-110002"}, 600),  # the look-alike's customer, in the lift too
        alert("es-5", "escalation", {"customer_id": "c-110009"}, 220),  # someone else, in the look-alike's hours
        alert("kw-9", "keyword_spike", {"category": "漏水"}, 650),
        alert("kw-8", "keyword_spike", {"category": "漏水"}, 215),  # while an escalation is under way: unrelated
    ]
    result = score(alerts, [ESCALATION], days=2.0, decoys=[lift, fixed])
    assert result.false_when == {"decoy:fixed_then_public": 1, "decoy:region_volume_lift": 1, "other": 2}


INDUCED = {"merchant_id": "M20001", "category": "诱导好评"}
OVER_LINE = Incident("share_limit", INDUCED, at(3000), at(6000), 3.5, "creeps over the line", "over_line",
                     baseline_per_hour=0.2, onset=at(1000))
LATE = Incident("share_limit", {"merchant_id": "M20002", "category": "诱导好评"}, at(4000), at(6000), 3.2,
                "creeps over the line", "over_line", baseline_per_hour=0.1, onset=at(2500))


def test_a_merchant_over_the_line_is_matched_by_merchant_and_category_and_leaves_the_targets_figures_alone():
    """It fires hours or days after its share crossed: its minutes and misses are its own row's, not overall's."""
    alone = score(PERFECT, [BRAKES, MERCHANT, TERM], days=5.0)
    caught = alert("sl-1", "share_limit", INDUCED, 3000 + 600)
    other_category = alert("sl-2", "share_limit", {"merchant_id": "M20002", "category": "negative"}, 4100)
    result = score([*PERFECT, caught, other_category], [BRAKES, MERCHANT, TERM, OVER_LINE, LATE], days=5.0)
    a, o = alone.overall, result.overall
    assert (o.incidents, o.detected, o.recall, o.median_minutes, o.p90_minutes) == (
        a.incidents, a.detected, a.recall, a.median_minutes, a.p90_minutes) == (3, 3, 1.0, 8.0, 15.0)
    row = result.rules["share_limit"]
    assert (row.incidents, row.detected, row.recall, row.minutes_to_detect) == (2, 1, 0.5, [600.0])
    assert result.missed == [LATE] and [x.alert_id for x in result.false_alerts] == ["sl-2"]
    assert o.false_alerts == 1 and row.false_alerts == 1  # false alerts are every rule's
    assert "| share_limit | 2 | 1 | 0.50 | 1 | 0.20 | 600.0 | 600.0 |" in markdown_table(result)


def test_the_fraud_rule_on_a_merchant_creeping_over_the_line_is_attributed_once_the_creep_began():
    """fraud_pattern sees the same complaints rise against the merchant's own past: about that incident, not false."""
    during_ramp = alert("fp-3", "fraud_pattern", {"merchant_id": "M20001"}, 1500)  # before the crossing itself
    before = alert("fp-4", "fraud_pattern", {"merchant_id": "M20001"}, 900)
    elsewhere = alert("fp-5", "fraud_pattern", {"merchant_id": "M20009"}, 1500)
    early = alert("sl-3", "share_limit", INDUCED, 2000)  # by chance before the expected share crossed
    result = score([*PERFECT, during_ramp, before, elsewhere, early], [BRAKES, MERCHANT, TERM, OVER_LINE], days=5.0)
    assert [x.alert_id for x in result.attributed] == ["fp-3", "sl-3"]
    assert {x.alert_id for x in result.false_alerts} == {"fp-4", "fp-5"}
    assert result.rules["share_limit"].detected == 0 and result.rules["fraud_pattern"].detected == 1


def test_a_false_alert_on_a_merchant_under_the_line_is_put_down_to_it_and_to_nobody_else():
    below = Decoy("below_line", {"merchant_id": "M20003", "category": "诱导好评"}, at(0), at(6000), 0.8, "under it")
    alerts = [
        alert("sl-4", "share_limit", {"merchant_id": "M20003", "category": "诱导好评"}, 2000),
        alert("fp-6", "fraud_pattern", {"merchant_id": "M20003"}, 2100),
        alert("sl-5", "share_limit", {"merchant_id": "M20003", "category": "negative"}, 2200),
        alert("fp-7", "fraud_pattern", {"merchant_id": "M20004"}, 2300),
    ]
    result = score(alerts, [BRAKES], days=5.0, decoys=[below])
    assert result.false_when == {"decoy:below_line": 2, "other": 2}
