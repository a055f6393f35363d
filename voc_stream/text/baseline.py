"""snownlp's sentiment model fed with our jieba tokens: the baseline to beat.

``SnowNLP(text).sentiments`` re-segments every text with snownlp's own slow
segmenter; its naive Bayes model only needs words, so we hand it ours. Used by
the benchmarks to compare like with like.
"""

from __future__ import annotations

from collections.abc import Sequence


class SnowNLPBaseline:
    """P(positive) from snownlp's shipped Bayes model."""

    def __init__(self) -> None:
        from snownlp import normal
        from snownlp.sentiment import classifier

        self._classifier = classifier.classifier
        self._filter_stop = normal.filter_stop

    def score(self, tokens: Sequence[str]) -> float:
        label, probability = self._classifier.classify(self._filter_stop(list(tokens)))
        return probability if label == "pos" else 1.0 - probability

    @staticmethod
    def score_text_natively(text: str) -> float:
        """snownlp end to end, with its own segmenter (slow; for comparison only)."""
        from snownlp import SnowNLP

        return float(SnowNLP(text).sentiments)
