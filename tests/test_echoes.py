"""Echoes: a region lifted by its city's burst names the city, and is linked to the city's open alert."""

from __future__ import annotations

from tests.receivers import make_alert
from tests.test_rules_streams import DAY, HOUR, START, background, burst, engine, firing, run
from voc_stream.echoes import EchoLinker
from voc_stream.notify.routing import Route

BURST_AT = START + 3 * DAY + 14 * HOUR
CITIES = ("杭州", "宁波", "温州", "绍兴")


def _zhejiang(burst_cities: tuple[str, ...]) -> list:
    """Four cities of 浙江 with a steady trickle of quality complaints, then angry ones in ``burst_cities``."""
    events = []
    for seed, city in enumerate(CITIES, start=31):
        events += background(4, 15, negative_share=0.2, category_share=0.05, seed=seed, city=city, store=None)
    for i, city in enumerate(burst_cities):
        for j in range(8):  # many stores, none of which holds the burst
            events += burst(BURST_AT, 40, 40 // (8 * len(burst_cities)), seed=50 + 10 * i + j, city=city,
                            store=f"{city}-{j}", negative=True, categories=("质量问题",))
    return events


def _linked(alerts: list) -> list:
    linker = EchoLinker()
    return [linker.link(alert) for alert in alerts]


def test_a_region_lifted_by_one_citys_burst_names_the_city_and_echoes_its_alert():
    alerts = _linked(run(engine(rules=("keyword_spike", "negative_burst")), _zhejiang(("杭州",))))
    city = [a for a in firing(alerts, "negative_burst") if a.subject == {"city": "杭州"}]
    region = [a for a in firing(alerts, "keyword_spike") if a.subject.get("region") == "浙江"]
    assert city and region
    assert city[0].related_to is None
    assert [part["city"] for part in region[0].driven_by] == ["杭州"]
    assert region[0].driven_by[0]["hits"] >= 0.8 * region[0].observed
    assert {a.related_to for a in alerts if a.alert_id == region[0].alert_id} == {city[0].alert_id}


def test_a_burst_spread_over_the_region_is_its_own_alert():
    alerts = _linked(run(engine(rules=("keyword_spike", "negative_burst")), _zhejiang(CITIES)))
    region = [a for a in firing(alerts, "keyword_spike") if a.subject.get("region") == "浙江"]
    assert region
    assert all(a.driven_by == [] and a.related_to is None for a in region)


def _alert(alert_id: str, subject: dict, status: str = "firing", driven_by: list | None = None, rule: str = "keyword_spike"):
    return make_alert(alert_id=alert_id, subject=subject, status=status, rule=rule, driven_by=driven_by or [])


def test_the_link_holds_for_the_echos_updates_and_resolution_and_leads_to_the_first_alert():
    linker = EchoLinker()
    store = linker.link(_alert("nb-store", {"store_id": "HZ-1"}, rule="negative_burst"))
    city = linker.link(_alert("nb-city", {"city": "杭州"}, rule="negative_burst", driven_by=[{"store_id": "HZ-1", "hits": 20}]))
    region = linker.link(_alert("kw-region", {"category": "质量问题", "region": "浙江"}, driven_by=[{"city": "杭州", "hits": 25}]))
    assert store.related_to is None
    assert city.related_to == "nb-store"
    assert region.related_to == "nb-store"  # the city is itself the store's echo
    linker.link(_alert("nb-store", {"store_id": "HZ-1"}, status="resolved", rule="negative_burst"))
    update = linker.link(_alert("kw-region", {"category": "质量问题", "region": "浙江"}))
    resolved = linker.link(_alert("kw-region", {"category": "质量问题", "region": "浙江"}, status="resolved"))
    assert update.related_to == resolved.related_to == "nb-store"
    assert "kw-region" not in linker.open


def test_no_link_to_a_resolved_alert_or_to_another_category():
    linker = EchoLinker()
    linker.link(_alert("kw-a", {"category": "漏水", "merchant_id": "M1"}))
    echo = _alert("kw-b", {"category": "质量问题"}, driven_by=[{"merchant_id": "M1", "hits": 9}])
    assert linker.link(echo).related_to is None  # M1's alert is about another category
    linker.link(_alert("nb-c", {"city": "杭州"}, rule="negative_burst"))
    linker.link(_alert("nb-c", {"city": "杭州"}, status="resolved", rule="negative_burst"))
    late = _alert("kw-d", {"category": "质量问题", "region": "浙江"}, driven_by=[{"city": "杭州", "hits": 9}])
    assert linker.link(late).related_to is None


def test_routing_can_keep_echoes_apart():
    echo = _alert("kw-e", {"category": "质量问题", "region": "浙江"}).model_copy(update={"related_to": "nb-c"})
    own = _alert("kw-f", {"category": "质量问题", "region": "浙江"})
    assert Route(related=True, receivers=["console"]).matches(echo)
    assert not Route(related=True, receivers=["console"]).matches(own)
    assert Route(related=False, receivers=["pager"]).matches(own)
    assert not Route(related=False, receivers=["pager"]).matches(echo)
    assert Route(receivers=["any"]).matches(echo) and Route(receivers=["any"]).matches(own)


def test_a_citys_alert_after_the_region_alert_its_city_drives_is_the_echo():
    linker = EchoLinker()
    region = linker.link(_alert("kw-r", {"category": "物流延误", "region": "辽宁"}, driven_by=[{"city": "沈阳", "hits": 7}]))
    city = linker.link(_alert("nb-c", {"city": "沈阳"}, rule="negative_burst"))
    other_city = linker.link(_alert("nb-d", {"city": "大连"}, rule="negative_burst"))
    assert region.related_to is None and other_city.related_to is None
    assert city.related_to == "kw-r"


def test_a_new_term_in_a_region_is_not_that_regions_category_spike():
    linker = EchoLinker()
    linker.link(_alert("kw-q", {"category": "质量问题", "region": "广东"}))
    term = _alert("et-t", {"term": "会员费双倍返还"}, rule="emerging_term", driven_by=[{"region": "广东", "hits": 9}])
    assert linker.link(term).related_to is None
    linker.link(_alert("nb-g", {"city": "广州"}, rule="negative_burst"))
    in_city = _alert("et-u", {"term": "店员爱答不理"}, rule="emerging_term", driven_by=[{"city": "广州", "hits": 9}])
    assert linker.link(in_city).related_to == "nb-g"  # a phrase of the city's angry posts
