"""Runbooks exist for every risk rule and every service alert, and answer the on-call's questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from voc_stream.alerts import runbook_url
from voc_stream.rules import RULE_TYPES

ROOT = Path(__file__).resolve().parents[1]
RUNBOOKS = ROOT / "deploy" / "runbooks"
RISK_RULES = tuple(RULE_TYPES)
SECTIONS = ("## What it means", "## Confirm", "## Act", "## Escalate", "## Silence")


def service_runbooks() -> dict[str, str]:
    found = {}
    for path in (ROOT / "deploy" / "prometheus" / "rules").glob("*.yml"):
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    found[rule["alert"]] = rule["annotations"]["runbook_url"]
    return found


def all_runbooks() -> list[Path]:
    risk = {ROOT / runbook_url(rule) for rule in RISK_RULES}
    return sorted(risk | {ROOT / url for url in service_runbooks().values()})


@pytest.mark.parametrize("rule", RISK_RULES)
def test_every_risk_rule_has_its_runbook(rule: str) -> None:
    assert (ROOT / runbook_url(rule)).is_file()


def test_every_service_alert_links_an_existing_runbook() -> None:
    links = service_runbooks()
    assert len(links) >= 6
    for alert, url in links.items():
        assert (ROOT / url).is_file(), f"{alert}: {url}"


@pytest.mark.parametrize("path", all_runbooks(), ids=lambda p: p.name)
def test_runbook_answers_the_five_questions(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    positions = [text.find(section) for section in SECTIONS]
    assert all(position >= 0 for position in positions), f"{path.name} lacks {SECTIONS}"
    assert positions == sorted(positions), f"{path.name}: sections out of order"
    confirm = text[positions[1] : positions[2]]
    assert "```" in confirm or "`" in confirm, f"{path.name}: Confirm gives no query or command"


def test_runbook_index_lists_every_page() -> None:
    index = (RUNBOOKS / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\(([a-z_]+\.md)\)", index))
    assert {path.name for path in all_runbooks()} <= linked
    assert {path.name for path in RUNBOOKS.glob("*.md")} - {"README.md"} <= linked
