"""The interface the pipeline calls: TextAnalyzer, TextAnalysis and the package exports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import voc_stream.text as text_package
from voc_stream.text import (
    TextAnalysis,
    TextAnalyzer,
    mask_personal_data,
    normalize_text,
)
from voc_stream.text.normalize import fold_dialect

CONFIG = Path(__file__).resolve().parents[1] / "config"


@pytest.fixture(scope="module")
def analyzer() -> TextAnalyzer:
    return TextAnalyzer.from_config(CONFIG)


def test_public_names() -> None:
    assert {"TextAnalyzer", "TextAnalysis", "mask_personal_data", "normalize_text"} <= set(text_package.__all__)
    assert sorted(text_package.__all__) == text_package.__all__
    for name in text_package.__all__:
        assert getattr(text_package, name) is not None


def test_the_example_from_the_contract(analyzer: TextAnalyzer) -> None:
    analysis = analyzer.analyze("刹车异响很严重,客服电话 13812341234 一直打不通")
    assert isinstance(analysis, TextAnalysis)
    assert analysis.text_masked == "刹车异响很严重,客服电话 138****1234 一直打不通"
    assert "刹车异响" in analysis.tokens and "13812341234" not in "".join(analysis.tokens)
    assert all(re.search(r"\w", token) for token in analysis.tokens)
    assert analysis.categories[0] == "刹车异响"
    assert 0.0 <= analysis.sentiment < 0.3
    assert analysis.to_dict() == {
        "text_masked": analysis.text_masked,
        "tokens": analysis.tokens,
        "sentiment": analysis.sentiment,
        "categories": analysis.categories,
        "learned_categories": analysis.learned,
    }


def test_normalises_full_width_and_whitespace_before_masking(analyzer: TextAnalyzer) -> None:
    analysis = analyzer.analyze("  电话：１３８１２３４５６７８\n\n  谢谢　")
    assert analysis.text_masked == "电话:138****5678 谢谢"
    assert normalize_text("ＡＢＣ，　ｄ\t\te") == "ABC, d e"


def test_traditional_text_is_understood(analyzer: TextAnalyzer) -> None:
    analysis = analyzer.analyze("剎車異響很嚴重")
    assert analysis.text_masked == "剎車異響很嚴重"
    assert analysis.categories == ["刹车异响"]
    assert "刹车异响" in analysis.tokens


def test_dialect_is_matched_but_kept_as_written(analyzer: TextAnalyzer) -> None:
    analysis = analyzer.analyze("申請退款兩個禮拜，商家一直唔肯退")
    assert analysis.categories == ["拒绝退款"]
    assert analysis.text_masked == "申請退款兩個禮拜,商家一直唔肯退"
    assert fold_dialect("俾人呃咗") == "被人骗了"
    assert fold_dialect("刹车莫得响声，呒没异味") == "刹车没有响声，没有异味"
    assert fold_dialect("刹车没有异响") == "刹车没有异响"


@pytest.mark.parametrize(
    ("text", "positive"),
    [
        ("味道很好，送餐也快，下次还点", True),
        ("好得不得了，强烈推荐", True),
        ("质量非常好，物超所值", True),
        ("不太满意，一点也不好", False),
        ("送了两个小时，饭都凉了，再也不点了", False),
        ("客服态度太差了，问题一直没解决", False),
        ("不好吃", False),
        ("没有想象中那么好", False),
        ("刹车异响好几天了", False),  # 好几天 is "several days", not "good"
        ("好半天没人理", False),
    ],
)
def test_sentiment_reads_negation_and_degree(analyzer: TextAnalyzer, text: str, positive: bool) -> None:
    assert (analyzer.analyze(text).sentiment > 0.5) is positive


def test_negation_flips_the_score(analyzer: TextAnalyzer) -> None:
    assert analyzer.analyze("很满意").sentiment > 0.5 > analyzer.analyze("很不满意").sentiment
    assert analyzer.analyze("好吃").sentiment > 0.5 > analyzer.analyze("一点也不好吃").sentiment


def test_analyze_many_equals_analyze(analyzer: TextAnalyzer) -> None:
    texts = ["刹车异响", "好评返现五元,客服QQ 12345678", "很好", "", "ETC扣款失败 13912345678"]
    assert analyzer.analyze_many(texts) == [analyzer.analyze(text) for text in texts]


def test_no_personal_number_reaches_any_field(analyzer: TextAnalyzer) -> None:
    analysis = analyzer.analyze("卡号6222021234567894,身份证110105194912310021,手机13812345678")
    flat = repr(analysis.to_dict())
    for secret in ("6222021234567894", "110105194912310021", "13812345678", "12345678"):
        assert secret not in flat
    assert mask_personal_data("手机13812345678") == "手机138****5678"


def test_lexicon_is_exposed_for_other_components(analyzer: TextAnalyzer) -> None:
    lexicon = analyzer.lexicon
    assert [c.name for c in lexicon.categories][:2] == ["刹车异响", "续航虚标"]
    assert {c.domain for c in lexicon.categories} >= {"auto", "retail", "food", "payments", "fraud", "service"}
    assert isinstance(lexicon.fraud_categories, frozenset) and "诈骗" in lexicon.fraud_categories
    assert "好评返现" in lexicon.all_terms()


_UNTIDY = "ab好，。！？ 　\t\n\r\xa0\u2003\u200b\x0b\x1c\u2028ｱＡ１２"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_UNTIDY, max_size=16))
def test_normalized_text_is_tidy_and_stable(text: str) -> None:
    """No full-width ASCII, no whitespace but single inner spaces, and normalising twice changes nothing."""
    tidy = normalize_text(text)
    assert not any("\uff01" <= ch <= "\uff5e" or ch == "\u3000" for ch in tidy)
    assert all(ch == " " or not ch.isspace() for ch in tidy)
    assert "  " not in tidy and tidy == tidy.strip()
    assert normalize_text(tidy) == tidy
