"""Sentiment scoring: a linear model over token features, stored as JSON.

A dictionary of feature weights is all the model is, so scoring is a handful of
dict lookups per text: no numpy call per text, no framework. The weights are
trained by ``scripts/train_sentiment.py`` on labelled customer reviews.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from voc_stream.text.features import sentiment_features

DEFAULT_MODEL = "sentiment.json"


class SentimentModel:
    """Logistic regression on presence of features; ``score`` is P(positive)."""

    def __init__(self, weights: dict[str, float], bias: float, meta: dict | None = None) -> None:
        self.weights = weights
        self.bias = bias
        self.meta = meta or {}

    @classmethod
    def load(cls, path: Path | None = None) -> SentimentModel:
        """The model at ``path``, or the one shipped with the package."""
        if path is None:
            raw = resources.files("voc_stream").joinpath("data", DEFAULT_MODEL).read_text(encoding="utf-8")
        else:
            raw = Path(path).read_text(encoding="utf-8")
        data = json.loads(raw)
        return cls(data["weights"], float(data["bias"]), data.get("meta", {}))

    def save(self, path: Path) -> None:
        payload = {"meta": self.meta, "bias": round(self.bias, 5), "weights": self.weights}
        Path(path).write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    def score(self, tokens: Sequence[str]) -> float:
        get = self.weights.get
        return _sigmoid(self.bias + sum([get(feature, 0.0) for feature in set(sentiment_features(tokens))]))

    def score_many(self, token_lists: Iterable[Sequence[str]]) -> list[float]:
        return [self.score(tokens) for tokens in token_lists]


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)
