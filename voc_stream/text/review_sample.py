"""The labelled samples of real reviews: how well a lexicon reads real customer text.

The labelled phrasing sets (tests/data/lexicon_phrasings*.yaml) were written for the lexicon;
real reviews were not. ``tests/data/real_review_labels*.yaml`` label stratified samples of the
shared review corpora by hand and keep only the labels: the texts are read from
``../shared/datasets/chinese`` by file, row and SHA-1, never copied. Each file is one sample (a
batch); each entry stands for ``stratum size / sample size`` reviews of its batch, so the weighted
counts estimate the whole population, and batches can be pooled.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from voc_stream.text.training import DATASETS


@dataclass(frozen=True, slots=True)
class LabelledReview:
    text: str
    batch: str
    stratum: str
    half: str  # "dev" (read while tuning) or "held_out" (not read when its batch was first scored)
    categories: frozenset[str]
    second: frozenset[str] | None  # another annotator's labels, where there are some
    weight: float  # how many reviews of the population this one stands for


@dataclass(frozen=True, slots=True)
class SampleScore:
    precision: float
    recall: float
    reviews: int


def load_review_sample(labels_path: Path, shared_dir: Path) -> list[LabelledReview]:
    """The labelled reviews with their texts; a text that no longer hashes as labelled is an error."""
    spec = yaml.safe_load(Path(labels_path).read_text(encoding="utf-8"))
    entries = spec["reviews"]
    drawn = Counter(entry["stratum"] for entry in entries)
    rows_by_file: dict[str, dict[int, str]] = {}
    for name in {entry["file"] for entry in entries}:
        wanted = {entry["row"] for entry in entries if entry["file"] == name}
        with open(Path(shared_dir) / DATASETS / name, encoding="utf-8", newline="") as handle:
            rows_by_file[name] = {i: row["review"] for i, row in enumerate(csv.DictReader(handle)) if i in wanted}
    sample = []
    for entry in entries:
        text = rows_by_file[entry["file"]].get(entry["row"])
        if text is None or hashlib.sha1(text.encode("utf-8")).hexdigest()[:10] != entry["sha1"]:
            raise ValueError(f"{entry['file']} row {entry['row']}: text differs from the one labelled")
        second = entry.get("second")
        sample.append(LabelledReview(
            text=text, batch=spec.get("batch", Path(labels_path).stem), stratum=entry["stratum"], half=entry["half"],
            categories=frozenset(entry["categories"]),
            second=frozenset(second) if second is not None else None,
            weight=spec["strata"][entry["stratum"]] / drawn[entry["stratum"]],
        ))
    return sample


def score_sample(match: Callable[[str], Iterable[str]], sample: list[LabelledReview]) -> SampleScore:
    """Weighted precision and recall over (review, category) pairs."""
    precision, recall = _precision_recall((review, set(match(review.text))) for review in sample)
    return SampleScore(precision, recall, len(sample))


def bootstrap_interval(
    match: Callable[[str], Iterable[str]], sample: list[LabelledReview], rounds: int = 1000, seed: int = 1
) -> tuple[tuple[float, float], tuple[float, float]]:
    """95% intervals of precision and recall, resampling each stratum of each batch on its own."""
    found = [(review, set(match(review.text))) for review in sample]
    strata: dict[tuple[str, str], list[tuple[LabelledReview, set[str]]]] = {}
    for pair in found:
        strata.setdefault((pair[0].batch, pair[0].stratum), []).append(pair)
    rng = random.Random(seed)
    precisions, recalls = [], []
    for _ in range(rounds):
        drawn = [pair for members in strata.values() for pair in rng.choices(members, k=len(members))]
        precision, recall = _precision_recall(drawn)
        precisions.append(precision)
        recalls.append(recall)
    precisions.sort()
    recalls.sort()
    low, high = int(0.025 * rounds), int(0.975 * rounds) - 1
    return (precisions[low], precisions[high]), (recalls[low], recalls[high])


def _precision_recall(found: Iterable[tuple[LabelledReview, set[str]]]) -> tuple[float, float]:
    true_pos = false_pos = false_neg = 0.0
    for review, got in found:
        true_pos += review.weight * len(got & review.categories)
        false_pos += review.weight * len(got - review.categories)
        false_neg += review.weight * len(review.categories - got)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 0.0
    return precision, recall


def agreement(sample: list[LabelledReview]) -> tuple[int, int, float]:
    """(entries with a second opinion, of which identical, F1 of the pairs between annotators)."""
    doubled = [review for review in sample if review.second is not None]
    same = sum(review.second == review.categories for review in doubled)
    both = sum(len(review.second & review.categories) for review in doubled)
    either = sum(len(review.second) + len(review.categories) for review in doubled)
    return len(doubled), same, (2 * both / either if either else 1.0)
