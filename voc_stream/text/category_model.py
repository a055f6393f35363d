"""A learned reading of the risk categories, beside the lexicon: recall where it has no words.

Word rules name only the phrasings someone wrote down. Scored blind, the lexicon finds
about three in five of the problems in phrasing sets written for new domains, and about
half of those real reviewers report (BENCHMARKS.md). One logistic regression per category,
over the same token features as the sentiment model and trained on the labelled phrasing
sets and labelled real reviews (``scripts/train_categories.py``), adds a category when it
is sure of it: P >= ``min_probability``. It never overrules the lexicon: a category whose
words the lexicon found and ruled out (negated, feared, asked, told as fixed, excluded) stays
out, and a text holding a notice or template phrase gets nothing from the model. So what a
user writes in lexicons.yaml still decides every text that uses its words.

The analyzer reads it through ``BatchScorer`` (batch_scoring.py): one dict lookup per feature,
shared with the sentiment model, and a few numpy calls per batch, not per text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from voc_stream.text.model_file import load_model_file

DEFAULT_MODEL = "categories.json"
OFF = "off"  # VOC_CATEGORY_MODEL=off: the lexicon alone


class CategoryModel:
    """Per category, a bias and weights on distinct features; ``weights`` maps a feature to (category, weight) pairs."""

    def __init__(
        self,
        names: list[str],
        biases: list[float],
        weights: dict[str, list[tuple[int, float]]],
        min_probability: float,
        meta: dict | None = None,
    ) -> None:
        if len(names) != len(biases):
            raise ValueError("one bias per category")
        if not 0.5 <= min_probability < 1.0:
            raise ValueError("min_probability must be in [0.5, 1)")
        self.names = list(names)
        self.biases = list(biases)
        self.weights = weights
        self.min_probability = min_probability
        self.meta = meta or {}
        # P >= min_probability  <=>  total / sqrt(n) + bias >= logit(min_probability)
        self._margin = math.log(min_probability / (1.0 - min_probability))
        # Feature -> row of a dense matrix, in the order of ``weights`` (``BatchScorer`` relies on it).
        self._row_of = {feature: row for row, feature in enumerate(weights)}
        self._matrix = np.zeros((len(weights), len(names)))
        for row, pairs in enumerate(weights.values()):
            for index, weight in pairs:
                self._matrix[row, index] = weight
        self._needed = np.array([self._margin - bias for bias in biases])

    @classmethod
    def load(cls, path: Path | None = None) -> CategoryModel:
        """The model at ``path``, or the one shipped with the package."""
        return load_model_file(path, DEFAULT_MODEL, "category model", "scripts/train_categories.py", cls.from_dict)

    @classmethod
    def from_dict(cls, data: dict) -> CategoryModel:
        names = [str(name) for name in data["categories"]]
        weights = {
            str(feature): [(int(index), float(weight)) for index, weight in pairs]
            for feature, pairs in data["weights"].items()
        }
        if any(not 0 <= index < len(names) for pairs in weights.values() for index, _ in pairs):
            raise ValueError("a weight names a category index out of range")
        return cls(names, [float(b) for b in data["biases"]], weights, float(data["min_probability"]),
                   data.get("meta", {}))

    def to_dict(self) -> dict:
        return {
            "meta": self.meta,
            "categories": self.names,
            "biases": [round(b, 5) for b in self.biases],
            "min_probability": self.min_probability,
            "weights": {feature: [[i, round(w, 4)] for i, w in pairs] for feature, pairs in self.weights.items()},
        }

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    def probabilities(self, features: set[str]) -> dict[str, float]:
        """P(category) for every category, from a text's distinct features (for reading the model)."""
        totals = self._totals([features])[0]
        scale = 1.0 / math.sqrt(len(features)) if features else 1.0
        return {name: 1.0 / (1.0 + math.exp(-(total * scale + bias)))
                for name, total, bias in zip(self.names, totals.tolist(), self.biases)}

    def categories(self, features: set[str]) -> list[str]:
        """Categories read at P >= ``min_probability``."""
        return self.categories_many([features])[0]

    def categories_many(self, feature_sets: Sequence[set[str]]) -> list[list[str]]:
        """``categories`` for a batch of texts' feature sets, in one pass."""
        counts = np.fromiter(map(len, feature_sets), np.intp, len(feature_sets))
        return self.decide(self._totals(feature_sets), counts)

    def decide(self, totals: np.ndarray, counts: np.ndarray) -> list[list[str]]:
        """Per text, the categories whose summed weights (``totals``, one row a text) reach the threshold."""
        results: list[list[str]] = [[] for _ in range(len(totals))]
        passed = totals >= self._needed * np.sqrt(np.maximum(counts, 1))[:, None]
        names = self.names
        for text, index in zip(*map(np.ndarray.tolist, np.nonzero(passed))):
            results[text].append(names[index])
        return results

    def sums(self, rows: np.ndarray, texts: np.ndarray, count: int) -> np.ndarray:
        """Per text and category, the summed weights of ``rows`` (row numbers in ``weights`` order).

        ``texts`` says which of ``count`` texts each row belongs to; only the rows of features the
        model knows are given, so a batch costs one gather and one ``bincount`` per category.
        """
        gathered = self._matrix[rows]
        return np.stack([np.bincount(texts, weights=gathered[:, c], minlength=count)
                         for c in range(len(self.names))], axis=1)

    def _totals(self, feature_sets: Sequence[set[str]]) -> np.ndarray:
        rows: list[int] = []
        texts: list[int] = []
        get = self._row_of.get
        for text, features in enumerate(feature_sets):
            known = [row for row in map(get, features) if row is not None]
            rows += known
            texts += [text] * len(known)
        return self.sums(np.array(rows, np.intp), np.array(texts, np.intp), len(feature_sets))
