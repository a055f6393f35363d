"""Sentiment scoring: a linear model over token features, stored as JSON.

A dictionary of feature weights is all the model is, so scoring is a handful of
dict lookups per text: no numpy call per text, no framework. The feature sum is
divided by the square root of the number of distinct features, so a long review
is not more confident than a short one merely for being long. snownlp's Bayes
log-odds enters as one more feature (see ``prior.py``). The weights are trained
by ``scripts/train_sentiment.py`` on labelled customer reviews.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from itertools import repeat
from pathlib import Path

from voc_stream.text.features import feature_set, sentiment_features
from voc_stream.text.model_file import load_model_file
from voc_stream.text.prior import NaiveBayesPrior

DEFAULT_MODEL = "sentiment.json"


class SentimentModel:
    """Logistic regression on presence of features (plus an optional Bayes prior); ``score`` is P(positive)."""

    def __init__(
        self,
        weights: dict[str, float],
        bias: float,
        meta: dict | None = None,
        *,
        length_norm: bool = False,
        prior: NaiveBayesPrior | None = None,
        prior_weight: float = 0.0,
    ) -> None:
        self.weights = weights
        self.bias = bias
        self.meta = meta or {}
        self.length_norm = length_norm
        self.prior = prior
        self.prior_weight = prior_weight
        # snownlp skips stopwords; a ratio of 0 for them does the same in one lookup per token.
        self._prior_ratios = {**prior.word_log_ratios, **dict.fromkeys(prior.stopwords, 0.0)} if prior else {}

    @classmethod
    def load(cls, path: Path | None = None) -> SentimentModel:
        """The model at ``path``, or the one shipped with the package."""
        return load_model_file(path, DEFAULT_MODEL, "sentiment model", "scripts/train_sentiment.py", cls.from_dict)

    @classmethod
    def from_dict(cls, data: dict) -> SentimentModel:
        prior = NaiveBayesPrior.from_dict(data["prior"]) if data.get("prior") else None
        weights = data["weights"]
        if not isinstance(weights, dict):
            raise TypeError("weights must be an object of feature: weight")
        return cls(
            weights,
            float(data["bias"]),
            data.get("meta", {}),
            length_norm=bool(data.get("length_norm", False)),
            prior=prior,
            prior_weight=float(data.get("prior_weight", 0.0)),
        )

    def save(self, path: Path) -> None:
        payload = {
            "meta": self.meta,
            "bias": round(self.bias, 5),
            "length_norm": self.length_norm,
            "prior_weight": round(self.prior_weight, 5),
            "prior": self.prior.to_dict() if self.prior else None,
            "weights": self.weights,
        }
        Path(path).write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    def score(self, tokens: Sequence[str]) -> float:
        """P(positive) from the tokens of one text (punctuation included: it closes clauses)."""
        distinct = feature_set(tokens)
        return self.probability(sum(map(self.weights.get, distinct, repeat(0.0))), len(distinct), tokens)

    def probability(self, weight_sum: float, distinct_count: int, tokens: Sequence[str]) -> float:
        """P(positive) from the sum of a text's feature weights (``BatchScorer`` sums a batch's at once).

        The same prior as ``NaiveBayesPrior.log_odds``, computed inline: this runs once per event.
        """
        total = weight_sum
        if self.length_norm and distinct_count:
            total /= math.sqrt(distinct_count)
        if self.prior is not None:
            log_odds = self.prior.class_log_ratio + sum(
                map(self._prior_ratios.get, tokens, repeat(self.prior.unseen_log_ratio))
            )
            total += self.prior_weight * prior_feature(log_odds)
        return _sigmoid(self.bias + total)

    def reference_score(self, tokens: Sequence[str]) -> float:
        """``score`` spelled out with ``sentiment_features`` and ``log_odds``: what training assumes."""
        get = self.weights.get
        features = set(sentiment_features(tokens))
        total = sum([get(feature, 0.0) for feature in features])
        if self.length_norm and features:
            total /= math.sqrt(len(features))
        if self.prior is not None:
            total += self.prior_weight * prior_feature(self.prior.log_odds(tokens))
        return _sigmoid(self.bias + total)

    def score_many(self, token_lists: Iterable[Sequence[str]]) -> list[float]:
        return [self.score(tokens) for tokens in token_lists]


PRIOR_CLIP = 30.0
PRIOR_SCALE = 0.1


def prior_feature(log_odds: float) -> float:
    """The Bayes log-odds, clipped and scaled into the range of the other features."""
    return max(-PRIOR_CLIP, min(PRIOR_CLIP, log_odds)) * PRIOR_SCALE


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)
