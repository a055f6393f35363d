"""emerging_term's candidates from a long post: the rarest are kept, wherever they sit."""

from __future__ import annotations

from tests.test_rules_streams import START, engine, event
from voc_stream.text.word_rarity import log_probs

EVERYDAY = ("知道", "东西", "朋友", "工作", "时间", "事情", "地方",
            "孩子", "电话", "晚上", "早上", "下午", "师傅", "老板", "价格", "快递", "门口", "楼下", "小区", "周末", "同事", "手机")


def candidates(tokens: tuple[str, ...]) -> list[str]:
    rule = engine(rules=("emerging_term",)).rules["emerging_term"]
    return rule.candidates(event(START, 1, negative=True, tokens=tokens))


def test_a_new_term_at_the_end_of_a_long_post_is_kept():
    """A call transcript names the new scam script only at its end; reading order used to cut it off."""
    found = candidates(EVERYDAY + ("解冻", "保证金"))
    assert "解冻保证金" in found
    assert len(found) == 32  # the shipped cap


def test_the_commonest_words_of_a_long_post_are_dropped_first():
    found = candidates(EVERYDAY + ("解冻", "保证金"))
    dropped = {w for w in EVERYDAY if w not in found}
    assert {"知道", "工作", "地方"} <= dropped
    (deposit,) = log_probs(["保证金"])
    assert all(rarity > deposit for rarity in log_probs(sorted(dropped)))


def test_a_short_post_keeps_every_candidate_in_reading_order():
    tokens = ("后视镜", "起雾", "第二次", "店里", "查不出")
    assert candidates(tokens) == ["后视镜", "后视镜起雾", "起雾", "起雾第二次", "第二次", "第二次店里", "店里",
                                  "店里查不出", "查不出"]


def test_log_probs_rank_everyday_words_above_rare_and_unknown_ones():
    everyday, rare, unknown = log_probs(["我们", "保证金", "嗳嗳嗳嗳"])
    assert everyday > rare > unknown
    assert sum(log_probs(["解冻", "保证金"])) < log_probs(["解冻"])[0]  # a pair (ranked by its sum) is rarer than either word


def _long_post(tail: str) -> tuple[str, ...]:
    """A call transcript's worth of everyday talk (over 280 characters), then ``tail``."""
    talk = ("坐席", "：", "您好", "，", "请问", "有", "什么", "可以", "帮", "您", "。", "客户", "：", "我", "上个月",
            "买", "的", "东西", "一直", "没", "收到", "，", "打", "了", "好几次", "电话", "。") * 8
    return talk + ("对方", "让", "我", "交", "解冻", "保证金", "。") + tuple(tail)


def _evidence_text(tokens: tuple[str, ...], key: str):
    rule = engine(rules=("emerging_term",)).rules["emerging_term"]
    post = event(START, 1, negative=True, tokens=tokens)
    return rule, post, rule._evidence(key, post)


def test_a_long_posts_sample_for_a_term_is_the_stretch_around_it():
    """The alert's sample must show the new term even when it sits past the first 280 characters."""
    tokens = _long_post("")
    assert len("".join(tokens)) > 280
    rule, post, item = _evidence_text(tokens, "emerging_term|解冻保证金")
    assert "解冻保证金" in item.text and item.text.startswith("…")
    assert "解冻" in item.tokens and "保证金" in item.tokens
    assert len(item.text) <= 281 and len(item.tokens) <= 40


def test_a_short_posts_sample_is_shared_by_all_its_terms():
    rule = engine(rules=("emerging_term",)).rules["emerging_term"]
    post = event(START, 1, negative=True, tokens=("后视镜", "起雾", "第二次"))
    first = rule._evidence("emerging_term|后视镜起雾", post)
    assert rule._evidence("emerging_term|第二次", post) is first
    assert first.text == "后视镜起雾第二次"


def test_nearby_terms_of_a_long_post_share_a_sample_and_an_opening_term_gets_the_opening():
    rule = engine(rules=("emerging_term",)).rules["emerging_term"]
    post = event(START, 1, negative=True, tokens=_long_post(""))
    keys = rule.keys(post)
    assert "emerging_term|解冻保证金" in keys and "emerging_term|坐席" in keys
    tail = rule._evidence("emerging_term|解冻保证金", post)
    assert rule._evidence("emerging_term|解冻", post) is tail
    assert rule._evidence("emerging_term|保证金", post) is tail
    opening = rule._evidence("emerging_term|坐席", post)
    assert opening is not tail and not opening.text.startswith("…") and opening.tokens[0] == "坐席"
