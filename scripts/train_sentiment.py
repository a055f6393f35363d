"""Retrain the shipped sentiment model (voc_stream/data/sentiment.json).

Reads the labelled review sets from ../shared/datasets/chinese (never copied into
the repository), segments them exactly as the analyzer does, fits a logistic
regression on unigram, bigram and negation-scope features plus snownlp's Bayes
log-odds (see voc_stream/text/prior.py), and writes the weights as JSON.

    python scripts/train_sentiment.py [--shared ../shared] [--out voc_stream/data/sentiment.json]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from voc_stream.text.prior import NaiveBayesPrior
from voc_stream.text.segment import Segmenter
from voc_stream.text.training import accuracy, fit_logistic, load_reviews, segments_for

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--config", type=Path, default=REPO / "config")
    parser.add_argument("--out", type=Path, default=REPO / "voc_stream" / "data" / "sentiment.json")
    parser.add_argument("--l2", type=float, default=0.3, help="L2 regularisation strength")
    parser.add_argument("--no-prior", action="store_true", help="leave snownlp's Bayes log-odds out")
    parser.add_argument("--min-count", type=int, default=2, help="drop features seen in fewer documents")
    parser.add_argument("--prune", type=float, default=0.02, help="drop weights smaller than this")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    reviews = load_reviews(args.shared)
    print(f"loaded {len(reviews)} reviews from {args.shared}", flush=True)
    segmenter = Segmenter.from_userdict(args.config / "userdict.txt")
    documents = []
    for index, review in enumerate(reviews, start=1):
        documents.append(segments_for(segmenter, review.text))
        if index % 20000 == 0:
            print(f"segmented {index}/{len(reviews)}", flush=True)
    labels = [review.label for review in reviews]
    print("fitting", flush=True)
    prior = None if args.no_prior else NaiveBayesPrior.from_snownlp()
    model = fit_logistic(documents, labels, l2=args.l2, min_count=args.min_count, prune_below=args.prune,
                         prior=prior, log=lambda m: print(m, flush=True))
    training_accuracy = accuracy(model.score_many(documents), labels)
    model.meta = {
        "trained_on": ["waimai_10k", "online_shopping_9_cats"],
        "documents": len(documents),
        "features": len(model.weights),
        "l2": args.l2,
        "length_norm": model.length_norm,
        "snownlp_prior": prior is not None,
        "min_count": args.min_count,
        "training_accuracy": round(training_accuracy, 4),
    }
    model.save(args.out)
    size_kb = args.out.stat().st_size / 1024
    print(f"wrote {args.out} ({len(model.weights)} weights, {size_kb:.0f} KiB), "
          f"training accuracy {training_accuracy:.4f}, {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
