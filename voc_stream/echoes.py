"""Echoes: an alert driven by a place that another open alert is already about.

A burst of angry posts in 成都 lifts 四川's count of 服务态度差; a flood at one
store lifts its city's negatives. Every key is tested on its own (the worker
partitions state by key), so the region's alert fires as well. It is the same
incident seen from another key, and a second page for it teaches the on-call to
ignore pages. The rule names the places without whose hits an alert would not
have fired (``Alert.driven_by``); this step, which sees every alert, links a new
alert to an open one when either is about the place that drives the other: the
region's alert to the open city alert that drives it, or a city's alert to the
open region alert that its city drives (a region's 物流延误 spike from 沈阳, then
沈阳's negative posts). The later one is the echo (``Alert.related_to``): it stays
on the alert topic, and routing decides who hears of it (``related: false`` keeps
a route to alerts of their own; see config/routing.yaml).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from voc_stream.alerts import Alert

#: Subject keys that say what the complaints are about, rather than where.
WHAT_KEYS = ("category", "term")


class EchoLinker:
    """Remembers the open alerts (``alert_id`` -> subject and link) and links each new one to its source.

    Of two alerts about one place's incident, the one that fired first has been
    sent and stays the incident's page; the later one is linked to it. An alert
    keeps the link it got when it first fired, for its updates and its resolution
    too, so one incident's messages never disagree.
    """

    def __init__(self, open_alerts: MutableMapping[str, dict[str, Any]] | None = None) -> None:
        self.open = open_alerts if open_alerts is not None else {}

    def link(self, alert: Alert) -> Alert:
        known = self.open.get(alert.alert_id)
        if alert.status == "resolved":
            if known is None:
                return alert
            del self.open[alert.alert_id]
            related = known.get("related_to")
        elif known is not None:
            related = known.get("related_to")
        else:
            pins = [{key: value} for key, value, _ in alert.driving_places()]
            related = self._echoed(alert, pins)
            self.open[alert.alert_id] = {"subject": dict(alert.subject), "driven_by": pins, "related_to": related}
        return alert.model_copy(update={"related_to": related}) if related else alert

    def _echoed(self, alert: Alert, pins: list[dict[str, str]]) -> str | None:
        """The open alert that ``alert``, driven by ``pins``, echoes, traced to the alert that one echoes in turn."""
        for alert_id, other in self.open.items():
            if alert_id == alert.alert_id:
                continue
            drives_it = any(_about(other["subject"], pin, alert.subject) for pin in pins)
            driven_by_it = any(_about(alert.subject, pin, other["subject"]) for pin in other.get("driven_by", ()))
            if drives_it or driven_by_it:
                return other.get("related_to") or alert_id
        return None


def _about(subject: dict[str, str], pin: dict[str, str], echo_subject: dict[str, str]) -> bool:
    """``subject`` names the pinned place, agrees with ``echo_subject`` on every other key both name,
    and if both say what the complaints are about (a category, a term), it is the same kind of thing:
    a new scam script surging in a region is not its region's 质量问题 spike.
    """
    if not pin or any(subject.get(key) != value for key, value in pin.items()):
        return False
    shared = (set(subject) & set(echo_subject)) - set(pin)
    if any(subject[key] != echo_subject[key] for key in shared):
        return False
    whats = {key for key in WHAT_KEYS if key in subject}, {key for key in WHAT_KEYS if key in echo_subject}
    return not (whats[0] and whats[1] and whats[0] != whats[1])
