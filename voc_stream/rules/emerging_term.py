"""emerging_term: a word or phrase in no lexicon that suddenly surges (a new defect, a new scam script)."""

from __future__ import annotations

import re

from voc_stream.enrich import EnrichedEvent
from voc_stream.rules.base import Rule, RuleContext
from collections import Counter

from voc_stream.rules.evidence import _STOP_TOKENS, Evidence
from voc_stream.rules.monitor import Breach, KeyState, Series
from voc_stream.rules.settings import EmergingTermSettings

TERM = "term"
_WORDLIKE = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]*$")


class EmergingTerm(Rule):
    """One key per candidate term; its mentions per bucket against its own decayed rate."""

    name = "emerging_term"
    settings: EmergingTermSettings

    def __init__(self, settings: EmergingTermSettings, context: RuleContext) -> None:
        super().__init__(settings, context)
        buckets_per_day = 86400.0 / context.bucket_seconds
        self.prior_rate = settings.prior_per_day / buckets_per_day
        self.prior_weight = settings.prior_days * buckets_per_day

    def candidates(self, event: EnrichedEvent) -> list[str]:
        """Tokens and adjacent-token phrases that could be a new term, lexicon words excluded."""
        s = self.settings
        if s.negative_only and not event.negative:
            return []
        words = [t for t in event.tokens if self._wordlike(t)]
        found: list[str] = []
        for i, word in enumerate(words):
            found.append(word)
            if i + 1 < len(words):
                found.append(word + words[i + 1])
        out: list[str] = []
        for term in found:
            if s.min_term_chars <= len(term) <= s.max_term_chars and term not in self.context.lexicon_terms and term not in out:
                out.append(term)
            if len(out) == s.max_terms_per_event:
                break
        return out

    @staticmethod
    def _wordlike(token: str) -> bool:
        return len(token) >= 1 and token not in _STOP_TOKENS and bool(_WORDLIKE.match(token))

    def keys(self, event: EnrichedEvent) -> list[str]:
        return [f"{self.name}|{term}" for term in self.candidates(event)]

    def hits(self, key: str, event: EnrichedEvent) -> list[str]:
        return [TERM]

    def may_fire(self, event: EnrichedEvent) -> bool:
        # Early in a stream every term is new: count them, call none of them new yet.
        return not event.stream_start or event.ts - event.stream_start >= self.settings.warmup_hours * 3600

    def new_series(self, state: KeyState, key: str, name: str) -> Series:
        return self.monitor.new_series(state, with_rate=True, prior_rate=self.prior_rate, prior_weight=self.prior_weight)

    def breach(self, state: KeyState, series: Series, windows: list[int] | None = None) -> Breach:
        rate = self.monitor.strongest_rate_breach(series, windows)
        if self.monitor.is_breach(rate) and self.history_mentions(series) > self.settings.max_history_mentions:
            # Said before, in the days before this window: rising, maybe, but not new.
            return Breach(0.0, rate.observed, rate.expected, rate.window_minutes, rate.ratio)
        return rate

    @staticmethod
    def history_mentions(series: Series) -> float:
        """Decayed mentions learned before the buckets still in the ring (closed ring buckets are learned too)."""
        assert series.rate is not None
        hits = series.hits
        recent_closed = hits.window(hits.size) - hits.counts[hits.head % hits.size] if hits.head >= 0 else 0
        return max(0.0, series.rate.hits - recent_closed)

    def evidence_ok(self, key: str, items: list[Evidence]) -> bool:
        if not super().evidence_ok(key, items):
            return False
        return not self._part_of_phrase(key.split("|", 1)[1], items)

    def _part_of_phrase(self, term: str, items: list[Evidence]) -> bool:
        """A single word that mostly comes with the same neighbour: the phrase's own key speaks for it."""
        neighbours: Counter[str] = Counter()
        for item in items:
            words = [t for t in item.tokens if self._wordlike(t)]
            found = set()
            for i, word in enumerate(words):
                if word != term:
                    continue
                if i > 0:
                    found.add("<" + words[i - 1])
                if i + 1 < len(words):
                    found.add(">" + words[i + 1])
            neighbours.update(found)
        if not neighbours or not items:
            return False
        return neighbours.most_common(1)[0][1] >= self.settings.phrase_share * len(items)

    def subject(self, key: str, series: str) -> dict[str, str]:
        return {"term": key.split("|", 1)[1]}

    def describe(self, subject, observed, expected, minutes) -> str:
        return f"新词 {subject['term']}: {observed:g} mentions in {minutes} min, {expected:.2f} expected"
