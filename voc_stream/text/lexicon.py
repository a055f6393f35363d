"""Risk lexicons: categories of complaint and fraud, each with its many phrasings.

A category matches on literal terms (synonyms, typos, homophones, pinyin
abbreviations) and on co-occurrence rules ("异响" within a few characters of
"刹车", in either order). Matching runs on simplified, lower-cased text, so
traditional characters and "ETC"/"etc" need no extra entries. A match preceded by
a negation ("没有", "不是") or with a negation inside the gap of a co-occurrence
("刹车没有异响") does not count. Users extend the YAML; no code changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from voc_stream.config import ConfigError, load_model
from voc_stream.text.lexicon_config import CategoryConfig, LexiconConfig, NearRule
from voc_stream.text.normalize import to_simplified

__all__ = ["Category", "CategoryConfig", "Lexicon", "LexiconConfig", "NearRule", "load_lexicon"]

_CLAUSE_END = "。!?！？;；\n"


@dataclass(frozen=True)
class Category:
    """One risk category as the rest of the system sees it."""

    id: str
    name: str
    domain: str
    fraud: bool
    description: str = ""


def _fold(text: str) -> str:
    return to_simplified(text).lower()


@dataclass(frozen=True)
class _Role:
    """What a dictionary word means for one category: a whole term, or one side of a near rule."""

    category: int
    rule: int  # -1 for a term
    side: str  # "term", "a" or "b"


def _is_ascii_word(word: str) -> bool:
    return word.isascii() and word[:1].isalnum()


class Lexicon:
    """Compiled categories; ``match`` returns category names in lexicon order.

    All words of all categories go into one Aho-Corasick automaton, so a text is
    scanned once whatever the size of the lexicon; only the few hits are examined
    for co-occurrence and negation in Python.
    """

    def __init__(self, config: LexiconConfig) -> None:
        import ahocorasick

        self.config = config
        self.categories = [
            Category(c.id, c.name, c.domain, c.fraud, c.description) for c in config.categories
        ]
        self.fraud_categories = frozenset(c.name for c in self.categories if c.fraud)
        self._negation = re.compile(config.negation.pattern)
        self._window = config.negation.window
        self._excludes = [tuple(_fold(x) for x in c.exclude) for c in config.categories]
        self._within = [[rule.within for rule in c.near] for c in config.categories]
        self._any_order = [[rule.any_order for rule in c.near] for c in config.categories]
        roles: dict[str, list[_Role]] = {}
        for index, category in enumerate(config.categories):
            for term in category.terms:
                roles.setdefault(_fold(term), []).append(_Role(index, -1, "term"))
            for rule_index, rule in enumerate(category.near):
                for side, words in (("a", rule.a), ("b", rule.b)):
                    for word in words:
                        roles.setdefault(_fold(word), []).append(_Role(index, rule_index, side))
        self._automaton = ahocorasick.Automaton()
        for word, word_roles in roles.items():
            self._automaton.add_word(word, (word, _is_ascii_word(word), tuple(word_roles)))
        self._automaton.make_automaton()

    def all_terms(self) -> set[str]:
        """Every phrase of every category, as written and in the folded form matching uses."""
        terms: set[str] = set()
        for category in self.config.categories:
            terms.update(category.terms)
            for rule in category.near:
                terms.update(rule.a)
                terms.update(rule.b)
        return terms | {_fold(term) for term in terms}

    def match(self, text: str) -> list[str]:
        """Names of the categories ``text`` mentions, without negated mentions."""
        return self.match_simplified(to_simplified(text))

    def match_simplified(self, text: str) -> list[str]:
        """``match`` for text already in simplified characters (the analyzer has converted it)."""
        folded = text.lower()
        matched: set[int] = set()
        sides: dict[tuple[int, int, str], list[tuple[int, int]]] = {}
        for end_index, (word, ascii_word, word_roles) in self._automaton.iter(folded):
            end = end_index + 1
            start = end - len(word)
            if ascii_word and not _ascii_bounded(folded, start, end):
                continue
            for role in word_roles:
                if role.category in matched:
                    continue
                if role.side == "term":
                    if not self._negated(folded, start, end, role.category):
                        matched.add(role.category)
                    continue
                sides.setdefault((role.category, role.rule, role.side), []).append((start, end))
                other = "b" if role.side == "a" else "a"
                for other_start, other_end in sides.get((role.category, role.rule, other), ()):
                    if role.side == "a" and not self._any_order[role.category][role.rule]:
                        continue
                    if self._near_ok(folded, (other_start, other_end), (start, end), role):
                        matched.add(role.category)
                        break
        return [self.categories[i].name for i in sorted(matched)]

    def _near_ok(self, text: str, first: tuple[int, int], second: tuple[int, int], role: _Role) -> bool:
        gap = text[first[1]:second[0]]
        if first[1] > second[0] or len(gap) > self._within[role.category][role.rule]:
            return False
        if any(ch in _CLAUSE_END for ch in gap) or self._negation.search(gap):
            return False
        return not self._negated(text, first[0], second[1], role.category)

    def _negated(self, text: str, start: int, end: int, category: int) -> bool:
        before = text[max(0, start - self._window):start]
        for index in range(len(before) - 1, -1, -1):
            if before[index] in _CLAUSE_END:
                before = before[index + 1:]
                break
        if before and self._negation.search(before):
            return True
        excludes = self._excludes[category]
        if excludes:
            clause_start = max(text.rfind(ch, 0, start) for ch in _CLAUSE_END) + 1
            clause_stop = min((i for i in (text.find(ch, end) for ch in _CLAUSE_END) if i >= 0), default=len(text))
            clause = text[clause_start:clause_stop]
            return any(word in clause for word in excludes)
        return False


def _ascii_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def load_lexicon(path: Path) -> Lexicon:
    """Load and compile ``lexicons.yaml``; any problem is a ConfigError naming the field."""
    config = load_model(Path(path), LexiconConfig)
    try:
        return Lexicon(config)
    except re.error as exc:
        raise ConfigError(path, [("negation.pattern", f"cannot compile: {exc}")]) from None
