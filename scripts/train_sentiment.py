"""Retrain the shipped sentiment model (voc_stream/data/sentiment.json).

Reads the labelled review sets from ../shared/datasets/chinese (never copied into
the repository), segments them exactly as the analyzer does, fits a logistic
regression on unigram, bigram and negation-scope features (each scaled by its
naive-Bayes log-count ratio) plus snownlp's Bayes log-odds (see
voc_stream/text/prior.py), and writes the weights as JSON.

    python scripts/train_sentiment.py [--shared ../shared] [--out voc_stream/data/sentiment.json]

To adapt the model to your own feedback, which has no labels, pass it with
--adapt (text lines or event JSONL, as `voc-stream analyze` reads) and write the
model elsewhere; the worker and `analyze` use it when VOC_SENTIMENT_MODEL names it:

    python scripts/train_sentiment.py --adapt feedback.jsonl --compare labelled.jsonl \
        --out models/sentiment-adapted.json
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from voc_stream.text.prior import NaiveBayesPrior
from voc_stream.text.segment import Segmenter
from voc_stream.text.training import (
    SELF_TRAINING_CONFIDENCE,
    SELF_TRAINING_ROUNDS,
    accuracy,
    fit_logistic,
    load_reviews,
    read_feedback_texts,
    read_labelled_feedback,
    segments_for,
    self_train,
)

REPO = Path(__file__).resolve().parents[1]
SHIPPED_MODEL = REPO / "voc_stream" / "data" / "sentiment.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--config", type=Path, default=REPO / "config")
    parser.add_argument("--out", type=Path, help="where to write the model (default: the shipped model's file)")
    parser.add_argument("--l2", type=float, default=1.0, help="L2 regularisation strength")
    parser.add_argument("--no-prior", action="store_true", help="leave snownlp's Bayes log-odds out")
    parser.add_argument("--min-count", type=int, default=2, help="drop features seen in fewer documents")
    parser.add_argument("--prune", type=float, default=0.02, help="drop weights smaller than this")
    parser.add_argument("--adapt", type=Path, action="append", default=[], metavar="FILE",
                        help="unlabelled feedback of your domain (text lines or event JSONL); repeatable")
    parser.add_argument("--confidence", type=float, default=SELF_TRAINING_CONFIDENCE,
                        help="with --adapt: take texts read at least this surely (0.5-1)")
    parser.add_argument("--rounds", type=int, default=SELF_TRAINING_ROUNDS, help="with --adapt: self-training rounds")
    parser.add_argument("--compare", type=Path, metavar="FILE",
                        help='a few hundred of your texts you labelled, JSON lines {"text": ..., "label": 1 or 0}: '
                             "prints the accuracy of the model before and after --adapt on them")
    args = parser.parse_args(argv)
    if not 0.5 < args.confidence < 1.0:
        parser.error("--confidence must be between 0.5 and 1")
    for path in [*args.adapt, *([args.compare] if args.compare else [])]:
        if not path.is_file():
            parser.error(f"no such file: {path}")
    try:
        compare = read_labelled_feedback(args.compare) if args.compare else []
    except ValueError as exc:
        parser.error(f"--compare: {exc}")
    if args.adapt and args.out is None:
        parser.error("--adapt needs --out: the shipped model stays the one trained on labelled reviews only")
    args.out = args.out or SHIPPED_MODEL

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
    unlabelled = [segments_for(segmenter, text) for path in args.adapt for text in read_feedback_texts(path)]
    if args.adapt:
        print(f"read {len(unlabelled)} unlabelled texts to adapt to", flush=True)
    print("fitting", flush=True)
    prior = None if args.no_prior else NaiveBayesPrior.from_snownlp()
    options = {"l2": args.l2, "min_count": args.min_count, "prune_below": args.prune, "prior": prior,
               "log": lambda m: print(m, flush=True)}
    model = fit_logistic(documents, labels, **options)
    compare_documents = [segments_for(segmenter, text) for text, _ in compare]
    compare_labels = [label for _, label in compare]
    if compare:
        print(f"accuracy on {args.compare.name} ({len(compare)} texts): "
              f"{accuracy(model.score_many(compare_documents), compare_labels):.3f} before adapting", flush=True)
    if unlabelled:
        model = self_train(documents, labels, unlabelled, confidence=args.confidence, rounds=args.rounds,
                           model=model, **options)
        if compare:
            print(f"accuracy on {args.compare.name} ({len(compare)} texts): "
                  f"{accuracy(model.score_many(compare_documents), compare_labels):.3f} after adapting", flush=True)
    training_accuracy = accuracy(model.score_many(documents), labels)
    model.meta = {
        "trained_on": ["waimai_10k", "online_shopping_9_cats"],
        "documents": len(documents),
        "features": len(model.weights),
        "l2": args.l2,
        "nb_scale": True,
        "length_norm": model.length_norm,
        "snownlp_prior": prior is not None,
        "min_count": args.min_count,
        "training_accuracy": round(training_accuracy, 4),
    }
    if unlabelled:
        model.meta["adapted_on"] = {"files": [path.name for path in args.adapt], "texts": len(unlabelled),
                                    "confidence": args.confidence, "rounds": args.rounds}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    size_kb = args.out.stat().st_size / 1024
    print(f"wrote {args.out} ({len(model.weights)} weights, {size_kb:.0f} KiB), "
          f"training accuracy {training_accuracy:.4f}, {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
