"""Sentiment and learned categories of a batch of texts, from one dictionary lookup per feature.

Both models read the same features (``feature_set``). Looked up apart, the category model's
own pass over a second dictionary, cold between texts, cost about as much as the sentiment
beside it (15-20% of the pipeline in side-by-side runs). Here each feature is looked up once,
in one index over both vocabularies, and a batch's weights are summed with numpy: a gather
and a segmented sum per chunk of texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat

import numpy as np

from voc_stream.text.category_model import CategoryModel
from voc_stream.text.sentiment import SentimentModel

CHUNK = 256  # texts summed at once: the rows a chunk gathers stay in cache


class BatchScorer:
    """``score`` gives each text's P(positive) and, for texts below a sentiment, the categories the model reads."""

    def __init__(self, sentiment: SentimentModel, categories: CategoryModel | None = None) -> None:
        self.sentiment = sentiment
        self.categories = categories
        # The category model's features first, numbered as the model numbers them: its matrix holds
        # only their rows (a sixth of the vocabulary, so the rows a batch gathers stay in cache).
        category_features = list(categories.weights) if categories else []
        vocabulary = list(dict.fromkeys([*category_features, *sentiment.weights]))
        self._index = {feature: row for row, feature in enumerate(vocabulary)}
        self._zero = len(vocabulary)  # the row of a feature neither model knows
        self._sentiment_weights = np.array([*map(sentiment.weights.get, vocabulary, repeat(0.0)), 0.0])
        self._category_zero = len(category_features)

    def score(
        self, feature_sets: Sequence[set[str]], token_lists: Sequence[Sequence[str]], categories_below: float
    ) -> tuple[list[float], list[list[str]]]:
        """P(positive) of every text; the model's categories of those read below ``categories_below``."""
        sentiments: list[float] = []
        proposals: list[list[str]] = [[] for _ in feature_sets]
        get, zero, probability = self._index.get, self._zero, self.sentiment.probability
        for first in range(0, len(feature_sets), CHUNK):
            chunk = feature_sets[first:first + CHUNK]
            rows: list[int] = []
            starts: list[int] = []
            for features in chunk:
                starts.append(len(rows))
                rows.append(zero)  # every text has a row: no empty segment for reduceat
                rows.extend(map(get, features, repeat(zero)))
            index = np.fromiter(rows, np.intp, len(rows))
            sums = np.add.reduceat(self._sentiment_weights[index], starts).tolist()
            scored = [probability(total, len(features), tokens)
                      for total, features, tokens in zip(sums, chunk, token_lists[first:first + CHUNK])]
            sentiments += scored
            if self.categories is None:
                continue
            below = np.fromiter((value < categories_below for value in scored), bool, len(scored))
            if below.any():
                totals = self._category_totals(index, starts, below)
                counts = np.fromiter(map(len, chunk), np.intp, len(chunk))[below]
                for i, names in zip(np.flatnonzero(below).tolist(), self.categories.decide(totals, counts)):
                    proposals[first + i] = names
        return sentiments, proposals

    def _category_totals(self, index: np.ndarray, starts: list[int], below: np.ndarray) -> np.ndarray:
        """Per text marked in ``below``, its summed category weights (``CategoryModel.sums``).

        The category model's features come first in the index, so its rows are those below
        ``_category_zero``, numbered as in the model; only they, of the marked texts, are gathered.
        """
        lengths = np.diff(np.asarray(starts), append=len(index))
        text_of_row = np.repeat(np.arange(len(starts)), lengths)
        keep = (index < self._category_zero) & below[text_of_row]
        slot = np.cumsum(below) - 1  # a marked text's position among the marked
        return self.categories.sums(index[keep], slot[text_of_row[keep]], int(below.sum()))
