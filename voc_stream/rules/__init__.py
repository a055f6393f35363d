"""Alerting rules: a table from rule name to class, and the shared lifecycle in ``base``."""

from __future__ import annotations

from voc_stream.rules.base import Rule, RuleContext
from voc_stream.rules.emerging_term import EmergingTerm
from voc_stream.rules.escalation import Escalation
from voc_stream.rules.fraud_pattern import FraudPattern
from voc_stream.rules.keyword_spike import KeywordSpike
from voc_stream.rules.negative_burst import NegativeBurst
from voc_stream.rules.share_limit import ShareLimit
from voc_stream.rules.settings import (
    EmergingTermSettings,
    EscalationSettings,
    LimitLine,
    NegativeBurstSettings,
    RulesConfig,
    RuleSettings,
    load_rules,
)

RULE_TYPES: dict[str, type[Rule]] = {
    cls.name: cls for cls in (KeywordSpike, NegativeBurst, FraudPattern, EmergingTerm, Escalation, ShareLimit)
}


def build_rules(context: RuleContext) -> list[Rule]:
    """One instance of every enabled rule, configured from ``context.config``."""
    rules = []
    for name, cls in RULE_TYPES.items():
        settings = getattr(context.config, name)
        if settings.enabled:
            rules.append(cls(settings, context))
    return rules


__all__ = [
    "EmergingTermSettings",
    "EscalationSettings",
    "LimitLine",
    "NegativeBurstSettings",
    "RULE_TYPES",
    "Rule",
    "RuleContext",
    "RuleSettings",
    "RulesConfig",
    "build_rules",
    "load_rules",
]
