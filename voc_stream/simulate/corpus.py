"""Real review texts from the shared corpora, read at run time and never copied into the project.

``waimai_10k.csv`` (food delivery) feeds the dining line, ``online_shopping_9_cats.csv``
(nine product categories) the retail line, with the product taken from the
review's category so text and product agree.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

WAIMAI = Path("datasets/chinese/waimai_10k.csv")
SHOPPING = Path("datasets/chinese/online_shopping_9_cats.csv")

#: Corpus category -> product name used in events.
SHOPPING_PRODUCTS = {
    "书籍": "图书", "平板": "平板", "手机": "手机", "水果": "水果", "洗发水": "洗发水",
    "热水器": "热水器", "蒙牛": "牛奶", "衣服": "服装", "计算机": "笔记本电脑",
}
MAX_CHARS = 240


@dataclass
class Corpus:
    """Reviews by line of business and polarity: ``texts[vertical][positive]`` is a list of (product, text)."""

    texts: dict[str, dict[bool, list[tuple[str | None, str]]]] = field(default_factory=dict)

    def has(self, vertical: str, positive: bool) -> bool:
        return bool(self.texts.get(vertical, {}).get(positive))

    @property
    def size(self) -> int:
        return sum(len(items) for by_label in self.texts.values() for items in by_label.values())


def load_corpus(shared_dir: Path | None, banned: tuple[str, ...] = ()) -> Corpus:
    """Read both corpora under ``shared_dir``; missing files give an empty corpus.

    Reviews containing a ``banned`` phrase (the emerging-term candidates) are left
    out, so a new term really is new.
    """
    corpus = Corpus()
    if shared_dir is None:
        return corpus
    waimai = Path(shared_dir) / WAIMAI
    if waimai.is_file():
        corpus.texts["dining"] = _read(waimai, lambda row: (None, row["review"], row["label"]), banned)
    shopping = Path(shared_dir) / SHOPPING
    if shopping.is_file():
        corpus.texts["retail"] = _read(
            shopping, lambda row: (SHOPPING_PRODUCTS.get(row["cat"]), row["review"], row["label"]), banned
        )
    return corpus


def _read(path: Path, pick, banned: tuple[str, ...]) -> dict[bool, list[tuple[str | None, str]]]:
    by_label: dict[bool, list[tuple[str | None, str]]] = {True: [], False: []}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            product, text, label = pick(row)
            text = (text or "").strip()
            if not text or len(text) > MAX_CHARS or label not in ("0", "1"):
                continue
            if any(term in text for term in banned):
                continue
            by_label[label == "1"].append((product, text))
    return by_label
