"""Training the category model on labelled texts (offline only; needs scipy, the ``train`` extra).

Two kinds of labelled text teach it: the phrasing sets written for the lexicon
(tests/data/lexicon_phrasings*.yaml, a third of them reporting nothing with the same
words), and hand-labelled real reviews (tests/data/real_review_labels*.yaml, labels
only, texts read from ../shared). The real reviews are few but are the text the model
will read, so each counts ``REAL_WEIGHT`` times.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import yaml

from voc_stream.text.category_model import CategoryModel
from voc_stream.text.features import feature_set
from voc_stream.text.review_sample import load_review_sample
from voc_stream.text.training import _newton_cg

# Chosen by cross-validation on the 700 labelled real reviews and on blind phrasing sets
# (benchmarks/text_lexicon.py, "Learned categories"): the lexicon's precision kept, recall up.
L2 = 1.0
REAL_WEIGHT = 3.0
MIN_PROBABILITY = 0.8
MIN_COUNT = 2
PRUNE_BELOW = 0.1  # 0.03-0.1 change 1-6 of 515 decisions on 5,000 real reviews; a third of the weights at 0.1


def load_phrasings(paths: Sequence[Path]) -> list[tuple[str, frozenset[str]]]:
    """``(text, categories)`` from labelled phrasing sets."""
    examples = []
    for path in paths:
        for item in yaml.safe_load(Path(path).read_text(encoding="utf-8")):
            examples.append((item["text"], frozenset(item["categories"])))
    return examples


def load_real_reviews(paths: Sequence[Path], shared_dir: Path) -> list[tuple[str, frozenset[str]]]:
    """``(text, categories)`` of the labelled real reviews; texts read from ``shared_dir``."""
    return [(review.text, review.categories) for path in paths for review in load_review_sample(path, shared_dir)]


def fit_category_model(
    documents: Sequence[Sequence[str]],
    label_sets: Sequence[frozenset[str]],
    names: Sequence[str],
    sample_weight: Sequence[float] | None = None,
    *,
    l2: float = L2,
    min_count: int = MIN_COUNT,
    prune_below: float = PRUNE_BELOW,
    min_probability: float = MIN_PROBABILITY,
    log: Callable[[str], None] = lambda message: None,
) -> CategoryModel:
    """One L2 logistic regression per category on distinct-feature presence, rows scaled by 1/sqrt(features).

    Each category's positives and negatives weigh the same in total (a category is in a few
    percent of the texts), times ``sample_weight``.
    """
    from scipy.sparse import csr_matrix

    feature_sets = [feature_set(tokens) for tokens in documents]
    counts = Counter(feature for features in feature_sets for feature in features)
    # Sorted, so the written model does not depend on string hashing (PYTHONHASHSEED).
    vocabulary = {feature: i for i, feature in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    rows, cols, values = [], [], []
    for row, features in enumerate(feature_sets):
        value = 1.0 / math.sqrt(len(features)) if features else 1.0
        for feature in features:
            column = vocabulary.get(feature)
            if column is not None:
                rows.append(row)
                cols.append(column)
                values.append(value)
    matrix = csr_matrix((np.array(values), (np.array(rows), np.array(cols))),
                        shape=(len(feature_sets), len(vocabulary)))
    base_weight = np.ones(len(feature_sets)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    log(f"  {matrix.shape[0]} texts, {matrix.shape[1]} features")
    biases: list[float] = []
    weights: dict[str, list[tuple[int, float]]] = {}
    features_by_column = list(vocabulary)
    for index, name in enumerate(names):
        y = np.array([1.0 if name in labels else 0.0 for labels in label_sets])
        positive = float((base_weight * y).sum())
        if positive == 0.0:
            raise ValueError(f"no labelled example of {name}")
        negative = float((base_weight * (1.0 - y)).sum())
        total = positive + negative
        balanced = base_weight * np.where(y == 1.0, total / (2 * positive), total / (2 * negative))
        params, iterations, _ = _newton_cg(matrix, y, balanced, l2)
        biases.append(float(params[-1]))
        kept = 0
        for column in np.flatnonzero(np.abs(params[:-1]) >= prune_below):
            weights.setdefault(features_by_column[column], []).append((index, float(params[column])))
            kept += 1
        log(f"  {name}: {int(y.sum())} positive texts, {iterations} Newton steps, {kept} weights kept")
    return CategoryModel(list(names), biases, weights, min_probability)
