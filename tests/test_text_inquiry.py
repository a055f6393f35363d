"""Plain inquiries in private channels read neutral; complaints phrased as questions, and public posts, do not."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from voc_stream.enrich import Enricher
from voc_stream.events import event_from_dict
from voc_stream.text import TextAnalyzer
from voc_stream.text.inquiry import channel_sentiment, is_plain_inquiry

ROOT = Path(__file__).resolve().parents[1]
LABELLED = yaml.safe_load((ROOT / "tests" / "data" / "inquiries.yaml").read_text(encoding="utf-8"))
NEGATIVE = 0.4


@pytest.fixture(scope="module")
def analyzer() -> TextAnalyzer:
    return TextAnalyzer.from_config(ROOT / "config")


def _read_negative(analyzer: TextAnalyzer, texts: list[str], private: bool) -> list[str]:
    return [text for text, r in zip(texts, analyzer.analyze_many(texts))
            if channel_sentiment(r.sentiment, r.text_masked, r.categories, private) < NEGATIVE]


def test_the_model_alone_reads_most_plain_inquiries_as_negative(analyzer):
    """Why the rule exists: in reviews a question is a complaint, and the model learned that."""
    assert len(_read_negative(analyzer, LABELLED["inquiry"], private=False)) >= 20


def test_in_private_channels_plain_inquiries_are_not_negative(analyzer):
    assert _read_negative(analyzer, LABELLED["inquiry"], private=True) == []


def test_complaints_phrased_as_questions_stay_negative(analyzer):
    assert _read_negative(analyzer, LABELLED["complaint"], private=True) == LABELLED["complaint"]


def test_a_question_about_a_risk_is_a_complaint():
    assert not is_plain_inquiry("转账失败怎么办", ["转账失败"])
    assert is_plain_inquiry("转账限额怎么设置", [])


def test_long_texts_are_left_to_the_model():
    assert not is_plain_inquiry("请问" + "这个产品的具体参数和使用方法" * 3 + "是什么", [])


def test_the_enricher_reads_the_same_question_by_its_channel(analyzer):
    enricher = Enricher(analyzer, NEGATIVE)
    base = {"ts": "2026-11-04T10:00:00+08:00", "text": "请问能开发票吗"}
    hotline = enricher.enrich(event_from_dict({**base, "event_id": "h1", "channel": "hotline"}))
    review = enricher.enrich(event_from_dict({**base, "event_id": "d1", "channel": "dianping"}))
    assert not hotline.negative and hotline.sentiment == 0.5
    assert review.negative  # a public review keeps the model's reading
