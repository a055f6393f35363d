"""Retrain the shipped category model (voc_stream/data/categories.json).

Reads the labelled phrasing sets (tests/data/lexicon_phrasings*.yaml) and the hand-labelled
real reviews (tests/data/real_review_labels*.yaml: labels only, texts read from
../shared/datasets/chinese, never copied), segments them exactly as the analyzer does and
fits one logistic regression per category of config/lexicons.yaml (see
voc_stream/text/category_model.py for how the analyzer uses it).

    python scripts/train_categories.py [--shared ../shared] [--out voc_stream/data/categories.json]

With your own labelled feedback (JSON lines {"text": ..., "categories": [...]}, category
names as in your lexicons.yaml), pass --extra FILE and write the model elsewhere; the worker,
backtest and analyze use it when VOC_CATEGORY_MODEL names it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from voc_stream.text.category_training import (
    L2,
    MIN_PROBABILITY,
    REAL_WEIGHT,
    fit_category_model,
    load_phrasings,
    load_real_reviews,
)
from voc_stream.text.lexicon import load_lexicon
from voc_stream.text.segment import Segmenter
from voc_stream.text.training import read_json_lines, segments_for

REPO = Path(__file__).resolve().parents[1]
SHIPPED_MODEL = REPO / "voc_stream" / "data" / "categories.json"
DATA = REPO / "tests" / "data"


def read_extra(path: Path, names: set[str]) -> list[tuple[str, frozenset[str]]]:
    """Your labelled feedback; a line that is not such an object, or names an unknown category, is an error."""
    examples = []
    for number, item in read_json_lines(path):
        if not (isinstance(item, dict) and isinstance(item.get("text"), str) and isinstance(item.get("categories"), list)):
            raise ValueError(f'{path}: line {number}: want {{"text": "...", "categories": [...]}}')
        unknown = set(item["categories"]) - names
        if unknown:
            raise ValueError(f"{path}: line {number}: not a category of the lexicon: {', '.join(sorted(unknown))}")
        examples.append((item["text"], frozenset(item["categories"])))
    return examples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--config", type=Path, default=REPO / "config")
    parser.add_argument("--out", type=Path, help="where to write the model (default: the shipped model's file)")
    parser.add_argument("--l2", type=float, default=L2, help="L2 regularisation strength")
    parser.add_argument("--real-weight", type=float, default=REAL_WEIGHT, help="weight of a labelled real review")
    parser.add_argument("--min-probability", type=float, default=MIN_PROBABILITY,
                        help="the analyzer adds a category at this probability or more")
    parser.add_argument("--extra", type=Path, action="append", default=[], metavar="FILE",
                        help='your labelled feedback, JSON lines {"text": ..., "categories": [...]}; repeatable; '
                             "weighted like the real reviews")
    args = parser.parse_args(argv)
    if not 0.5 <= args.min_probability < 1.0:
        parser.error("--min-probability must be at least 0.5 and below 1")
    if args.extra and args.out is None:
        parser.error("--extra needs --out: the shipped model stays the one trained on the project's labels")
    args.out = args.out or SHIPPED_MODEL

    started = time.perf_counter()
    lexicon = load_lexicon(args.config / "lexicons.yaml")
    names = [category.name for category in lexicon.categories]
    try:
        extra = [example for path in args.extra for example in read_extra(path, set(names))]
    except (OSError, ValueError) as exc:
        parser.error(f"--extra: {exc}")
    if not (args.shared / "datasets" / "chinese").is_dir():
        parser.error(f"{args.shared}/datasets/chinese not found (the labelled real reviews' texts); pass --shared")
    phrasings = load_phrasings(sorted(DATA.glob("lexicon_phrasings*.yaml")))
    real = load_real_reviews(sorted(DATA.glob("real_review_labels*.yaml")), args.shared) + extra
    print(f"{len(phrasings)} labelled phrasings, {len(real)} labelled real texts ({len(extra)} of yours)", flush=True)
    segmenter = Segmenter.from_userdict(args.config / "userdict.txt")
    texts = [text for text, _ in phrasings + real]
    labels = [categories for _, categories in phrasings + real]
    weights = [1.0] * len(phrasings) + [args.real_weight] * len(real)
    documents = [segments_for(segmenter, text) for text in texts]
    present = [name for name in names if any(name in categories for categories in labels)]
    for name in sorted(set(names) - set(present)):
        print(f"  {name}: no labelled example, the model leaves it to the lexicon", flush=True)
    model = fit_category_model(documents, labels, present, weights, l2=args.l2,
                               min_probability=args.min_probability, log=lambda m: print(m, flush=True))
    model.meta = {
        "trained_on": {"phrasings": len(phrasings), "real_reviews": len(real) - len(extra), "extra": len(extra)},
        "l2": args.l2, "real_weight": args.real_weight,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size / 1e6:.1f} MB, {len(model.weights)} features) in {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
