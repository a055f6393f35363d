"""The service's own Prometheus config and alert rules, checked and unit-tested with promtool."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from prometheus_client import CollectorRegistry

from voc_stream.metrics import Metrics

ROOT = Path(__file__).resolve().parents[1]
PROMETHEUS = ROOT / "deploy" / "prometheus"
RULE_FILES = sorted((PROMETHEUS / "rules").glob("*.yml"))
RULE_TESTS = sorted((PROMETHEUS / "tests").glob("*.yml"))
#: Series Prometheus writes itself for every scrape target.
SCRAPE_SERIES = {"up"}


@pytest.fixture(scope="module")
def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.skip("promtool is not installed (apt-get install -y prometheus)")
    return path


def run(promtool: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([promtool, *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


def alert_rules() -> list[dict]:
    rules = []
    for path in RULE_FILES:
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
            rules.extend(rule for rule in group["rules"] if "alert" in rule)
    return rules


def test_config_is_valid(promtool: str) -> None:
    result = run(promtool, "check", "config", str(PROMETHEUS / "prometheus.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_rules_are_valid(promtool: str) -> None:
    result = run(promtool, "check", "rules", *map(str, RULE_FILES))
    assert result.returncode == 0, result.stdout + result.stderr


def test_rule_unit_tests_pass(promtool: str) -> None:
    assert RULE_TESTS
    result = run(promtool, "test", "rules", *map(str, RULE_TESTS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_every_alert_has_a_unit_test() -> None:
    tested = set()
    for path in RULE_TESTS:
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]:
            for check in case.get("alert_rule_test", []):
                if check.get("exp_alerts"):
                    tested.add(check["alertname"])
    assert {rule["alert"] for rule in alert_rules()} <= tested


def test_the_service_alerts_that_operations_asked_for_exist() -> None:
    names = {rule["alert"] for rule in alert_rules()}
    assert {
        "VocNoInput",
        "VocConsumerLagGrowing",
        "VocDeadLetterRateHigh",
        "VocNotificationFailures",
        "VocWorkerDown",
        "VocRetryQueueGrowing",
    } <= names


def test_rules_use_only_exported_metrics() -> None:
    exported = Metrics(registry=CollectorRegistry()).metric_names() | SCRAPE_SERIES
    for rule in alert_rules():
        text = re.sub(r'"[^"]*"|\{[^}]*\}|\[[^\]]*\]', " ", rule["expr"])
        text = re.sub(r"\b(?:by|without|on|ignoring)\s*\([^)]*\)", " ", text)
        used = {
            name
            for name, call in re.findall(r"(?<![\w.])([A-Za-z_:][\w:]*)(\s*\()?", text)
            if not call and name not in {"and", "or", "unless", "bool"}
        }
        assert used and used <= exported, (rule["alert"], sorted(used - exported))


def test_every_alert_links_an_existing_runbook_and_has_a_severity() -> None:
    for rule in alert_rules():
        url = rule["annotations"]["runbook_url"]
        assert re.fullmatch(r"deploy/runbooks/[a-z_]+\.md", url), url
        assert (ROOT / url).is_file(), f"{rule['alert']}: {url} does not exist"
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}
        assert rule["annotations"]["summary"]
