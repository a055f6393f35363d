"""snownlp's naive Bayes sentiment model, reduced to one weight per word.

snownlp's classifier multiplies per-class word probabilities; its log-odds is a
sum of per-word log ratios, so it can be stored as a plain dictionary and added
to our linear model as one more feature: the trained model starts from what
snownlp knows (it was trained on other shopping reviews) and learns how much to
trust it. Same arithmetic as ``snownlp.classification.bayes.Bayes.classify``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class NaiveBayesPrior:
    word_log_ratios: dict[str, float]
    unseen_log_ratio: float
    class_log_ratio: float
    stopwords: frozenset[str]

    @classmethod
    def from_snownlp(cls) -> NaiveBayesPrior:
        from snownlp import normal
        from snownlp.sentiment import classifier

        positive, negative = classifier.classifier.d["pos"], classifier.classifier.d["neg"]

        def log_ratio(word: str) -> float:
            return math.log(positive.d.get(word, positive.none) / positive.total) - math.log(
                negative.d.get(word, negative.none) / negative.total
            )

        words = set(positive.d) | set(negative.d)
        return cls(
            word_log_ratios={word: round(log_ratio(word), 4) for word in words},
            unseen_log_ratio=math.log(positive.none / positive.total) - math.log(negative.none / negative.total),
            class_log_ratio=math.log(positive.getsum()) - math.log(negative.getsum()),
            stopwords=frozenset(normal.stop),
        )

    def log_odds(self, tokens: Sequence[str]) -> float:
        """log P(pos|tokens) - log P(neg|tokens) as snownlp computes it (stopwords dropped)."""
        stopwords, ratios, unseen = self.stopwords, self.word_log_ratios, self.unseen_log_ratio
        return self.class_log_ratio + sum([ratios.get(t, unseen) for t in tokens if t not in stopwords])

    def to_dict(self) -> dict[str, object]:
        return {
            "word_log_ratios": self.word_log_ratios,
            "unseen_log_ratio": self.unseen_log_ratio,
            "class_log_ratio": self.class_log_ratio,
            "stopwords": sorted(self.stopwords),
        }

    @classmethod
    def from_dict(cls, data: dict) -> NaiveBayesPrior:
        return cls(
            word_log_ratios=data["word_log_ratios"],
            unseen_log_ratio=float(data["unseen_log_ratio"]),
            class_log_ratio=float(data["class_log_ratio"]),
            stopwords=frozenset(data["stopwords"]),
        )
