"""Plain inquiries in private channels: read neutral, not negative; and why public reviews keep the model's reading.

On the labelled questions in ``tests/data/inquiries.yaml`` (plain inquiries and
complaints phrased as questions), how many read negative before and after the
inquiry rule; and over the shared review corpora (public reviews), how many texts
the rule would take for inquiries and how many of those are labelled negative.
Writes the "Text: inquiries" section of BENCHMARKS.md.

    python benchmarks/text_inquiry.py [--no-write]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import ROOT, SHARED, publish  # noqa: E402

from voc_stream.text import TextAnalyzer  # noqa: E402
from voc_stream.text.inquiry import channel_sentiment  # noqa: E402

COMMAND = "python benchmarks/text_inquiry.py"
NEGATIVE = 0.4  # config/rules.yaml negative_threshold


def negatives(analyzer: TextAnalyzer, texts: list[str], private: bool) -> int:
    results = analyzer.analyze_many(texts)
    return sum(channel_sentiment(r.sentiment, r.text_masked, r.categories, private) < NEGATIVE for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args()
    started = time.perf_counter()
    analyzer = TextAnalyzer.from_config(ROOT / "config")
    labelled = yaml.safe_load((ROOT / "tests" / "data" / "inquiries.yaml").read_text(encoding="utf-8"))
    rows = []
    for kind in ("inquiry", "complaint"):
        texts = labelled[kind]
        before, after = negatives(analyzer, texts, False), negatives(analyzer, texts, True)
        rows.append(f"| {kind} ({'should not' if kind == 'inquiry' else 'should'} read negative) | {len(texts)} "
                    f"| {before} | {after} |")
    lines = [
        f"Command: `{COMMAND}`. Labelled questions: `tests/data/inquiries.yaml`, written for this set; the rule's",
        "complaint cues were written with it in view, so these rows are in-sample and a fresh set will do worse.",
        "",
        "| texts | count | read negative: model alone (public channels) | read negative: private channels |",
        "| --- | ---: | ---: | ---: |",
        *rows,
    ]
    if (SHARED / "datasets" / "chinese").is_dir():
        from voc_stream.text.training import load_reviews

        reviews = load_reviews(SHARED)
        results = analyzer.analyze_many([review.text for review in reviews])
        touched = [review.label for review, r in zip(reviews, results)
                   if channel_sentiment(r.sentiment, r.text_masked, r.categories, True) != r.sentiment]
        share = touched.count(0) / len(touched) if touched else 0.0
        lines += [
            "",
            f"Over the shared review corpora ({len(reviews):,} public reviews), the rule would take "
            f"{len(touched):,} texts for plain inquiries; {share:.0%} of them are labelled negative "
            "(rhetorical questions: \"车翻了吗？\", \"没勺子怎么喝？\"). That is why it applies to private service "
            "channels (hotline, chat, email, ticket, app feedback, survey) only, where a question is mostly a question.",
        ]
    lines += ["", f"Run time {time.perf_counter() - started:.0f}s."]
    body = "\n".join(lines)
    publish("Text: inquiries", body, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
