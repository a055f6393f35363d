"""Sentiment features from jieba tokens: unigrams, bigrams and negation scope.

"不满意" and "满意" share the token 满意; the model can only tell them apart if
the negation travels with the word. A negator marks the next few words of its
clause ("不太 满意" -> "¬满意"), and bigrams keep degree words next to what
they modify ("太_差", "好_得"). Punctuation closes a clause and is otherwise
only a feature when it carries tone ("!", "?").
"""

from __future__ import annotations

from collections.abc import Sequence

NEGATORS = frozenset(
    "不 没 没有 无 别 未 非 莫 勿 甭 不是 并不 并非 并没有 并没 从不 从未 从没 毫不 绝不 决不 "
    "不太 不怎么 不够 不大 一点也不 一点都不 也不 都不 也没 都没 也没有 都没有 再也不 还没 还没有 "
    "没什么 不会 不能 不要 不用 不必 无法 难以".split()
)
NEGATION_SCOPE = 3
TONE_MARKS = frozenset("!?！？")
NEGATED = "¬"
BIGRAM = "_"


def feature_set(tokens: Sequence[str]) -> set[str]:
    """The distinct ``sentiment_features`` of one text, in one pass: what scoring reads, once per event."""
    distinct: set[str] = set()
    add = distinct.add
    previous = ""
    scope = 0
    for token in tokens:
        if len(token) == 1 and not token.isalnum():
            if token in TONE_MARKS:
                add(token)
            previous = ""
            scope = 0
            continue
        if scope:
            add(NEGATED + token)
            scope -= 1
        else:
            add(token)
        if previous:
            add(previous + BIGRAM + token)
        if token in NEGATORS:
            scope = NEGATION_SCOPE
        previous = token
    return distinct


def sentiment_features(tokens: Sequence[str]) -> list[str]:
    """Feature strings of one text; repeats are kept (scoring uses presence)."""
    features: list[str] = []
    previous = ""
    scope = 0
    for token in tokens:
        if len(token) == 1 and not token.isalnum():  # punctuation and symbols close a clause
            if token in TONE_MARKS:
                features.append(token)
            previous = ""
            scope = 0
            continue
        if scope:
            features.append(NEGATED + token)
            scope -= 1
        else:
            features.append(token)
        if previous:
            features.append(previous + BIGRAM + token)
        if token in NEGATORS:
            scope = NEGATION_SCOPE
        previous = token
    return features
