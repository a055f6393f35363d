"""The shipped sentiment model, its features, and the training code on real reviews."""

from __future__ import annotations

import math
import random
from pathlib import Path

from voc_stream.text import SentimentModel
from voc_stream.text.baseline import SnowNLPBaseline
from voc_stream.text.features import NEGATED, sentiment_features
from voc_stream.text.prior import NaiveBayesPrior
from voc_stream.text.segment import Segmenter
from voc_stream.text.training import accuracy, fit_logistic, load_reviews, segments_for

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


def test_training_on_one_domain_generalises_to_another(shared_dir: Path) -> None:
    """Clothing reviews in, fruit reviews out: far above chance alone, better than snownlp with its prior."""
    reviews = load_reviews(shared_dir)
    rng = random.Random(7)
    train = rng.sample([r for r in reviews if r.domain == "衣服"], 3000)
    test = rng.sample([r for r in reviews if r.domain == "水果"], 1000)
    segmenter = Segmenter()
    train_documents = [segments_for(segmenter, r.text) for r in train]
    test_documents = [segments_for(segmenter, r.text) for r in test]
    test_labels = [r.label for r in test]
    alone = fit_logistic(train_documents, [r.label for r in train])
    with_prior = fit_logistic(train_documents, [r.label for r in train], prior=NaiveBayesPrior.from_snownlp())
    baseline = SnowNLPBaseline()
    snownlp_accuracy = accuracy([baseline.score(d) for d in test_documents], test_labels)
    assert accuracy(alone.score_many(test_documents), test_labels) > 0.75
    assert accuracy(with_prior.score_many(test_documents), test_labels) > snownlp_accuracy + 0.01
    assert with_prior.prior_weight > 0


def test_fast_score_equals_the_reference_computation() -> None:
    """``score`` fuses features and prior into one pass; it must agree with the spelled-out form."""
    model = SentimentModel.load()
    segmenter = Segmenter()
    texts = ["不太满意，一点也不好", "好得不得了！强烈推荐", "送了两个小时,饭都凉了,再也不点了?", "的了吗", "",
             "没有想象中那么好,但是价格便宜", "ok 还行 hhh 😊", "质量非常好，物超所值，物流也快"]
    for text in texts:
        tokens = segmenter.segment(text)
        assert abs(model.score(tokens) - model.reference_score(tokens)) < 1e-12, text
