"""Risk lexicons: categories of complaint and fraud, each with its many phrasings.

A category matches on literal terms (synonyms, typos, homophones, pinyin
abbreviations) and on co-occurrence rules ("异响" within a few characters of
"刹车", in either order). Matching runs on simplified, lower-cased text, so
traditional characters and "ETC"/"etc" need no extra entries. A match preceded by
a negation ("没有", "不是") in the same clause or with a negation inside the gap of
a co-occurrence ("刹车没有异响") does not count. A category may override others:
when a fake customer-service caller says "your parcel is lost", the text is a scam
report, not a delivery complaint. Users extend the YAML; no code changes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from voc_stream.config import ConfigError, load_model
from voc_stream.text.lexicon_config import CategoryConfig, LexiconConfig, NearRule
from voc_stream.text.normalize import fold_dialect, to_simplified

__all__ = ["Category", "CategoryConfig", "Lexicon", "LexiconConfig", "NearRule", "load_lexicon"]

_CLAUSE_END = "。!?！？;；\n"
# A negation reaches back over neither a sentence end nor a comma: "没想到，刹车异响" is a complaint;
# nor over a space, which text typed in a hurry uses for a comma: "根本没收到 骑手电话关机".
# Nor over a label's end: in "【最不满意】刹车异响" and "最不满意:刹车异响" the label is a heading.
_NEGATION_SCOPE_END = _CLAUSE_END + "，,】]:： "
# "没有网上差评里说的那种霉味", "不像上一台那样漏水": the match is what the comparison says is absent.
_ABSENT_LIKE = re.compile(r"(?:没有|不像|不是)[^，,。!?！？;；~～]{0,12}?(?:那种|那样)[^，,。!?！？;；~～]{0,3}$")
_ABSENT_LIKE_REACH = 20
_ABSENT_LIKE_TAIL = 5  # 那种 / 那样 ends at most three characters before the match: look for 那 this far back first
# A problem named as the subject of news or rumour ("地暖漏水的新闻", "电池自燃的传闻") is nobody's report here.
_NEWS_OF_IT = ("新闻", "报道", "传闻", "的新闻", "的报道", "的传闻")
# A problem the writer had before and tells as fixed: "之前车机卡顿那个毛病，这次推送的新版本已经修好了",
# "上回吐槽的送货慢，现在换了新站点已经好了". Only with a past marker before the match in its
# clause, and not when the fix is doubted before or right after it ("说已经修好了，结果又卡").
_PAST_MARKERS = ("之前", "以前", "上回", "上次", "原来", "此前", "前阵子", "上个月", "上月", "上周", "去年",
                 "那个")  # before the match or inside it ("车机那个死机的毛病升级完好了")
_PAST_REACH = 10
_FIX_WORDS = ("修好了", "处理好了", "已经好了", "已经解决", "算是解决了", "问题解决了", "退回卡里", "退回来了",
              "顺溜多了", "丝滑多了", "流畅多了", "都好了", "味都没了", "声儿都没了", "声都没了", "声音都没了",
              "正常了", "追回来了", "干干爽爽", "完好了", "干干的", "换了新的", "快多了", "收到退款", "完全消失",
              "味儿都没有了", "味都没有了")  # found in the automaton's one pass: only a text holding one is checked
# 又 doubts a fix ("又响了") unless a repair follows it ("换了滤芯又洗了蒸发箱").
_DOUBT = "(?:又(?![调洗换修查清紧加])|还是|结果|但是|可是|依旧|依然|照样)"
_TOLD_AS_FIXED = re.compile(
    rf"(?:(?!{_DOUBT})[^。!?！？;；\n]){{0,40}}?(?:{'|'.join(_FIX_WORDS)})(?![^。!?！？;；\n]{{0,12}}{_DOUBT})"
)
# What else an automaton word marks, as bits of its payload's last field.
_MARKS_NOT_REPORT, _MARKS_FIX = 1, 2
# A shop Q&A's question opens with 问: and ends at the question mark of the match's clause; a yes may follow.
_ASKED = ("问:", "问：")
_QUESTION_MARK = re.compile(f"[^{re.escape(_CLAUSE_END)}]*[?？]+")
_YES = re.compile(r"\s*(?:答[:：]\s*)?(?:会|有|是的|是|对|确实|真的会|真的有)[的啊呀哦]?[，,。!！\s]")
# Characters that make a word with the first half of a yes-or-no question: 功能不能用 is no 能不能.
_WORD_BEFORE = {"能": "功性可智技本才机体效动职电节全万官潜无", "有": "所具只拥含享占稀"}
_OPENING_QUOTES = frozenset("“「『\"'‘")
# A match that starts with a negation (不给退, 没到账) and a negation this close before it cancel out.
_NEGATIVE_STARTS = frozenset("不没无未")
_DOUBLE_NEGATION_REACH = 2
# "一点异响都没有", "异味也没有": a negation after the match that closes the clause.
_TRAILING_NEGATION = re.compile(r"(?:都|也)(?:没有|没|无)[了啊呢哦的]?(?:[" + re.escape(_CLAUSE_END + "，,~") + "]|$)")
# In a repost chain ("原帖 //@用户甲: 同款 //@用户乙: 求助") each "//@" opens another person's message:
# one writer's question or warning must not cancel, nor complete, the next writer's report.
_REPOST = "//@"
_REPOST_AS_SENTENCE_END = "。/@"


@dataclass(frozen=True)
class Category:
    """One risk category as the rest of the system sees it."""

    id: str
    name: str
    domain: str
    fraud: bool
    description: str = ""


def _fold(text: str) -> str:
    """A lexicon word as matching sees text: simplified, lower-cased and dialect-folded (勿 reads 不)."""
    return fold_dialect(to_simplified(text).lower())


def _is_ascii_word(word: str) -> bool:
    return word.isascii() and word[:1].isalnum()


@dataclass(frozen=True)
class _Rule:
    """One near rule, flattened: its category, distance and whether b may come first."""

    category: int
    within: int
    any_order: bool


class Lexicon:
    """Compiled categories; ``match`` returns category names in lexicon order.

    All words of all categories go into one Aho-Corasick automaton, so a text is
    scanned once whatever the size of the lexicon. The scan only records where
    each hit is; terms and the near rules whose two sides both appeared are then
    checked for distance and negation, in Python, on those few hits.
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
        self._hypothetical = re.compile(config.negation.hypothetical)
        self._hypothetical_window = config.negation.hypothetical_window
        self._excludes = [tuple(_fold(x) for x in c.exclude) for c in config.categories]
        # Found in the same pass as the terms; only a text holding one checks them as exclusions.
        self._not_reports = tuple(_fold(x) for x in config.not_reports)
        index_of = {c.name: i for i, c in enumerate(config.categories)}
        self._overrides = [tuple(index_of[name] for name in c.overrides) for c in config.categories]
        self._overriders = frozenset(index for index, targets in enumerate(self._overrides) if targets)
        self._in_overrides = self._overriders | frozenset(target for targets in self._overrides for target in targets)
        # Near rule r has two slots: 2r for its a-words, 2r + 1 for its b-words.
        self._rules: list[_Rule] = []
        terms: dict[str, list[int]] = {}
        slots: dict[str, list[int]] = {}
        spell = _Misspeller(config.homophones, config.homophone_min_chars)
        for index, category in enumerate(config.categories):
            for term in category.terms:
                for form in spell.forms(_fold(term)):
                    terms.setdefault(form, []).append(index)
            for rule in category.near:
                slot = 2 * len(self._rules)
                self._rules.append(_Rule(index, rule.within, rule.any_order))
                for side, words in ((slot, rule.a), (slot + 1, rule.b)):
                    for word in words:
                        for form in spell.forms(_fold(word)):
                            slots.setdefault(form, []).append(side)
        self._forms = terms.keys() | slots.keys()  # every phrase matched, homophone typos included
        self._automaton = ahocorasick.Automaton()
        not_reports = frozenset(self._not_reports)
        for word in self._forms | not_reports | frozenset(_FIX_WORDS):
            marks = (_MARKS_NOT_REPORT if word in not_reports else 0) | (_MARKS_FIX if word in _FIX_WORDS else 0)
            payload = (len(word), _is_ascii_word(word), tuple(terms.get(word, ())), tuple(slots.get(word, ())), marks)
            self._automaton.add_word(word, payload)
        self._automaton.make_automaton()

    def all_terms(self) -> set[str]:
        """Every phrase of every category, as written and in the folded forms matching uses (typos included)."""
        terms: set[str] = set()
        for category in self.config.categories:
            terms.update(category.terms)
            for rule in category.near:
                terms.update(rule.a)
                terms.update(rule.b)
        return terms | {_fold(term) for term in terms} | set(self._forms)

    def match(self, text: str) -> list[str]:
        """Names of the categories ``text`` mentions, without negated mentions."""
        return self.match_simplified(to_simplified(text))

    def match_simplified(self, text: str) -> list[str]:
        """``match`` for text already in simplified characters (the analyzer has converted it)."""
        folded = _folded(text)
        term_hits: list[tuple[int, int, int]] = []
        side_hits: dict[int, list[tuple[int, int]]] = {}
        not_report = fix_told = False
        for end_index, (length, ascii_word, categories, sides, marks) in self._automaton.iter(folded):
            end = end_index + 1
            start = end - length
            if ascii_word and not _ascii_bounded(folded, start, end):
                continue
            if marks:
                if _marks_notice(folded, start, marks):
                    not_report = True
                if marks & _MARKS_FIX:
                    fix_told = True
            if categories:
                for category in categories:
                    term_hits.append((category, start, end))
            if sides:
                for side in sides:
                    places = side_hits.get(side)
                    if places is None:
                        side_hits[side] = [(start, end)]
                    else:
                        places.append((start, end))
        if not term_hits and len(side_hits) < 2:
            return []
        negations = _Negations(self._negation, self._hypothetical, folded, not_report, fix_told)
        # Category -> where it matched. One place is enough, except for categories that
        # take part in an override: those need every sentence they match in.
        found: dict[int, list[int]] = {}
        for category, start, end in term_hits:
            if category in found and category not in self._in_overrides:
                continue
            if not self._negated(folded, negations, start, end, category):
                found.setdefault(category, []).append(start)
        for slot, a_places in side_hits.items():
            if slot % 2 or slot + 1 not in side_hits:
                continue
            rule = self._rules[slot // 2]
            if rule.category in found and rule.category not in self._in_overrides:
                continue
            place = self._near_place(folded, negations, rule, a_places, side_hits[slot + 1])
            if place is not None:
                found.setdefault(rule.category, []).append(place)
        if not found:
            return []
        if self._overriders.isdisjoint(found):
            return [self.categories[i].name for i in sorted(found)]
        matched = self._apply_overrides(folded, found)
        return [self.categories[i].name for i in sorted(matched)]

    def words_seen(self, text: str) -> tuple[frozenset[str], bool]:
        """Categories with a word in ``text`` (simplified), matched or ruled out; and whether it holds a notice marker.

        The category model asks this of the few texts it would add a category to: where the lexicon
        has words for a category in the text, judging them (negated, feared, asked, fixed, excluded)
        is the lexicon's part, which a user can change in lexicons.yaml; a notice reports nothing.
        """
        folded = _folded(text)
        categories: set[int] = set()
        sides: set[int] = set()
        not_report = False
        for end_index, (length, ascii_word, term_categories, word_sides, marks) in self._automaton.iter(folded):
            end = end_index + 1
            start = end - length
            if ascii_word and not _ascii_bounded(folded, start, end):
                continue
            if _marks_notice(folded, start, marks):
                not_report = True
            categories.update(term_categories)
            sides.update(word_sides)
        categories.update(self._rules[slot // 2].category for slot in sides if not slot % 2 and slot + 1 in sides)
        return frozenset(self.categories[index].name for index in categories), not_report

    def _near_place(
        self,
        text: str,
        negations: _Negations,
        rule: _Rule,
        a_places: list[tuple[int, int]],
        b_places: list[tuple[int, int]],
    ) -> int | None:
        """Where the first valid (a, b) pair of a near rule starts, or None."""
        for a_place in a_places:
            for b_place in b_places:
                if a_place[1] <= b_place[0]:
                    pair = a_place, b_place
                elif rule.any_order and b_place[1] <= a_place[0]:
                    pair = b_place, a_place
                else:
                    continue
                if self._near_ok(text, negations, *pair, rule):
                    return pair[0][0]
        return None

    def _apply_overrides(self, text: str, found: dict[int, list[int]]) -> set[int]:
        """Drop a category whose every match shares a sentence with a category overriding it."""
        pending = {target for index in found for target in self._overrides[index] if target in found}
        if not pending:
            return set(found)
        sentence_ends = [index for index, ch in enumerate(text) if ch in _CLAUSE_END]
        overridden_in: dict[int, set[int]] = {}
        for index, places in found.items():
            for target in self._overrides[index]:
                overridden_in.setdefault(target, set()).update(bisect_right(sentence_ends, p) for p in places)
        return {
            index for index, places in found.items()
            if index not in pending
            or any(bisect_right(sentence_ends, p) not in overridden_in[index] for p in places)
        }

    def _near_ok(
        self, text: str, negations: _Negations, first: tuple[int, int], second: tuple[int, int], rule: _Rule
    ) -> bool:
        gap = text[first[1]:second[0]]
        if len(gap) > rule.within or any(ch in _CLAUSE_END for ch in gap):
            return False
        if negations.starts_within(first[1], second[0]):
            return False
        if negations.supposes_within(first[1], second[0]) and not _answered_yes(text, second[1]):
            return False
        return not self._negated(text, negations, first[0], second[1], rule.category)

    def _negated(self, text: str, negations: _Negations, start: int, end: int, category: int) -> bool:
        scope_start = self._scope_start(text, start, self._window)
        if text[start] in _NEGATIVE_STARTS:
            # A match that is itself a refusal ("不给退") is undone only by a negation right before it
            # ("没有不给退", "没说不给退"); "没小票不给退" names a condition and then the refusal.
            scope_start = max(scope_start, start - _DOUBLE_NEGATION_REACH)
        if negations.starts_within(scope_start, start):
            return True
        if _TRAILING_NEGATION.match(text, end) or text.startswith(_NEWS_OF_IT, end):
            return True
        if "那" in text[max(0, start - _ABSENT_LIKE_TAIL):start] and _ABSENT_LIKE.search(
            text, max(0, start - _ABSENT_LIKE_REACH), start
        ):
            return True
        if negations.fix_told and _told_as_fixed(text, start, end):
            return True
        if text[end:end + 1] == "不" and text[end + 1:end + 2] == text[end - 1] and text[end - 2:end - 1] != "不":
            return True  # a yes-or-no question: "车机卡不卡", "刹车响不响" (not "质量不好不好", said twice)
        if (
            (text[start] in "不没" and _asked_both_ways(text, start))
            or negations.supposes_within(self._scope_start(text, start, self._hypothetical_window), start)
            or _in_asked_question(text, start, end)
        ) and not _answered_yes(text, end):
            return True
        excludes = self._excludes[category]
        if negations.not_report:
            excludes += self._not_reports
        if excludes:
            clause_start = _clause_start(text, start)
            clause_stop = min((i for i in (text.find(ch, end) for ch in _CLAUSE_END) if i >= 0), default=len(text))
            clause = text[clause_start:clause_stop]
            return any(word in clause for word in excludes)
        return False

    @staticmethod
    def _scope_start(text: str, start: int, window: int) -> int:
        """Where a negation's reach back from ``start`` begins: ``window`` characters, not past a comma or label."""
        scope_start = max(0, start - window)
        for index in range(start - 1, scope_start - 1, -1):
            if text[index] in _NEGATION_SCOPE_END:
                return index + 1
        return scope_start


def _folded(text: str) -> str:
    """The form matching reads: lower case, dialect words folded, each repost's "//@" a sentence end."""
    folded = fold_dialect(text.lower())
    return folded.replace(_REPOST, _REPOST_AS_SENTENCE_END) if _REPOST in folded else folded


def _marks_notice(text: str, start: int, marks: int) -> bool:
    """Whether the word at ``start`` is a notice marker (``not_reports``) the writer did not quote.

    A template quoted back ("就会回“请您耐心等待”") is the customer's complaint, not a notice.
    """
    return bool(marks & _MARKS_NOT_REPORT) and text[start - 1:start] not in _OPENING_QUOTES


def _clause_start(text: str, index: int) -> int:
    """Where the clause holding ``index`` begins: just after the last sentence end before it."""
    return max(text.rfind(ch, 0, index) for ch in _CLAUSE_END) + 1


def _asked_both_ways(text: str, start: int) -> bool:
    """Whether the negation at ``start`` is the middle of a yes-or-no question: "能不能退", "有没有漏水".

    Not when 还 leads it ("还发不发货了" complains), nor when the first half ends another word
    ("功能不能用", "所有没有…").
    """
    before = text[start - 1:start]
    if not before or before != text[start + 1:start + 2] or text[start - 2:start - 1] == "还":
        return False
    return text[start - 2:start - 1] not in _WORD_BEFORE.get(before, "")


def _in_asked_question(text: str, start: int, end: int) -> bool:
    """Whether the match sits in a Q&A's question: "问：冬天续航掉得厉害吗？"."""
    if text.find("问", 0, start) < 0:
        return False  # most texts: no scan for the clause
    return text[_clause_start(text, start):start].lstrip().startswith(_ASKED) and _QUESTION_MARK.match(text, end) is not None


def _answered_yes(text: str, end: int) -> bool:
    """Whether the question holding the match is answered yes right after it: "会漏吗？ 答：会，…".

    In a product's Q&A ("问：刹车会有异响吗？ 答：有，…") the answer makes the question's
    problem a report.
    """
    mark = _QUESTION_MARK.match(text, end)
    return mark is not None and _YES.match(text, mark.end()) is not None


def _told_as_fixed(text: str, start: int, end: int) -> bool:
    """Whether the match is a past problem that the rest of its sentence says is fixed."""
    # The marker may sit before the match or between a near rule's two words: "车机以前动不动就卡死".
    clause = text[Lexicon._scope_start(text, end, end - start + _PAST_REACH):end]
    return any(marker in clause for marker in _PAST_MARKERS) and _TOLD_AS_FIXED.match(text, end) is not None


class _Negations:
    """Where the negation and hypothetical words of one text are, found once and only if a hit needs them.

    Searching the whole text (not a window cut out of it) lets the pattern's
    look-aheads see what follows a negation ("不删差评就..." is a condition).
    """

    __slots__ = ("_hypothetical", "_pattern", "_starts", "_text", "fix_told", "not_report")

    def __init__(
        self, pattern: re.Pattern[str], hypothetical: re.Pattern[str], text: str, not_report: bool, fix_told: bool
    ) -> None:
        self._pattern, self._hypothetical, self._text = pattern, hypothetical, text
        self._starts: list[int] | None = None
        #: Whether the text holds a ``not_reports`` phrase: then every category's exclusions include them.
        self.not_report = not_report
        #: Whether the text holds a word that tells a problem as fixed (``_FIX_WORDS``).
        self.fix_told = fix_told

    def starts_within(self, start: int, stop: int) -> bool:
        """Whether a negation starts in ``text[start:stop]`` ("没" of "没有问题" before "有问题") and reaches ``stop``.

        A 就 after the negation closes the condition it negates: in "没用几天就坏了" and
        "还没过期就发酸了" the 没 belongs to the condition, not to what follows 就.
        """
        if start >= stop:
            return False
        if self._starts is None:
            self._starts = [match.start() for match in self._pattern.finditer(self._text)]
        text = self._text
        return any(start <= span_start < stop and "就" not in text[span_start:stop] for span_start in self._starts)

    def supposes_within(self, start: int, stop: int) -> bool:
        """Whether a hypothetical starts in ``text[start:stop]`` and reaches ``stop``.

        As with a negation, 就 closes the condition: "如果下雨天就漏水" says it leaks whenever it rains.
        The search starts at the window and stops at the first hypothetical past it (the look-arounds
        see the whole text); it runs only for hits no negation has already cancelled.
        """
        text = self._text
        for match in self._hypothetical.finditer(text, start):
            if match.start() >= stop:
                return False
            if "就" not in text[match.end():stop]:
                return True
        return False


class _Misspeller:
    """A word and its one-character homophone typos (刹车异响 -> 煞车异响), for words long enough to stay unique."""

    def __init__(self, groups: list[str], min_chars: int) -> None:
        self.min_chars = min_chars
        self.swaps: dict[str, str] = {}
        for group in groups:
            folded = _fold(group)
            for char in folded:
                self.swaps[char] = self.swaps.get(char, "") + folded.replace(char, "")

    def forms(self, word: str) -> list[str]:
        forms = [word]
        if len(word) < self.min_chars or not self.swaps:
            return forms
        for i, char in enumerate(word):
            for other in self.swaps.get(char, ""):
                forms.append(word[:i] + other + word[i + 1 :])
        return forms


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
