"""The shipped sentiment model, its features, and the training code on real reviews."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from pathlib import Path

import pytest

from voc_stream.text import SentimentModel
from voc_stream.text.baseline import SnowNLPBaseline
from voc_stream.text.features import NEGATED, sentiment_features
from voc_stream.text.prior import NaiveBayesPrior
from voc_stream.text.segment import Segmenter
from voc_stream.text.training import (
    accuracy,
    fit_logistic,
    load_reviews,
    read_feedback_texts,
    read_labelled_feedback,
    segments_for,
    self_train,
)

MODEL = Path(__file__).resolve().parents[1] / "voc_stream" / "data" / "sentiment.json"


def test_negation_scope_ends_at_punctuation_and_after_three_words() -> None:
    features = sentiment_features(["不", "太", "满意", ",", "价格", "还", "行"])
    assert f"{NEGATED}太" in features and f"{NEGATED}满意" in features
    assert "价格" in features and f"{NEGATED}价格" not in features
    long_scope = sentiment_features(["没有", "一", "点", "点", "味道"])
    assert "味道" in long_scope and f"{NEGATED}点" in long_scope


def test_bigrams_keep_degree_words_with_their_word() -> None:
    assert "太_差" in sentiment_features(["太", "差"])
    assert "好_得" in sentiment_features(["好", "得", "不得了"])
    assert f"{NEGATED}不得了" not in sentiment_features(["好", "得", "不得了"])


def test_shipped_model_is_small_and_loads_from_the_package() -> None:
    assert MODEL.stat().st_size < 5 * 1024 * 1024
    model = SentimentModel.load()
    assert len(model.weights) > 10_000
    assert model.meta["documents"] > 50_000
    assert model.prior is not None and model.prior_weight > 0 and model.length_norm
    assert model.weights["满意"] > 0 > model.weights[f"{NEGATED}满意"]


def test_naive_bayes_scale_is_folded_into_the_stored_weights() -> None:
    # "好" only in positive texts, "差" only in negative ones, "东西" in both. A fitted weight of the
    # scaled column has the sign of the contribution over the sign of the scale, so only a folded
    # weight makes "差" negative; the fit must lean on the one-sided words, not the shared one.
    documents = [["东西", "好"], ["好", "东西", "不错"], ["东西", "差"], ["差", "东西", "坏"]] * 10
    labels = [1, 1, 0, 0] * 10
    model = fit_logistic(documents, labels, min_count=1)
    assert model.weights["好"] > abs(model.weights.get("东西", 0.0)) < -model.weights["差"]
    for tokens in (["东西", "好"], ["差"], ["东西", "不错", "坏"]):
        assert model.score(tokens) == pytest.approx(model.reference_score(tokens))
    plain = fit_logistic(documents, labels, min_count=1, nb_scale=False)
    assert plain.weights != model.weights


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    model = SentimentModel({"好": 2.0, "差": -2.0}, 0.1, {"note": "tiny"})
    model.save(tmp_path / "m.json")
    again = SentimentModel.load(tmp_path / "m.json")
    assert again.weights == model.weights and again.meta == {"note": "tiny"}
    assert again.score(["好"]) > 0.8 > 0.2 > again.score(["差"])
    assert again.score(["好", "好", "好"]) == again.score(["好"])


def test_prior_reproduces_snownlp_and_travels_with_the_model(tmp_path: Path) -> None:
    prior = NaiveBayesPrior.from_snownlp()
    baseline = SnowNLPBaseline()
    for tokens in (["很", "好", "吃"], ["太", "差", "了", ",", "不", "满意"], ["一般"]):
        probability = 1 / (1 + math.exp(-prior.log_odds(tokens)))
        assert abs(probability - baseline.score(tokens)) < 1e-3
    model = SentimentModel({}, 0.0, prior=prior, prior_weight=1.0, length_norm=True)
    model.save(tmp_path / "m.json")
    again = SentimentModel.load(tmp_path / "m.json")
    assert again.prior == prior and again.length_norm
    assert again.score(["很", "好", "吃"]) == model.score(["很", "好", "吃"]) > 0.5


def clothing_and_fruit(shared_dir: Path, fruit_count: int):
    """3000 labelled clothing reviews and ``fruit_count`` fruit reviews (seeded), with their segments."""
    reviews = load_reviews(shared_dir)
    rng = random.Random(7)
    clothing = rng.sample([r for r in reviews if r.domain == "衣服"], 3000)
    fruit = rng.sample([r for r in reviews if r.domain == "水果"], fruit_count)
    segmenter = Segmenter()
    return (clothing, [segments_for(segmenter, r.text) for r in clothing],
            fruit, [segments_for(segmenter, r.text) for r in fruit])


def test_training_on_one_domain_generalises_to_another(shared_dir: Path) -> None:
    """Clothing reviews in, fruit reviews out: far above chance alone, better than snownlp with its prior."""
    train, train_documents, test, test_documents = clothing_and_fruit(shared_dir, 1000)
    test_labels = [r.label for r in test]
    alone = fit_logistic(train_documents, [r.label for r in train])
    with_prior = fit_logistic(train_documents, [r.label for r in train], prior=NaiveBayesPrior.from_snownlp())
    baseline = SnowNLPBaseline()
    snownlp_accuracy = accuracy([baseline.score(d) for d in test_documents], test_labels)
    assert accuracy(alone.score_many(test_documents), test_labels) > 0.75
    assert accuracy(with_prior.score_many(test_documents), test_labels) > snownlp_accuracy + 0.01
    assert with_prior.prior_weight > 0


def test_self_training_learns_a_new_domains_words_from_unlabelled_texts() -> None:
    """漏水 never occurs in the labelled texts; in the domain's texts it keeps company with 差."""
    labelled = [["很", "好"], ["好", "用"], ["差"], ["太", "差"]] * 20
    labels = [1, 1, 0, 0] * 20
    unlabelled = [["好", "安装", "快"], ["差", "漏水"], ["太", "差", "漏水", "了"], ["漏水", "差", "差"]] * 10
    before = fit_logistic(labelled, labels)
    after = self_train(labelled, labels, unlabelled, confidence=0.7, rounds=2)
    assert "漏水" not in before.weights and after.weights["漏水"] < 0 < after.weights["安装"]
    assert after.score(["漏水"]) < 0.45 and after.score(["漏水"]) < before.score(["漏水"]) - 0.1
    again = self_train(labelled, labels, unlabelled, model=before)  # a fit already made is the starting point
    assert again.weights == self_train(labelled, labels, unlabelled).weights


def test_self_training_on_a_domains_texts_improves_it_without_its_labels(shared_dir: Path) -> None:
    """Clothing reviews labelled, fruit reviews not: reading half the fruit texts helps on the other half."""
    train, train_documents, fruit, fruit_documents = clothing_and_fruit(shared_dir, 3000)
    adapt_documents, test_documents = fruit_documents[:1500], fruit_documents[1500:]
    test_labels = [r.label for r in fruit[1500:]]
    prior = NaiveBayesPrior.from_snownlp()  # the shipped recipe
    base = fit_logistic(train_documents, [r.label for r in train], prior=prior)
    adapted = self_train(train_documents, [r.label for r in train], adapt_documents, model=base, prior=prior)
    assert accuracy(adapted.score_many(test_documents), test_labels) > accuracy(
        base.score_many(test_documents), test_labels) + 0.01


def test_feedback_texts_are_read_from_lines_or_event_json(tmp_path: Path) -> None:
    path = tmp_path / "feedback.jsonl"
    path.write_text('热水器漏水\n\n{"event_id": "e1", "text": "安装师傅很专业"}\n{"event_id": "e2"}\n'
                    '{"text": "  "}\n{not json\n', encoding="utf-8")
    assert read_feedback_texts(path) == ["热水器漏水", "安装师傅很专业", "{not json"]


def test_labelled_feedback_is_read_strictly(tmp_path: Path) -> None:
    path = tmp_path / "labelled.jsonl"
    path.write_text('{"text": "好用", "label": 1}\n\n{"text": "漏水", "label": 0, "channel": "hotline"}\n',
                    encoding="utf-8")
    assert read_labelled_feedback(path) == [("好用", 1), ("漏水", 0)]
    path.write_text('{"text": "好用", "label": 1}\n好用,1\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: not JSON"):
        read_labelled_feedback(path)


def test_fast_score_equals_the_reference_computation() -> None:
    """``score`` fuses features and prior into one pass; it must agree with the spelled-out form."""
    model = SentimentModel.load()
    segmenter = Segmenter()
    texts = ["不太满意，一点也不好", "好得不得了！强烈推荐", "送了两个小时,饭都凉了,再也不点了?", "的了吗", "",
             "没有想象中那么好,但是价格便宜", "ok 还行 hhh 😊", "质量非常好，物超所值，物流也快"]
    for text in texts:
        tokens = segmenter.segment(text)
        assert abs(model.score(tokens) - model.reference_score(tokens)) < 1e-12, text


def test_adapting_needs_an_output_path_so_the_shipped_model_is_never_overwritten(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[1] / "scripts" / "train_sentiment.py"
    feedback = tmp_path / "feedback.txt"
    feedback.write_text("热水器漏水\n", encoding="utf-8")
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text('{"text": "好用", "label": 1}\n{"text": "漏水", "label": "bad"}\n', encoding="utf-8")
    out = ["--out", str(tmp_path / "m.json")]
    for args, message in (([str(feedback)], "--adapt needs --out"),
                          ([str(tmp_path / "nope.txt"), *out], "no such file"),
                          ([str(feedback), "--compare", str(labelled), *out], "labelled.jsonl: line 2:")):
        result = subprocess.run([sys.executable, str(script), "--adapt", *args], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 2 and message in result.stderr
    assert not (tmp_path / "m.json").exists()
