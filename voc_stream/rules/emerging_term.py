"""emerging_term: a word or phrase in no lexicon that suddenly surges (a new defect, a new scam script)."""

from __future__ import annotations

import re
from collections import Counter

from voc_stream.enrich import EnrichedEvent
from voc_stream.rules.base import SAMPLE_CHARS, SAMPLE_TOKENS, Rule, RuleContext, longer_than_sample
from voc_stream.rules.evidence import _STOP_TOKENS, Evidence
from voc_stream.rules.monitor import Breach, KeyState, Series
from voc_stream.rules.settings import EmergingTermSettings
from voc_stream.text.word_rarity import general_log_probs, log_probs

TERM = "term"
_WORDLIKE = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]*$")


class EmergingTerm(Rule):
    """One key per candidate term; its mentions per bucket against its own decayed rate."""

    name = "emerging_term"
    settings: EmergingTermSettings
    # A term's parts are hundreds of stores and cities: two of its first five posts from one of them is chance.
    # (Regions have few cities, one of them large; there two hits of four from the capital still hold fire.)
    min_part_hits = 3

    def __init__(self, settings: EmergingTermSettings, context: RuleContext) -> None:
        super().__init__(settings, context)
        self.prior_rate, self.prior_weight = self.monitor.rate_prior(settings.prior_per_day, settings.prior_days)
        general_log_probs()  # read jieba's counts (about a second) now, not at the first long post mid-stream
        # The last long post's terms (first and last word) and where its words sit among its tokens.
        self._long_post: tuple[EnrichedEvent, dict[str, tuple[int, int]], list[int]] | None = None

    def candidates(self, event: EnrichedEvent) -> list[str]:
        """Tokens and adjacent-token phrases that could be a new term; lexicon words and place names excluded."""
        s = self.settings
        if event.sentiment > s.max_sentiment and not event.negative:
            return []  # praise: its new words are dishes and products, not problems
        places = [p for p in (event.city, event.region, event.store_id) if p]
        tokens = event.tokens
        at = self._word_indices(tokens)
        words = [tokens[i] for i in at]
        shortest, longest, lexicon = s.min_term_chars, s.max_term_chars, self.context.lexicon_terms
        found: dict[str, tuple[int, int]] = {}
        for term, first, last in self._spans(words):  # ``_eligible`` written out: it runs on every span
            if term in found or not shortest <= len(term) <= longest or term in lexicon:
                continue
            if places and any(p in term for p in places):
                continue
            found[term] = (first, last)
        if longer_than_sample(event):  # its samples start near each term: remember where the words sit
            self._long_post = (event, found, at)
        if len(found) <= s.max_terms_per_event:
            return list(found)
        # A long post (a call transcript, a long review): keep its rarest terms, wherever they sit.
        word_log_probs = log_probs(words)
        ranked = sorted(found, key=lambda term: sum(word_log_probs[found[term][0]:found[term][1] + 1]))
        kept = set(ranked[: s.max_terms_per_event])
        return [term for term in found if term in kept]

    def forgettable(self, state: KeyState, now: float) -> bool:
        """A term mentioned once three days ago (half-life 72 h) weighs half a mention: it tells no more than no history.

        Its decayed mentions, counting those still in its window as if made at its last event (an upper
        bound), are below ``forget_below_mentions``. Most candidate terms are such one-offs; kept for
        ``forget_after_days`` they are most of the detector state.
        """
        series = state.series.get(TERM)
        if series is None or series.rate is None:
            return True
        rate = series.rate
        buckets_since = max(0.0, now - state.last_ts) / self.context.bucket_seconds
        mentions = (rate.hits + series.hits.total) * rate.decay**buckets_since
        return mentions < self.settings.forget_below_mentions

    def _eligible(self, term: str) -> bool:
        s = self.settings
        return s.min_term_chars <= len(term) <= s.max_term_chars and term not in self.context.lexicon_terms

    @staticmethod
    def _word_indices(tokens) -> list[int]:
        """Where the tokens that can be part of a term sit: no stop word, a letter first, letters and digits only."""
        match = _WORDLIKE.match
        return [i for i, t in enumerate(tokens) if t not in _STOP_TOKENS and match(t)]

    @classmethod
    def _words(cls, tokens) -> list[str]:
        return [tokens[i] for i in cls._word_indices(tokens)]

    @staticmethod
    def _spans(words: list[str]) -> list[tuple[str, int, int]]:
        """(term, first word, last word) of every word and adjacent pair of words."""
        spans = []
        for i, word in enumerate(words):
            spans.append((word, i, i))
            if i + 1 < len(words):
                spans.append((word + words[i + 1], i, i + 1))
        return spans

    def excerpt_start(self, key: str, event: EnrichedEvent) -> tuple[int, int]:
        """A long post's sample is the stretch around the term, which may sit anywhere in it (a call transcript).

        It starts 70-209 characters and 10-29 tokens before the term, on multiples of 140 and 20, so that
        nearby terms share one sample.
        """
        term = key[len(self.name) + 1:]
        if self._long_post is None or self._long_post[0] is not event:
            self.candidates(event)  # a key of another post than the last one read
            if self._long_post is None or self._long_post[0] is not event:
                return 0, 0
        _, found, word_at = self._long_post
        first_word = found.get(term)
        char_at = event.text_masked.find(term)
        if first_word is None or char_at < 0:
            return 0, 0  # a word pair split by punctuation, or a text normalised for reading: its opening, as before
        token_at = word_at[first_word[0]]
        char_stride, token_stride = SAMPLE_CHARS // 2, SAMPLE_TOKENS // 2
        char = 0 if char_at + len(term) <= SAMPLE_CHARS else (char_at - char_stride // 2) // char_stride * char_stride
        token = 0 if token_at + 2 <= SAMPLE_TOKENS else (token_at - token_stride // 2) // token_stride * token_stride
        return max(0, char), max(0, token)

    def keys(self, event: EnrichedEvent) -> list[str]:
        return [f"{self.name}|{term}" for term in self.candidates(event)]

    def hits(self, key: str, event: EnrichedEvent) -> list[str]:
        return [TERM]

    def new_state(self, key: str) -> KeyState:
        # Early in a stream every term is new: the warm-up (``may_fire``) keeps them all quiet.
        return self.monitor.new_state(hourly_shares=False)

    def new_series(self, state: KeyState, key: str, name: str) -> Series:
        return self.monitor.new_series(state, with_rate=True, prior_rate=self.prior_rate, prior_weight=self.prior_weight)

    def breach(
        self,
        state: KeyState,
        series: Series,
        key: str,
        windows: list[int] | None = None,
        event: EnrichedEvent | None = None,
    ) -> Breach:
        rate = self.monitor.strongest_rate_breach(series, windows)
        if self.monitor.is_breach(rate) and self.history_mentions(series) > self.settings.max_history_mentions:
            # Said before, in the days before this window: rising, maybe, but not new.
            return Breach(0.0, rate.observed, rate.expected, rate.window_minutes, rate.ratio)
        return rate

    @staticmethod
    def history_mentions(series: Series) -> float:
        """Decayed mentions learned so far: buckets are learned only once older than every window."""
        assert series.rate is not None
        return series.rate.hits

    def evidence_ok(self, key: str, items: list[Evidence]) -> bool:
        if not super().evidence_ok(key, items):
            return False
        return not self._part_of_phrase(key.split("|", 1)[1], items)

    def _part_of_phrase(self, term: str, items: list[Evidence]) -> bool:
        """The term mostly rides along with one other, longer term: that term speaks for both.

        A single word whose mentions sit in one phrase defers to the phrase; the
        words around a new scam script ("对方说", "保证金听") defer to the script.
        Of two overlapping terms that always come together ("会员费双倍",
        "双倍返还") the longer (or, equally long, the first in order) fires, the
        other defers: both keys reach the same verdict from their own evidence.
        """
        companions: Counter[str] = Counter()
        for item in items:
            seen = set()
            for other, _, _ in self._spans(self._words(item.tokens)):
                if other in term or not self._eligible(other):
                    continue
                if len(other) > len(term) or (len(other) == len(term) and other < term):
                    seen.add(other)
            companions.update(seen)
        if not companions or not items:
            return False
        return companions.most_common(1)[0][1] >= self.settings.phrase_share * len(items)

    def has_parts(self, key: str) -> bool:
        return True

    def source(self, key: str, event: EnrichedEvent) -> str | None:
        """The store or city: a phrase that surges at one place is that place's complaint (negative_burst)."""
        return event.store_id or event.city

    def scope(self, key: str) -> str:
        return "term"

    def subject(self, key: str, series: str) -> dict[str, str]:
        return {"term": key.split("|", 1)[1]}

    def describe(self, subject, observed, expected, minutes) -> str:
        return f"新词 {subject['term']}: {observed:g} mentions in {minutes} min, {expected:.2f} expected"
