"""The operator guide documents every metric and every service alert that exists."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from prometheus_client import CollectorRegistry

from voc_stream.metrics import Metrics

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
GUIDE = (DEPLOY / "README.md").read_text(encoding="utf-8")


def documented_names() -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+)`", GUIDE, flags=re.MULTILINE))


def test_every_voc_metric_is_documented() -> None:
    families = {
        family.name + ("_total" if family.type == "counter" else "")
        for family in Metrics(registry=CollectorRegistry()).registry.collect()
        if family.name.startswith("voc_")
    }
    assert len(families) >= 15
    assert families <= documented_names(), sorted(families - documented_names())


def test_every_service_alert_is_documented() -> None:
    alerts = {
        rule["alert"]
        for path in (DEPLOY / "prometheus" / "rules").glob("*.yml")
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
        for rule in group["rules"]
        if "alert" in rule
    }
    assert alerts
    for alert in alerts:
        assert f"`{alert}`" in GUIDE, alert
