"""The segmenters cut as jieba does without HMM, each on its own dictionary instance."""

from __future__ import annotations

import csv
from pathlib import Path

import jieba
import pytest

from voc_stream.text import Segmenter
from voc_stream.text.segment import is_word

SENTENCES = [
    "刹车异响很严重,客服电话 138****1234 一直打不通",
    "我来到北京清华大学",
    "iPhone15 Pro Max 的屏幕很好,ETC扣款失败了!!!",
    "好好好。好好好好",
    "买了3件,送了1件,总共¥199.5元 😡",
    "乒乓球拍卖完了 ,  下次再来",
    "ａｂｃ１２３ 全角字符也照常切",
    "",
    "   ",
]


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    """The pure-Python backend, which promises jieba's exact tokens."""
    return Segmenter(backend="python")


@pytest.fixture(scope="module")
def rust_segmenter() -> Segmenter:
    pytest.importorskip("rjieba", reason="the rjieba backend is optional")
    return Segmenter(backend="rjieba")


def jieba_reference(segmenter: Segmenter, text: str) -> list[str]:
    return [token for token in segmenter.tokenizer.cut(text, HMM=False) if not token.isspace()]


@pytest.mark.parametrize("text", SENTENCES)
def test_same_tokens_as_jieba_without_hmm(segmenter: Segmenter, text: str) -> None:
    assert segmenter.segment(text) == jieba_reference(segmenter, text)


def test_same_tokens_as_jieba_on_real_reviews(segmenter: Segmenter, shared_dir: Path) -> None:
    with open(shared_dir / "datasets/chinese/online_shopping_9_cats.csv", encoding="utf-8") as handle:
        reviews = [row["review"] for row in csv.DictReader(handle)][::20]
    different = [text for text in reviews if segmenter.segment(text) != jieba_reference(segmenter, text)]
    assert different == []


@pytest.mark.parametrize("text", SENTENCES)
def test_rjieba_backend_agrees_with_jieba(segmenter: Segmenter, rust_segmenter: Segmenter, text: str) -> None:
    assert rust_segmenter.segment(text) == segmenter.segment(text)


def test_rjieba_backend_agrees_on_real_reviews(segmenter: Segmenter, rust_segmenter: Segmenter,
                                               shared_dir: Path) -> None:
    """Identical except where two cuts score exactly the same (runs of one repeated character)."""
    with open(shared_dir / "datasets/chinese/waimai_10k.csv", encoding="utf-8") as handle:
        reviews = [row["review"] for row in csv.DictReader(handle)]
    different = [text for text in reviews if rust_segmenter.segment(text) != segmenter.segment(text)]
    assert len(different) <= len(reviews) // 1000, different[:5]


def test_auto_backend_prefers_rjieba_and_unknown_backends_are_refused() -> None:
    try:
        import rjieba  # noqa: F401

        expected = "rjieba"
    except ImportError:
        expected = "python"
    assert Segmenter([]).backend == expected
    with pytest.raises(ValueError, match="backend"):
        Segmenter([], backend="paddle")


def test_uses_its_own_tokenizer_not_the_global_one() -> None:
    before = dict(jieba.dt.FREQ) if jieba.dt.initialized else None
    with_words = Segmenter([], backend="python")
    assert with_words.tokenizer is not jieba.dt
    with_words.tokenizer.add_word("一个全新的词语")
    assert jieba.dt.FREQ.get("一个全新的词语") is None
    if before is not None:
        assert dict(jieba.dt.FREQ) == before


@pytest.mark.parametrize("backend", ["python", "auto"])
def test_building_a_segmenter_prints_nothing(capfd: pytest.CaptureFixture[str], backend: str) -> None:
    Segmenter([], backend=backend)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


@pytest.mark.parametrize(("token", "word"), [("刹车", True), ("A", True), ("7", True), ("😡", True),
                                             (",", False), ("。", False), ("*", False), ("!", False)])
def test_punctuation_is_not_a_word(token: str, word: bool) -> None:
    assert is_word(token) is word
