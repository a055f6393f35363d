"""Builds the stream processors' parts from configuration, once per process.

The worker's agents and ``backtest`` both start from ``Components``: the same
analyzer, the same rules, the same thresholds.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voc_stream.detectors.volume import VolumeLift
from voc_stream.engine import DetectionEngine
from voc_stream.enrich import Enricher
from voc_stream.rules import RuleContext, RulesConfig, build_rules, load_rules
from voc_stream.settings import Settings


@dataclass
class Components:
    """Everything stateless the pipeline needs; state stores are passed in separately."""

    settings: Settings
    rules_config: RulesConfig
    analyzer: Any
    enricher: Enricher
    context: RuleContext

    def engine(self, store: MutableMapping[str, Any]) -> DetectionEngine:
        return DetectionEngine(build_rules(self.context), store)

    def volume_lift(self) -> VolumeLift:
        """The stream-wide volume tracker whose reading the route stage stamps on every event."""
        return VolumeLift(bucket_seconds=self.context.bucket_seconds)


def load_components(settings: Settings | None = None, config_dir: Path | None = None) -> Components:
    """Read ``rules.yaml`` and the text configuration; load jieba and the sentiment model."""
    from voc_stream.text import TextAnalyzer

    settings = settings or Settings()
    config_dir = Path(config_dir or settings.config_dir)
    rules_path = config_dir / "rules.yaml"
    rules_config = load_rules(rules_path) if rules_path.exists() else RulesConfig()
    analyzer = TextAnalyzer.from_config(config_dir, settings.sentiment_model, settings.category_model)
    lexicon = analyzer.lexicon
    context = RuleContext(
        config=rules_config,
        fraud_categories=frozenset(lexicon.fraud_categories),
        lexicon_terms=frozenset(lexicon.all_terms()),
    )
    return Components(
        settings=settings,
        rules_config=rules_config,
        analyzer=analyzer,
        enricher=Enricher(analyzer, rules_config.negative_threshold),
        context=context,
    )


class Deduper:
    """Remembers event ids for a while so a repeated ``event_id`` is counted once."""

    def __init__(self, store: MutableMapping[str, float], retention_seconds: float) -> None:
        self.store = store
        self.retention = retention_seconds

    def first_time(self, event_id: str, ts: float) -> bool:
        if event_id in self.store:
            return False
        self.store[event_id] = ts
        return True

    def expire(self, now: float) -> int:
        """Forget ids older than the retention; returns how many."""
        old = [k for k, ts in self.store.items() if ts < now - self.retention]
        for key in old:
            del self.store[key]
        return len(old)
