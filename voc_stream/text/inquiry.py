"""Plain inquiries: a question asking for information is neither praise nor complaint.

The sentiment model learned from reviews, where a question is nearly always a
rhetorical complaint (吗, 什么 and 怎么 carry strongly negative weights), so it
reads "请问能开发票吗" as negative. Hotline, chat, email and in-app messages are
full of such questions; counted as negative posts they would swell every store's
usual count of negatives and blunt ``negative_burst``. A short question with no
sign of complaint and no risk category is scored neutral instead, in private
service channels only: in public reviews a question is usually rhetorical (of the
shared review corpora's texts this rule would take for inquiries, 94% are
labelled negative), so there the model's reading stands.
"""

from __future__ import annotations

from collections.abc import Sequence

from voc_stream.text.normalize import to_simplified

NEUTRAL = 0.5
MAX_CHARS = 40  # longer texts are reviews or stories, where the model knows better

#: Phrases that make a text a request for information.
QUESTION_PHRASES = (
    "请问", "想问", "问一下", "问下", "咨询", "询问", "怎么", "如何", "多久", "多少", "多长", "什么时候",
    "啥时候", "几点", "几岁", "几天", "哪里", "哪儿", "哪个", "哪些", "是否", "能否", "能不能", "可不可以",
    "有没有", "是什么", "需要什么", "要带什么",
)
QUESTION_ENDINGS = ("吗", "呢", "么", "嘛")
QUESTION_MARKS = ("?", "？")
TRAILING = "。.！!~～…,， "

#: Signs that a question carries a complaint (rhetorical, impatient, or reporting a fault).
COMPLAINT_CUES = (
    "还没", "还不", "还要", "怎么还", "不怎么", "没怎么", "为什么", "为啥", "凭什么", "到底", "怎么回事", "怎么会", "竟然", "居然",
    "难道", "这也叫", "好意思", "没人", "有没有人", "又", "一直", "总是", "老是", "每次", "投诉", "差评", "退钱",
    "骗", "坑", "垃圾", "气死", "无语", "服了", "失望", "太", "不行", "不能用", "用不了", "坏", "失败", "盗刷",
    "被盗", "说好的", "都没", "这么", "正常吗", "不给", "怎么退", "乱扣", "扣了", "多扣", "少了", "错了", "凉了",
    "慢死", "等了", "催", "赔", "！！", "!!",
)


def is_question(text: str) -> bool:
    stripped = text.rstrip(TRAILING)
    return (
        stripped.endswith(QUESTION_ENDINGS)
        or any(mark in text for mark in QUESTION_MARKS)
        or any(phrase in text for phrase in QUESTION_PHRASES)
    )


def is_plain_inquiry(text: str, categories: Sequence[str]) -> bool:
    """A short question about something, with no complaint cue and no risk category matched."""
    if categories or len(text) > MAX_CHARS:
        return False
    return is_question(text) and not any(cue in text for cue in COMPLAINT_CUES)


def channel_sentiment(score: float, text_masked: str, categories: Sequence[str], private: bool) -> float:
    """The sentiment an event carries: a plain inquiry in a private channel the model read as negative reads neutral."""
    if private and score < NEUTRAL and is_plain_inquiry(to_simplified(text_masked), categories):
        return NEUTRAL
    return score
