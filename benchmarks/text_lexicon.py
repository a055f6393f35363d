"""Risk-lexicon precision and recall on labelled phrasings, and the masking property tests.

Labelled sets, written by hand and kept apart from the lexicon entries,
each written after the lexicon had been tuned on the previous ones (see
SETS for their scores before they influenced it). Precision and recall
count (text, category) pairs. The masking property tests are run with
pytest and their outcome recorded. Writes the "Text: lexicon and masking" section.

    python benchmarks/text_lexicon.py [--no-write]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import SHARED, publish  # noqa: E402

from voc_stream.text import load_lexicon, normalize_text, to_simplified  # noqa: E402
from voc_stream.text.review_sample import (  # noqa: E402
    agreement,
    bootstrap_interval,
    load_review_sample,
    score_sample,
)
from voc_stream.text.training import load_reviews  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# Each set in the order it was written: its label, its file under tests/data and, for every set
# after the first, its (precision, recall) when scored once, before any lexicon change it prompted:
# the honest estimate for phrasings the lexicon was never tuned on.
SETS = (
    ("1: tuning set", "lexicon_phrasings.yaml", None),
    ("2: written after tuning on 1", "lexicon_phrasings_fresh.yaml", (0.980, 0.800)),
    ("3: written after tuning on 1-2", "lexicon_phrasings_third.yaml", (0.813, 0.553)),
    ("4: written after tuning on 1-3", "lexicon_phrasings_fourth.yaml", (0.960, 0.500)),
    ("5: written after tuning on 1-4", "lexicon_phrasings_fifth.yaml", (0.933, 0.683)),
    ("6: written after tuning on 1-5", "lexicon_phrasings_sixth.yaml", (0.865, 0.516)),
    ("7: keyboard typos, after 1-6", "lexicon_phrasings_seventh.yaml", (0.938, 0.714)),
    ("8: written after tuning on 1-7", "lexicon_phrasings_eighth.yaml", (0.918, 0.875)),
    ("9: service channels, after 1-8", "lexicon_phrasings_ninth.yaml", (0.900, 0.730)),
    ("10: social media, after 1-9", "lexicon_phrasings_tenth.yaml", (0.918, 0.738)),
    ("11: complaint platforms and structured reviews, after 1-10", "lexicon_phrasings_eleventh.yaml", (0.915, 0.705)),
    ("12: Hong Kong and Taiwan (Cantonese), after 1-11", "lexicon_phrasings_twelfth.yaml", (0.783, 0.439)),
    ("13: regional Mandarin (Sichuan, North-East, Shanghai), after 1-12", "lexicon_phrasings_thirteenth.yaml", (0.877, 0.806)),
    ("14: hotline calls as speech recognition writes them, after 1-13", "lexicon_phrasings_fourteenth.yaml", (0.912, 0.646)),
    ("15: forum help posts and sarcasm, after 1-14", "lexicon_phrasings_fifteenth.yaml", (1.000, 0.796)),
    ("16: Chinese mixed with English, app-store one-liners; written without reading the lexicon, after 1-15",
     "lexicon_phrasings_sixteenth.yaml", (0.842, 0.492)),
    ("17: formal written complaints and comment-section fragments; written without reading the lexicon, after 1-16",
     "lexicon_phrasings_seventeenth.yaml", (0.843, 0.694)),
    ("18: shoppers' Q&A, group chats and app feedback forms; written without reading the lexicon, after 1-17",
     "lexicon_phrasings_eighteenth.yaml", (0.905, 0.695)),
    ("19: rights-defence diaries, Weibo repost chains and run-on text; written without reading the lexicon, after 1-18",
     "lexicon_phrasings_nineteenth.yaml", (0.883, 0.602)),
    ("20: notices, FAQs, ads and explainers, half reporting nothing; written without reading the lexicon, after 1-19",
     "lexicon_phrasings_twentieth.yaml", (0.488, 0.800)),
    ("21: chat transcripts with both turns, live-stream comments, video captions and work orders, a third "
     "reporting nothing; written without reading the lexicon, after 1-20",
     "lexicon_phrasings_twentyfirst.yaml", (0.766, 0.808)),
    ("22: store reviews, car owners' reviews, plain short reviews and hard cases (comparisons, fears, fixed problems), "
     "a third reporting nothing; written without reading the lexicon, after 1-21",
     "lexicon_phrasings_twentysecond.yaml", (0.800, 0.711)),
    ("23: survey verbatims, telecom, travel and subscription complaints, hurried delivery complaints, car owners' "
     "group posts, a third reporting nothing; written without reading the lexicon, after 1-22",
     "lexicon_phrasings_twentythird.yaml", (0.788, 0.744)),
    ("24: bank, card, loan and insurance customers, parents on children's products, appliances and renovation, "
     "comment threads under news and brand posts, a third reporting nothing; written without reading the lexicon, "
     "after 1-23", "lexicon_phrasings_twentyfourth.yaml", (0.731, 0.500)),
    ("25: resale platforms, renters and property management, pet and health products, e-bikes, phones and used "
     "EVs, a third reporting nothing; written without reading the lexicon, after 1-24",
     "lexicon_phrasings_twentyfifth.yaml", (0.709, 0.554)),
    ("26: car after-sales and charging, groceries and community group-buying, mobile wallets and payment codes, "
     "games, tipping and subscriptions, a third reporting nothing; written without reading the lexicon, after 1-25",
     "lexicon_phrasings_twentysixth.yaml", (0.788, 0.584)),
    ("27: older customers and their children, merchants on platforms and couriers, restaurants and vouchers, "
     "cross-border shopping, a third reporting nothing; written without reading the lexicon, after 1-26",
     "lexicon_phrasings_twentyseventh.yaml", (0.738, 0.516)),
    ("28: ride-hailing, rentals, tolls and driving schools, prepaid memberships and home services, live-stream "
     "shopping, pinyin initials, filter dodges and traditional characters, a third reporting nothing; written "
     "without reading the lexicon, after 1-27", "lexicon_phrasings_twentyeighth.yaml", (0.839, 0.635)),
    ("29: shop owners as banking customers, fuel and hybrid cars, supermarkets and fresh-food apps, problems told "
     "through what the writer did, a number, a timeline or a quoted exchange, a third reporting nothing; written "
     "without reading the lexicon, after 1-28", "lexicon_phrasings_twentyninth.yaml", (0.750, 0.562)),
    ("30: air and rail travel, hotels and booking apps, pharmacies, clinics and insurance claims, appliance "
     "installers and smart homes, parents on toys, snacks and tutoring, a third reporting nothing; written without "
     "reading the lexicon, after 1-29", "lexicon_phrasings_thirtieth.yaml", (0.846, 0.518)),
    ("31: two-to-twelve-character reviews, mixed verdicts, numbered and formal complaints to regulators, writers "
     "who are not the customer (merchants, drivers, couriers, agents), a third reporting nothing; written without "
     "reading the lexicon, after 1-29", "lexicon_phrasings_thirtyfirst.yaml", (0.793, 0.793)),
    ("32: car repairs, insurance, tyres and fuel stations, furniture, mattresses and movers, credit cards, instalments "
     "and loan apps, utility bills and prepaid meters, a third reporting nothing; written without reading the lexicon, "
     "after 1-31", "lexicon_phrasings_thirtysecond.yaml", (0.764, 0.538)),
    ("33: short-video comment sections, polite formal messages, voice messages as speech recognition writes them, "
     "shop Q&A threads, a third reporting nothing; written without reading the lexicon, after 1-31",
     "lexicon_phrasings_thirtythird.yaml", (0.829, 0.753)),
    ("34: e-bikes, chargers and charging piles, mobile carriers and broadband, games and digital goods, follow-up "
     "reviews whose verdict changes, a third reporting nothing; written without reading the lexicon, after 1-33",
     "lexicon_phrasings_thirtyfourth.yaml", (0.907, 0.653)),
    ("35: cross-border shopping, jewellery, watches, luxury and eyewear, cakes, flowers and community group-buying, "
     "pros-and-cons and scored-field reviews, a third reporting nothing; written without reading the lexicon, "
     "after 1-33", "lexicon_phrasings_thirtyfifth.yaml", (0.765, 0.481)),
    ("36: farm supplies and rural delivery, new homes and renovation, office buyers, POS terminals and payment codes, "
     "retold chat screenshots, a third reporting nothing; written without reading the lexicon, after 1-33",
     "lexicon_phrasings_thirtysixth.yaml", (0.862, 0.610)),
)


# Sets scored blind and not tuned on yet (tests/test_text_lexicon.py holds them at their first pass).
NOT_YET_TUNED = ("lexicon_phrasings_thirtyfourth.yaml", "lexicon_phrasings_thirtyfifth.yaml",
                 "lexicon_phrasings_thirtysixth.yaml")


def score(lexicon, examples: list[dict]) -> tuple[Counter, Counter, Counter, list[str]]:
    true_pos, false_pos, false_neg = Counter(), Counter(), Counter()
    wrong = []
    for example in examples:
        found, expected = set(lexicon.match(example["text"])), set(example["categories"])
        for name in found & expected:
            true_pos[name] += 1
        for name in found - expected:
            false_pos[name] += 1
        for name in expected - found:
            false_neg[name] += 1
        if found != expected:
            wrong.append(f"`{example['text']}`: got {sorted(found)}, expected {sorted(expected)}")
    return true_pos, false_pos, false_neg, wrong


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.3f}" if denominator else "n/a"


# Each labelled sample of real reviews scored once before any change it prompted: (precision, recall).
REAL_REVIEWS_FIRST_PASS = {"first, dev half": (0.827, 0.330), "first, held-out half": (0.720, 0.305),
                           "second (held out)": (0.813, 0.338)}
REAL_REVIEW_LABELS = ("real_review_labels.yaml", "real_review_labels_second.yaml")


def on_real_reviews(lexicon) -> list[str]:
    """Precision and recall on hand-labelled real reviews, weighted to the whole corpus."""
    try:
        sample = [review for name in REAL_REVIEW_LABELS
                  for review in load_review_sample(ROOT / "tests" / "data" / name, SHARED)]
    except FileNotFoundError:
        return ["Labelled real reviews: not run (shared datasets not found)."]
    # Every review is matched once: the parts overlap and each is scored twice (point and interval).
    found = {review.text: list(lexicon.match(review.text)) for review in sample}
    match = found.__getitem__
    parts = {
        "first, dev half": [r for r in sample if r.batch == "first" and r.half == "dev"],
        "first, held-out half": [r for r in sample if r.batch == "first" and r.half == "held_out"],
        "second (held out)": [r for r in sample if r.batch == "second"],
        "all": sample,
    }
    lines = ["Labelled real reviews (`tests/data/real_review_labels*.yaml`: labels only, texts read from",
             "`../shared/datasets/chinese`): two samples of reviews of at most 200 characters, each drawn in three",
             "strata (some category matched / none matched on a negative review / none on a positive one) and",
             "weighted back to the 63,938 such reviews, so the figures estimate the corpus, not the sample. 95%",
             "intervals by resampling each stratum. The first sample (400) has been read while changing the",
             "lexicon, its dev half first and its held-out half later; the second (300, drawn later, other",
             "annotators, same guide) has only been scored, before and after.", "",
             "| sample | reviews | precision (95%) | recall (95%) | first pass, before it was used (P / R) |",
             "| --- | ---: | --- | --- | --- |"]
    for name, part in parts.items():
        score = score_sample(match, part)
        (p_low, p_high), (r_low, r_high) = bootstrap_interval(match, part)
        first = REAL_REVIEWS_FIRST_PASS.get(name)
        before = f"{first[0]:.3f} / {first[1]:.3f}" if first else "-"
        lines.append(f"| {name} | {score.reviews} | {score.precision:.3f} ({p_low:.3f}-{p_high:.3f}) | "
                     f"{score.recall:.3f} ({r_low:.3f}-{r_high:.3f}) | {before} |")
    doubled, same, pair_f1 = agreement(sample)
    lines += ["", f"Annotators: another one labelled {doubled} of the reviews blind; {same} of them got the same",
              f"categories, and the (review, category) pairs agree at F1 {pair_f1:.3f}. The label sets are",
              "consistent enough for the gaps below to be the lexicon's.", "",
              "This is the figure that says how the lexicon reads real customer text, and it is far from the",
              "labelled phrasing sets': on the held-out sample about four in five categories it names are right,",
              "but it names only about a third of the problems reviewers report. Real reviews describe problems",
              "in the long tail of everyday words more than in the words of a complaint. Three rounds of fixes",
              "show how little word rules carry to reviews not read. Round one, from the first sample's dev half",
              "(food delivered cold, spills and leaking bottles, fruit gone bad, a promised gift missing, 骗子 / 上当",
              "alone no longer 诈骗): dev recall 0.330 -> 0.450, held-out half 0.305 -> 0.309, and held-out",
              "precision 0.720 -> 0.765, almost all from 诈骗. Round two, from both halves (garments that shed,",
              "pill or stretch; devices that run hot, lag or lose signal; itching after a shampoo; a gadget soon",
              "flat; parcels never received; food that arrives cool or not fresh; sellers who do not reply): the",
              "first sample's held-out half 0.309 -> 0.454, the second, unread sample 0.338 -> 0.366, its",
              "precision 0.813 -> 0.825. Round three, from the corpus rather than a sample (the words and word",
              "pairs most over-represented in negative reviews that no category matched, read by hand: 死机, 有烂的,",
              "洒的到处都是, dandruff that grew, 篡改生产日期, 绝对不是正品): the second sample 0.366 -> 0.374. Rules read from 200",
              "or 400 reviews carried from almost none to a fifth of their gain to reviews not read. The labelled",
              "phrasing sets did not move. The price is speed: more matches mean more negation checks, and",
              "matching runs about a tenth slower than before rounds two and three (see the throughput section",
              "for the whole pipeline). What this means for alerts: the rules watch rates, so a category read at",
              "a steady third of its reports still shows its spikes, but the counts in an alert are a floor, and",
              "a new way of naming a problem stays unseen until the lexicon or the emerging-term rule picks it",
              "up."]
    return lines


def in_the_wild(lexicon) -> list[str]:
    """How often any category fires on real reviews, by their sentiment label.

    Nobody labelled these for categories, so this is no precision figure; but a risk
    category on a positive review is mostly a false alarm, which makes the positive
    column a rough ceiling on the false-positive rate in the wild.
    """
    try:
        reviews = load_reviews(SHARED)
    except FileNotFoundError:
        return ["Real reviews: not run (shared datasets not found)."]
    fired = {0: 0, 1: 0}
    total = {0: 0, 1: 0}
    for review in reviews:
        total[review.label] += 1
        fired[review.label] += bool(lexicon.match_simplified(to_simplified(normalize_text(review.text))))
    return [
        f"Real reviews ({len(reviews):,} from `../shared/datasets/chinese`, unlabelled for categories): "
        f"some category matched on {fired[0] / total[0]:.3f} of the negative reviews and on "
        f"{fired[1] / total[1]:.3f} of the positive ones (some of them real problems inside praise, a bruise or "
        "a cool meal; the labelled samples above measure precision).",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args()
    lexicon = load_lexicon(ROOT / "config" / "lexicons.yaml")
    lines = ["Command: `python benchmarks/text_lexicon.py`.", "", *on_real_reviews(lexicon), "",
             "The labelled phrasing sets, written for the lexicon:", ""]
    lines += ["| labelled set | texts | of which no category | precision | recall "
              "| first pass, before it was used (P / R) |",
              "| --- | ---: | ---: | ---: | ---: | --- |"]
    per_category = {name: [0, 0, 0] for name in (c.name for c in lexicon.categories)}
    all_wrong = []
    texts = texts_empty = 0
    tuned = [0, 0, 0]
    for label, name, first in SETS:
        path = ROOT / "tests" / "data" / name
        examples = yaml.safe_load(path.read_text(encoding="utf-8"))
        true_pos, false_pos, false_neg, wrong = score(lexicon, examples)
        all_wrong += wrong
        tp, fp, fn = sum(true_pos.values()), sum(false_pos.values()), sum(false_neg.values())
        empty = sum(1 for e in examples if not e["categories"])
        texts, texts_empty = texts + len(examples), texts_empty + empty
        first_text = f"{first[0]:.3f} / {first[1]:.3f}" if first else "(tuned on it from the start)"
        lines.append(f"| {label} (`{path.relative_to(ROOT)}`) | {len(examples)} | {empty} | "
                     f"{ratio(tp, tp + fp)} | {ratio(tp, tp + fn)} | {first_text} |")
        if name not in NOT_YET_TUNED:
            tuned = [tuned[0] + tp, tuned[1] + fp, tuned[2] + fn]
        for name in per_category:
            per_category[name][0] += true_pos[name]
            per_category[name][1] += false_pos[name]
            per_category[name][2] += false_neg[name]
    pooled_tp, pooled_fp, pooled_fn = (sum(counts[i] for counts in per_category.values()) for i in range(3))
    lines.append(f"| **all sets together** | {texts} | {texts_empty} | **{pooled_tp / (pooled_tp + pooled_fp):.4f}** | "
                 f"**{pooled_tp / (pooled_tp + pooled_fn):.4f}** | - |")
    if NOT_YET_TUNED:
        lines.append(f"| the sets tuned on (all but {len(NOT_YET_TUNED)}, held at their first pass) | - | - | "
                     f"{tuned[0] / (tuned[0] + tuned[1]):.4f} | {tuned[0] / (tuned[0] + tuned[2]):.4f} | - |")
    lines += ["", "The first-pass column is the honest figure for new phrasings: recall on wording nobody has",
              "looked at is below the tuned figures (0.44-0.88 so far); every set's misses were fixed with",
              "general words and near rules, and the next set measured how far that carried. The ten sets written",
              "without reading the lexicon (16-25) put first-pass recall at 0.49-0.81, and sets 20-25, half or a",
              "third of their texts reporting nothing, put first-pass precision at 0.49-0.80. Sets 5 and 6 were",
              "written by the same hand, 6 after seeing the lexicon; the tuned figures of every set are fits, not",
              "estimates. Set 7 holds pinyin-keyboard typos (转帐, 煞车, 质量问提, 炸骗) and traps where the",
              "swapped character makes a word of its own; its misses were fixed by the `homophones` groups of",
              "config/lexicons.yaml (one character swapped in words of 3+ characters), chosen with set 7 in view,",
              "which left sets 1-6 and the in-the-wild rates below unchanged. 2-character words keep their",
              "literal typo entries: 馊了 -> 搜了 would make '我搜了一下' a food-safety complaint.",
              "Set 8's first pass (R 0.875) is the best so far; its misses were fixed the same way (卡 with a",
              "degree word after 车机, 最多 after the promised range, a clean test result excluding 异味, a frozen",
              "head unit overriding the generic defect). One of those rules, 车机 ... 卡了, also matches a",
              "车机卡顿 phrasing of the scenario generator ('车机系统升级后更卡了') that earlier runs missed.",
              "Reading the real food-delivery reviews the lexicon matched as 质量问题 showed spoiled food ('感觉肉已经",
              "坏了', '鸡蛋都坏了') filed as a generic defect; a food word before 坏了/发臭/馊味 is now 食品安全 and",
              "overrides 质量问题 (10 waimai reviews move, 1 of them labelled positive; a broken bowl, 菜鸟驿站 and a",
              "鱼缸 stay defects: one-character foods count only right before the word).",
              "One 异味 text of the scenario generator ('肉有酸味,像是坏了') moves with them.",
              "Set 9 was written in the styles of private channels (hotline summaries, tickets, chat), long posts and",
              "mixed English; new styles cost recall again (first pass R 0.730). Its misses were fixed with general",
              "words (汇款, 电瓶 ... 没电, a parcel lying at a transit hub, signed for but never received, paid and the",
              "other side vanished, meeting software on a caller's request, 智商税) and one general rule: a",
              "hypothetical (如果, 万一, 假如, 要是) counts as a negation ('万一刹车异响怎么办', '要是坏了找谁修').",
              "Three of its texts stay wrong (one missed, two with an extra category); a fourth, a counterfeit sold as",
              "genuine, was labelled 虚假宣传 alone and now also 质量问题, as set 1 labels the like case and as 质量问题's",
              "own terms (高仿, 仿品) say. A negation closed by 就 before the match now negates the condition only",
              "('还没过期就结块发酸了', '没用几天就坏了'; '刹车没异响就行' stays negated): set 9's milk text and ten real reviews.",
              "Set 10 was written in social-media styles (避雷, 翻车, 破防, hashtags, emoji, 咋/啥/贼): first pass",
              "R 0.738, about as low as set 9's. Its misses were fixed the same way (a distance and then the car gave",
              "up, 跳枪, a 'potato' head unit, 泡水, 熏, mould on bread and fruit, 求我删 a bad review, a caller's link",
              "to click, a card swiped far away, 配料表 against 零添加, a seller who 装死 or refunds a fraction); a",
              "warning to 防范 a scam is no report of one.",
              "Set 11 was written in the forms of complaint platforms (黑猫投诉, 12315: 投诉问题 / 投诉要求), car owners'",
              "structured reviews (【最不满意】), follow-up (追评), app-store and restaurant reviews: first pass P 0.915 /",
              "R 0.705, as low as sets 9-10. One miss was general: a negation reached back across a label, so the 不 of",
              "【最不满意】 negated the complaint after it; a label's end (】, :) now closes a negation's reach, and a",
              "clause ending in 都没有 / 也没有 negates what it names ('一点异响都没有'). The other misses were fixed with",
              "general words (charging that stops short, a wet floor mat, 裂痕 / 裂纹, a seller or salesman who never",
              "answers, an order marked delivered before it came, 放坏了 and packaged foods gone bad, a payment its",
              "owner never made, paid and then blocked, 做大单, a caller 'from the bank' asking for a code, refund money",
              "that never came back); a task scam's failed withdrawal is the scam (刷单 overrides 转账失败). On the real",
              "reviews these add 14 matches, all right on reading, and drop none. Two texts promising one thing and",
              "serving a lesser one (a 买一送一 gift that was a sample, a four-person set meal for two) stay missed: a",
              "rule for '说是…结果' would also take late deliveries ('说是次日达，结果三天').",
              "Set 12 was written as customers in Hong Kong and Taiwan write: Cantonese in traditional characters",
              "(冇, 唔, 咗, 啲, 俾人呃咗, 執笠) and Taiwanese usage (超商取貨, 客服很機車). Its first pass, P 0.783 / R 0.439,",
              "is the lowest yet: '剎車冇異響' was a brake complaint, since 冇 negated nothing, and Cantonese words matched",
              "nothing. Written Cantonese is now folded into its Mandarin words for matching only (voc_stream/text/",
              "normalize.py: 冇 -> 没, 唔 -> 不, 咗 -> 了, 入面 -> 里面, 无啦啦 -> 莫名其妙, 唔到 -> 不了, 俾人 -> 被人), which",
              "alone lifted the set to P 0.893 / R 0.610 (冇晒, 'all gone', folds to 耗光: 没了 would negate what",
              "follows); general words did the rest (吵 after the brake, a battery that",
              "鼓了, a car that will not start, weeks without the parcel (个星期 ... 没收到; not 星期一), 速递, 肚痛, 没人听,",
              "转数快, 货不对办, a card or account 盗用, 退不回). The real reviews prompted one more rule: where 虚假宣传 or",
              "续航虚标 matched beside 诈骗 (39 reviews), 骗人 and 上当 named the false claim ('图片都是骗人的'), not a scam,",
              "so those two now override 诈骗 in their sentence (27 reviews lose it). Against the lexicon after set 11,",
              "these changes give 23 real reviews a category, 20 of them right on reading (parcels weeks late; wrong:",
              "'还没到货就开始降价', a repair that '还没到货', an invoice not received).",
              "Set 13 was written in regional Mandarin: Sichuan and Chongqing (莫得, 没得, 啥子, 遭), the North-East (咋整,",
              "贼拉, 俩, 一宿) and Shanghai Wu (呒没, 勿, 覅, 侪, 搿只, 推扳). First pass P 0.877 / R 0.806: the misses were",
              "again the dialects' own negations ('刹车莫得啥子响声', '刹车勿响' read as complaints) and words. Two labels",
              "were corrected after that pass to the categories' documented meanings (a leaking water heater is also a",
              "质量问题, as in set 1; '打电话也没人接' is unreachable service, 服务态度差); with them the first pass reads",
              "P 0.912 / R 0.812. The Cantonese fold became a dialect fold (fold_dialect: 莫得 / 没得 / 呒没 -> 没有,",
              "勿 -> 不, 覅 -> 不要, 侪 -> 都, 搿 -> 这, 推扳 -> 很差, 贼拉 -> 很, 俩 -> 两个, 钞票 -> 钱, 脱了 -> 掉了), which",
              "alone lifted the set to P 0.964 / R 0.855; general words did the rest (说话 and then 贼冲 / 冲得, 板着脸,",
              "吃了火药, 不睬 after a person, 拉痛 after eating, 跑了…厕所, money that 莫名其妙少了, a code scanned or a",
              "link opened and then the money gone, a material claimed and another delivered (说是纯棉 … 化纤), an ad and",
              "then 实物很差). A bare 不理人 was tried and dropped: a voice assistant 不理人 too. On the real reviews the",
              "fold gives 7 more matches, all right ('送了俩小时'), and drops 诈骗 from two '切勿上当' warnings (one of",
              "them reports a new scam); the words add 4 matches, all 虚假宣传 and right ('图片与实物差太远').",
              "Set 14 is hotline calls as speech recognition writes them: pauses as spaces, no punctuation, fillers",
              "(嗯, 呃, 那个), numbers in words, the recogniser's homophones (杀车, 异想, 虚表, 炸骗), two-speaker transcripts",
              "and plain inquiries. First pass P 0.912 / R 0.646: spoken sentences put more words between the two",
              "halves of a near rule, and callers say what writers abbreviate. One general fix in the negation:",
              "'是不是' asks, it does not deny, so '是不是你们客服让我提供验证码' is an impersonation report (but '就是不是",
              "京东快递' still denies). On the real reviews that adds 70 matches, nearly all a customer suspecting",
              "a fake or a refurbished unit ('不知道是不是假货', '是不是翻新机'), which 质量问题 should take; a few are",
              "questions that report nothing ('是不是不能退货了', '不管是不是质量问题'). General words did the rest (异想",
              "after the brake, 续航 then 不一样 or 虚表, 车机 then 反应特别慢, 车里面味道特别大, lines across a screen, a",
              "parcel 没派送 days on, the promised day and then 还没到, 吃出来 … 钢丝 told slowly, milk gone sour or",
              "lumpy, 说话不客气, 转人工 that 转不过去 (no longer a failed transfer: 转不过去 needs money beside it),",
              "好评就退我十块, a caller who 说他是 the courier, a card 在外地被刷, 广告 … 根本没); 2 real reviews gain",
              "a category, both right. Tuned: P 0.980 / R 1.000. One text stays wrong: the agent's scripted question",
              "('坐席：请问是刹车异响的问题吗') in a call where the caller denies it; dropping the agent's turns would",
              "also drop the complaints agents restate, so transcripts are matched whole.",
              "Set 15 is forum help posts (求助, 有没有车友遇到, 蹲一个, 在线等), complaints made for someone else (我爸,",
              "帮朋友问) and sarcasm (真是好样的, 感谢…让我体验到, 速度感人), with the same forms reporting nothing (a question",
              "before buying, thanks that are meant). First pass P 1.000 / R 0.796: a question wrapped around a",
              "complaint still matched, and nothing was read into the questions; sarcasm and missing words cost the",
              "recall. One label was changed after that pass to follow sets 8, 9 and 11, where water seeping from an",
              "appliance is 漏水 alone (sets 1, 2, 4 and 13 add 质量问题 where the text says 漏水: the sets disagree);",
              "with it the first pass reads R 0.811. General words did the rest (a brake that 唱歌, a head unit stuck",
              "卡在开机 or whose 速度感人, an appliance that 不转了 or 不出水, staff at a 营业厅 who 大呼小叫, 白眼都翻,",
              "转钱 or 转房租 that failed, paid or 交了 a fee and then the other side 联系不上, 概不退, 不退费). None of",
              "the real reviews and none of the scenario generator's phrasings gains or loses a category by them.",
              "Set 16 is Chinese mixed with English words (app一直crash, refund被reject, 被charge了两次, tracking没更新)",
              "and app-store one-liners (一星，…), written by an author who had not read the lexicon or the earlier sets:",
              "the fairest test of unseen phrasings so far. First pass P 0.842 / R 0.492, the lowest recall of any set",
              "written in Mandarin: the English words carry the complaint and the lexicon had none of them. General",
              "words did most of the rest: the English for each problem (squeal and grinding after brake, lag and",
              "freeze after the head unit, battery fault, charging failed, leaking, mould味, smell巨大, tracking and",
              "parcel with lost or late, transfer or withdrawal pending, charged twice, part-time 任务 with a 押金,",
              "被hack, misleading, refund then reject or pending); 送了两个多小时; an appliance then 一直在滴; 气味",
              "(not 味道, which is taste too) 太大; the amount shown against the amount 实际扣了; money offered to",
              "删评; a promised follow-up that 没下文 or 不了了之; 直播间 … 下单后才说; and a hypothetical (如果, 万一,",
              "假如, 要是) now reaches its whole clause ('如果洗碗机漏水可以直接退吗'), not the four characters of a",
              "negation, which also drops six real reviews' hypothetical damage ('要是途中摔坏了，我找谁'). A news",
              "report (新闻说) of a scam is no report of one. On the real reviews, 0.15% more negative ones gain a",
              "category (mostly 送了两个多小时) and 0.02% more positive ones; no scenario generator phrasing moves.",
              "Matching alone runs at about 0.95x its speed before (side by side, best of three runs each).",
              "Tuned: P 0.955 / R 0.985. Three texts stay wrong: the range read off the dashboard (set 1 labels",
              "the like text no category), a car that crawled home 一路龟速 read as a late delivery, and a warning",
              "about fake couriers read as a report. (Since set 20 the range text matches, as set 16 labels it.)",
              "Set 17, also written by an author who had not read the lexicon, is half formal written complaints",
              "(letters to a maker, a bank or a regulator: 尊敬的…, 本人于…, 特此投诉, 诉求如下, 12345 summaries) and half",
              "comment-section and live-stream fragments with pinyin initials (kf, tk, xswl, nsdd). First pass P 0.843 /",
              "R 0.694: better than set 16's 0.492 on a second blind set, still far from 0.95. The letters lost recall",
              "to distance: the complaint and its subject sit a clause apart ('转账…页面一直显示处理中…收款账户未到账',",
              "'要求退货，商家以已拆封为由拒绝'). General words and near rules fixed most of it: 开裂 and 断裂; appliances",
              "that 无法加热; 物流信息 that 停留 or 未更新; a foreign body 饭中 … 金属丝 told at length; 爱赔不赔 and a",
              "call 被直接挂断; the receiving account 未到账; a withdrawal 未收到; 求删 a bad review; kf for 客服; 号被盗,",
              "被转走 and a 未授权 transaction; a caller's script (诱导, 屏幕共享) and then the 损失; a feature 标配 in",
              "the ads that the car 并无; a content claimed, then a lab test (送检); a return refused 为由 a reason or",
              "stalled by 拖延. Also negative: a prospective buyer (拟购买) asking about range, a drop of water that",
              "一滴水没进, an offer to 刷单 that was 直接拉黑, advice to prevent fraud (防诈, 多发), how long a transfer",
              "一般要多久, and goods not received (a delivery, not a failed transfer). The bare term 电池健康度 went: a",
              "health reading is a fault only when it fell ('电池健康度良好' praised it). Tuned: P 0.953 / R 0.965; no",
              "other set moves. Six real negative reviews gain a category, all right (a case 开裂, 客服装死, '写着16G，实",
              "际才10G'), no positive one; one phrasing of the scenario generator, '用了一周就开裂', is now read as",
              "质量问题 (about 240 of each seed's 110k texts). Still wrong: '标600跑350' (a bare 标 then a number), a",
              "free-charging promise in a brochure (宣传册) left unmet, a battery 才衰减3% praised, a toothbrush that",
              "无法充电 (a battery fault here, a defect in the label), a swollen e-bike battery the seller called 人为损坏",
              "read as a defect as well, and 没人处理 read as unreachable service as well as a stalled refund.",
              "Set 18, the third written without reading the lexicon, is shoppers' Q&A (问大家: a question and a",
              "buyer's answer), car owners' and neighbours' group chats (several speakers, @, 接龙, 同款+1) and app",
              "feedback forms (【配送】★☆☆☆☆ #送达超时, 满意度：1分 原因：…). First pass P 0.905 / R 0.695, the same",
              "recall as set 17's: on three sets written blind the lexicon finds about 0.5-0.7 of what it should.",
              "General words and near rules fixed it: 标称的六成都不到; driven a little and then 就报低电量 or 就得找桩;",
              "说能跑 … 中途充了两次电; an 电瓶 that 亏得一点电没有; a head unit like a 幻灯片, a 倒车影像 that 出不来 or",
              "定住; 一滴水都没漏过 (no leak); 发霉的味 (and a car's 地毯 is no food); a 涂层 that 往下掉 and a button that",
              "按不下去; a call 被挂 and 嫌慢你自己来拿; money 转了 or 赎回 and then 处理中 or 卡在中间; a free 试用期",
              "and then 扣了; 给个五星，我退你五块; 垫资 for a 任务; a caller offering to adjust an 额度; a card 连刷; paid,",
              "then 付完 and blocked; 转了两次钱才发现不对; a feature 说好的 that 根本没有这个功能; 实际就三片; a seller",
              "who 一直不处理 a return; an ad for 刷单 seen, not answered. One general rule: hearsay (听说) is no first-hand",
              "report, like a hypothetical ('听说这款车刹车容易响'); it also fixes set 9's '听说有人冒充客服骗钱' (P 0.961",
              "-> 0.986) and drops two real reviews' 听说容易掉漆 / 听说返修率很高. Set 1 labels a range read off the",
              "dashboard ('满电显示520…只跑了280就要充电') no category, so the new rule leaves 就要充电 out. Tuned: P 0.976",
              "/ R 1.000. On the real reviews three negative ones gain 拒绝退款 (售后 that 一直不处理 a return), and the",
              "generator's '倒车影像卡住不动' now reads 车机卡顿. Still wrong: a question about fake agents answered with",
              "advice (read as a report), and a lost parcel asked about in a question before the scam it led to.",
              "Set 19, the fourth written blind, is rights-defence diaries (维权记录: Day1 … Day9 …, praise and",
              "complaint in one text), Weibo posts and repost chains (@brand, #话题#, //@用户: …) and run-on text",
              "without punctuation as older writers and voice input produce it. First pass P 0.883 / R 0.602: long",
              "unpunctuated texts put the two halves of a near rule far apart and let one clause's exclusion or",
              "question reach the whole text. Two general rules: each '//@' of a repost chain now ends a sentence",
              "(one writer's question or #反诈# warning no longer cancels the next writer's report), and '不是…吗' in",
              "one clause asserts rather than denies ('这不是多扣我了吗'; '不是质量问题就不退' stays a denial: 就 closes",
              "a condition). The rest were words: 就弹低电量, 也就跑, 还没买 (a buyer asking), a battery 烫得手都不敢碰,",
              "a screen 全黑 or 定格, 化工味, 不制冷, 没人签 a signed-for parcel, 是隔夜的, 你急什么 and 坐席忙, money",
              "转了 and 被退回 or 一分没进, a banking app 一直转圈, 五颗星, 点个赞 and 垫钱 … 一分没返, a scan 扫完 and",
              "the 卡里少了, 挨个 asked for 借钱, 照片 against 小一半, 驳回 or 商家拒了 a refund, 不给我退. Two rules",
              "were narrowed: '客服说是…' (the agent said) is no impersonation, only '说是客服' (someone claimed to be",
              "one): seven real reviews that said 客服说是 lose a wrong 冒充客服; and a customer who calls an",
              "inducement 刷好评 or 买好评 means 诱导好评, which now overrides 刷单 (as set 9 labels it). Tuned: P 0.976 /",
              "R 0.932, the first set left below 0.95 recall (its test holds it at 0.93): six texts stay missed, a",
              "phone projected onto the head unit, a listing's 一级能效 against a 三级 label, a cream that did not fade",
              "spots, a down jacket full of 碎毛, a gym refund eaten by 手续费 and a voice-typed 漏谁 (漏水); a #防骗#",
              "post still hides a victim's report in its own sentence. No other set moves. On the real reviews",
              "0.04% more negative ones gain a category (photos that 不符 a listing as 虚假宣传, rhetorical '这不是骗人吗' as",
              "诈骗, as the lexicon reads 骗人 elsewhere) and 0.01% fewer positive ones keep one (客服说是).",
              "Set 20, the fifth written blind, tests precision: half its texts report nothing while using the",
              "risk words heavily, in the forms a stream also carries: a company's reply templates (亲，关于您反馈的…),",
              "recall and update notices, a bank's anti-fraud SMS, platform rules, ad copy (零甲醛, 延误必赔), FAQs,",
              "explainers (why brakes squeal, how range is measured), job ads, quizzes, and problems fixed and",
              "praised; the other half are complaints in the same forms. First pass P 0.488 / R 0.800: the lexicon",
              "reads a company's or an expert's words as a customer's report. One general rule: a lexicon-wide",
              "`not_reports` list (an exclude of every category) for the markers of those forms (客服话术, 平台规则,",
              "常见问题, 针对您咨询的, 给您带来不便, 科普一下, 冷知识, 切勿, 本行, and a notice's heading with its colon:",
              "召回公告：, 招聘：, 新闻：, FAQ：). A condition (如有, 如遇, 若) now counts as a hypothetical ('如有变质包赔",
              "包退'); 零甲醛, 防漏 and 延误必赔 are ads. Lexicon words are now dialect-folded like the text, so an",
              "exclude holding 勿 (read as 不) can match. Tuned: P 0.738 / R 0.900, held there by its test; the other",
              "sets do not move except set 16's dashboard range, now read as 续航虚标 as set 16 labels it (就只剩 after",
              "a distance). Still wrong: explainers without a marker ('刹车异响大部分是…', '车机卡顿通常跟…有关',",
              "'为什么电动车实际续航总比宣传少'), problems fixed and praised, a friend's or a colleague's problem, a",
              "question ('如果…商家又不给退，一般怎么处理'), news without a heading, and ads quoted back in complaints",
              "(「零甲醛」… 甲醛超标) that miss 虚假宣传. A stream that carries a company's own posts should filter",
              "them by source before matching. On the real reviews 0.01% of negative and of positive ones lose a",
              "category, all conditions ('如有变质可退货', '产品若有破损可以赔偿', '蒙牛若再现质量问题').",
              "Later, before set 21 was written: a warning (警惕, 提防) and a leak-proof feature (防漏, 防渗) are",
              "precautions, what 网友 or 别人 say is hearsay, a problem told as gone (没再出现) reports nothing, and a",
              "parcel 还停在 a hub is late: set 20 P 0.738 -> 0.793, R 0.900 -> 0.920. Tried and dropped: a friend's or",
              "a colleague's word (朋友说, 同事说) as hearsay, which on the real reviews mostly shares the writer's own",
              "order ('同事说他的也有这些烂的', '朋友说这是假货': four reports lost).",
              "Set 21, the sixth written blind, holds customer-service chats with both turns, live-stream comment",
              "floods, short-video captions and staff work orders, a third of them reporting nothing. First pass",
              "P 0.766 / R 0.808: an agent's scripted question ('请问是转账一直不到账的问题吗') or warning read as the",
              "customer's report, viewers' questions ('车机卡不卡'), a closed work order ('客户表示理解，无投诉'), and",
              "scams whose money was gone ('垫付三千就没影了', '转账3800元后被拉黑') read as 刷单 or not at all. Fixed",
              "with general rules: a yes-or-no question after a match ('卡不卡', not '不好不好'), 是否会 / 是否有 and",
              "请问是…吗 as questions, 无投诉 / 避坑指南 / 套路合集 / 未再出现 as no report, an agent in scare quotes",
              "(「平台客服」) as 冒充客服, a transfer or advance followed by being blocked or the payee gone as 诈骗,",
              "'shown delivered, never received', and a withdrawal stuck in 审核中. Tuned: P 0.880 / R 0.904, held",
              "there by its test. Still wrong: agent turns without a question mark or a template phrase, a complaint",
              "split across turns ('退款问题' in the agent's turn, '拖了十八天' in the customer's), viewers' warnings",
              "('刷单返利都是骗子'), a range or spec test told in figures ('官方标650km…实际大概四百出头'). On the real",
              "reviews one more negative one gains a category (signed for, never received: right); of the other",
              "sets only set 14 moves, its hotline agent's '请问是刹车异响的问题吗' no longer read as a report",
              "(P 0.980 -> 1.000). A question read as one ('不知道是否质量问题') was first dropped with every 是否; only",
              "是否 before 会/有/能/可以 counts now, and those reviews keep their category.",
              "Later, before set 22 was scored: money moved to a 'safe account' is 诈骗, an official range figure",
              "and what was driven a clause or two later is 续航虚标, and a rumour denied (是谣言, 辟谣) reports",
              "nothing: set 21 P 0.880 -> 0.895, R 0.904 -> 0.932. Tried and dropped: '…都是骗子' after a match as a",
              "generic warning ('刷单返利都是骗子'), which also silenced a victim's '这个刷单群全是骗子，我垫付了三千'.",
              "Set 22, the seventh written blind, holds Dianping-style store reviews (dealerships, restaurants,",
              "supermarkets, bank branches), car owners' reviews (【最满意】 / 【最不满意】), plain short shopping and",
              "delivery reviews with follow-ups, and hard cases (comparisons, fears and threats, someone else's",
              "problem, a problem told as fixed, sarcasm), a third reporting nothing. First pass P 0.800 / R 0.711:",
              "what a comparison says is absent ('没有网上差评里说的那种霉味', '不像上一台那样漏水') and a fear",
              "('之前担心的漏水') read as reports; a refusal after a condition ('说没小票不给退') read as negated;",
              "a merchant who stops answering ('拍完发过去就再也不回了'), shills ('全是托'), a scratched screen, water",
              "standing in a boot or a lamp, a bottle that leaked over the box, a payee still waiting days after a",
              "transfer, a charge never agreed to, a refund parked in review or refused as 'damage by the user', a",
              "counterfeit from a flagship store, a claim taken back ('说好的…不认了') all missed. Fixed with general",
              "rules: a comparison with what is absent (没有 / 不像 / 不是 …那种 / 那样 right before the match), a fear",
              "(担心的, 担心会, 害怕会, 生怕), a colleague's word heard (听同事说, 听朋友说), 不然 / 否则 as conditions, a",
              "match that is itself a refusal (不给退, 没到账) undone only by a negation at most two characters before",
              "it, 再没出过 / 一个没遇到 as no report, and the missing wording above. Tuned: P 0.934 / R 0.944, held",
              "there by its test; no other set moves. Still wrong: a problem told as fixed in another clause",
              "('之前刹车异响…现在一点声音都没了'), a friend's problem, sarcasm ('准时在预计时间后一个半小时',",
              "'态度真是“好”啊'), a merchant blaming the customer ('说可能是我们自己掉的'). On the real reviews 37 of",
              "64,760 change: 27 rightly (a scratched screen or body, 不给退 / 不能退 after a condition, 洗发水流了一箱子,",
              "a fake from a 旗舰店, a comparison or 不然 that says the problem is absent, a coupon that 用不了 is no",
              "defect), 3 wrongly ('要不装上不能用' and '以前买的网卡不能用了' as 质量问题, '像没熟' as 食品安全), and 7",
              "arguably (a shill suspected in a question, '都是托儿吗'; four negative reviews whose feared '担心会烧坏'",
              "no longer counts). The labelled real-review samples do not move.",
              "Set 23, the eighth written blind, holds survey and NPS verbatims, telecom, travel, subscription and",
              "gym complaints, delivery complaints typed in a hurry (spaces for commas, typos such as 以送达), and car",
              "owners' group posts, a third reporting nothing. First pass P 0.788 / R 0.744, after the set-22 rules:",
              "no better than set 22's. Misses: a negation reaching across a space into the next fragment ('根本没收到",
              "骑手电话关机'), an auto-renewal that 不提醒 (the 不 read as negating the charge), refunds 不支持 or",
              "一分不退, a deposit 还没退回来, a withdrawal 一直显示银行处理中, an owner who ran off with prepaid cards",
              "(老板跑路), a transfer after which 人就拉黑了, free then billed, a drink spilled in the bag, a merchant",
              "who hangs up or blames the customer, fruit rotten when cut open, a lagging reversing camera. False",
              "alarms: a fear or a guess ('担心保温杯会漏水', '怕被乱扣钱', '备注说可能会超时'), an online crowd's word",
              "('群里有人说'), a delayed flight read as 物流延误. Fixed with general rules: a space ends a negation's",
              "reach as a comma does, a fear (担心 / 害怕 …会, 怕被) and a guess (可能会) and 群里 / 网上有人说 count",
              "as hypotheticals, 已/以 is a homophone pair, and the wording above. Tuned: P 0.884 / R 0.933, held",
              "there by its test; set 22 gains one (P 0.935 / R 0.956), no other set moves. Tried and dropped: 改/该",
              "as a homophone pair ('该差评时绝不手软' read as 诱导好评), 直接挂 alone (a customer hanging up on a",
              "scammer), 压扁了 alone (a squashed box is no defect). Still wrong: someone else's problem ('朋友说他家的",
              "车…我的暂时没遇到'), a problem told as fixed ('已经在店里修好了，今年雨季一滴没进'), questions to a forum",
              "('有没有车友知道…衰减到80%'; set 15 shows most such questions also report), a refund refused across",
              "an exclusion ('钱扣了对方没收到'). On the real reviews 39 of 64,760 change, nearly all rightly: 23 coffee",
              "or drink spills as 漏水 (as 汤洒了 already was), and the space rule's catches ('质量不错 物流有点慢' is",
              "a slow-delivery mention, '一点保障也没有 客服也不理人', '不熟的 磕伤的'); one Apple phone ('苹果坏了')",
              "now reads as fruit, since the space stops '如果三星 苹果坏了' from reading as a condition. The",
              "labelled real-review samples' figures do not move.",
              "Set 24, the ninth written blind, moves into domains the earlier sets touched lightly: bank, card,",
              "loan and insurance customers (regulator complaints among them), parents on formula, toys, car seats",
              "and tutoring, appliance installation and renovation, and comment threads under news and brand posts",
              "where most commenters discuss others' problems. First pass P 0.731 / R 0.500, the lowest since set",
              "16: finance and home wording was largely missing (annual fees charged after 终身免年费, interest",
              "照样收 after early repayment, an ATM that 一张没吐, 销售误导 and 保本 products, 犹豫期 surrenders,",
              "installers who 张口要 fees for a 免费安装, 甲荃 for 甲醛, a back cover 鼓起来), a customer quoting the",
              "company's template ('就会复制粘贴“请您耐心等待”') silenced the whole sentence as a notice, and news",
              "of a problem ('地暖漏水的新闻') or what everyone says ('大家都说') read as reports. Fixed with general",
              "rules: a `not_reports` phrase right after an opening quote is quoted back, not a notice; a match",
              "followed by 的新闻 / 报道 / 传闻 is news; 大家 / 评论 / 网上都说 and 看到有人说 are hearsay; 客/课 and",
              "醛/荃 are homophone pairs; and the missing wording. Tuned: P 0.872 / R 0.837, held there by its test.",
              "Tried and dropped: any 收了 or 扣了 next to a fee (an installer's named 材料费 is no complaint: 6 real",
              "reviews), 配件少了 as a defect (a thin bundle), 模板 as fake reviews (a shopper's own review template),",
              "客服只会说 (set 1 reads it as no service complaint). Still wrong: commenters' others' problems and",
              "rumours ('我朋友说他家那台刹车也响，不知真假'), problems told as fixed or as the writer's own mistake,",
              "an ad claim quoted back that an exclusion takes for the ad itself ('说好的零甲醛呢' silences 异味).",
              "Of the other sets only set 22 moves: one false 服务态度差 more ('旺旺也找不到人' where the shop vanished",
              "with the money). On the real reviews 18 of 64,760 change, all rightly or arguably so (打电话不接,",
              "找不到人, 骂骂咧咧, 就不理我了, 只会回复 as service complaints, 往外漏, burnt chicken's 焦糊味 as 异味;",
              "'大家都说送的慢…超级快就送到了' and '虚惊一场' as no report).",
              "Set 25, the tenth written blind: resale platforms (fake payment screenshots, 'clean history' claims",
              "that were not, a buyer who swapped the item), renters and property management (leaks from upstairs,",
              "deposits withheld, fees on bills), pet food, supplements and cosmetics, and e-bikes, phones and used",
              "EVs, a third reporting nothing. First pass P 0.709 / R 0.554: again new domains' wording was",
              "missing ('截图是P的', '无拆无修…屏幕是后换的', 调表车, 押金 withheld, '瓶盖没拧紧', '只有机器人',",
              "'冻干里面夹着…塑料绳', a scooter's '二十五公里就报低电量', 古包 for 鼓包), a 漏水 exclusion meant for",
              "ads (防水) silenced '屋顶防水要动维修基金' beside a real leak, and '七千多收了个二手LV' read as 多收了.",
              "Fixed with general rules: 防水 as an exclusion only in its ad forms (防水等级, 防水性能, 可以防水 …),",
              "'N千多收了' is no overcharge, 会不会 is a question, 好多人说 / 很多人说 is hearsay, 怕买到 / 怕有 is a",
              "fear, 鼓/股/古 a homophone group, and the wording above. Tuned: P 0.825 / R 0.842, held there by its",
              "test; no other set moves. Tried and dropped: 被调包 / 调包了 as a scam (3 of 3 real reviews only",
              "suspect a swap, '不知道是不是正品，或者被调包了'), 离过期还远 as an exclusion (set 18's '拆开表面长了",
              "一层白毛…离过期还远着呢' reports spoiled food), 装死 as a service complaint (sets 10's labels read",
              "'商家装死不退' without one). Still wrong: problems told as fixed (four texts), others' problems (three),",
              "a task scam's blocked withdrawal, which the labels of set 9 read as 刷单 alone and this author as",
              "诈骗 and 转账失败 too, and spoiled pet food whose smell the 食品安全 override removes from 异味. On the",
              "real reviews 23 of 64,760 change: 14 bottles whose cap was left loose and a spilled soup as 漏水, three",
              "hairs or bugs stuck to food as 食品安全 (and one hair on a cosmetic's label, wrongly), '照片和实物完全",
              "两回事' three times as 虚假宣传, '只有机器人客服' as a service complaint, and two fears ('怕买到假货')",
              "and one '很多人说' losing 质量问题 (that one wrongly: the writer had the itch too). Of the labelled",
              "real-review samples the first's held-out half gains one report (P 0.837 -> 0.839, R 0.469 -> 0.473).",
              "Sets 26 and 27, the eleventh and twelfth written blind, each a third reporting nothing: car",
              "after-sales and charging, groceries and group-buying, mobile wallets and payment codes, games and",
              "subscriptions (26); older customers and their children, merchants on platforms and couriers,",
              "restaurants and vouchers, cross-border shopping (27). First pass P 0.788 / R 0.584 and P 0.738 /",
              "R 0.516: new domains' wording again (过保质期, 哈喇, a swapped 收款码, a membership charging month",
              "after month, held at customs, 玩文字游戏, '一句…就挂了'), and four readings the matcher lacked. Fixed",
              "with general rules: a past problem told as fixed in the rest of its sentence ('之前车机卡顿那个毛病，",
              "这次推送的新版本已经修好了') reports nothing, unless the fix is doubted before or after it ('说已经",
              "处理好了，结果…又吱吱叫'); 时不时 / 不时 and 未成年 are no negations ('车机还时不时黑屏重启'); 就怕 and",
              "最怕 are fears (a 就 inside the hypothetical word no longer closes it); any 有人说 is hearsay ('看外卖",
              "平台有人说这家后厨脏'); '是不是有…？' asks; a voucher's expiry (券过期, 过期不可退) is no food",
              "complaint; a claim (说是, 宣传说, 号称, 写着 …) then 到手 / 才发现是 / 明明是 … within 30 characters is",
              "虚假宣传 (not after 结果: '说是次日达结果等了五天' is lateness). Tuned: set 26 P 0.909 / R 0.787, set 27",
              "P 0.864 / R 0.753, held there by their tests; set 24 gains one ('有人说这牌子电池会自燃，真的假的？'",
              "reports nothing: P 0.872 -> 0.882) and set 19 one (详情页写着…到手…明明是三级: R 0.932 -> 0.943), no",
              "other set moves. All 27 sets together now stand at P 0.946 / R 0.945, below the 0.95 the 25 before reached.",
              "Still wrong: figures told as the complaint ('价签写9块9，付款页面跳的是19.9'), a second mention of",
              "a fixed problem inside the fix ('已经把多扣的钱退回卡里了'), others' stories told in another clause",
              "('群里有个姐妹说…付完款人就消失了'), offers received and refused, return fraud, and labels that",
              "differ between authors (a stalled refund as 转账失败 too, a spoiled food's smell). On the real reviews",
              "43 of 64,760 change (42 gain a category, one loses one), nearly all rightly: 时不时 / 不时 自动关机 or",
              "死机 as 质量问题 (four), 玩文字游戏 as 虚假宣传 (eight), a promised time or date then 才到 / 没送 as late",
              "(fifteen), soup or a bottle 全漏在 / 全漏到 as 漏水 (three), '充满电…就没电了' as a battery failure",
              "(three), '打发人' as a service complaint (two), a claim then 到手 (five: '号称每个苹果都在170克以上…拿到手",
              "最多120克'), and '就怕…抓坏了' losing 质量问题; wrongly, a promised gift 'not sent' read as late, a",
              "warranty's terms called 玩文字游戏 and '说是在备货…明明是不同款式' read as 虚假宣传. The labelled",
              "real-review samples do not move.",
              "Sets 28 and 29, the thirteenth and fourteenth written blind, each a third reporting nothing:",
              "ride-hailing, rentals, tolls and driving schools, prepaid memberships and home services, live-stream",
              "shopping, pinyin initials, filter dodges and traditional characters (28); shop owners as banking",
              "customers, fuel and hybrid cars, supermarkets and fresh-food apps, problems told through what the writer",
              "did, a number, a timeline or a quoted exchange (29). First pass P 0.839 / R 0.635 and P 0.750 / R 0.562.",
              "Fixed with general rules: a yes-or-no question asked both ways ('不知道能不能退', '有没有') reports",
              "nothing, unless 还 leads it ('还发不发货了' complains) or its first half ends a word ('功能不能用');",
              "没几天 / 没多久 / 没两天 tell when and negate nothing ('付了定金，没几天那个号注销了'); hearsay also",
              "opens with 都说 at a clause's start, 看到网上说, 网上讲 / 网上传, or 听 a bystander (同事, 邻居, 大姐,",
              "阿姨 …) 说, but not with 网上说 alone ('网上说刷单一单返佣金，做了两单…' is the writer's own scam) nor",
              "with 听 anyone 说 ('听4S店的人说是电池问题' is the writer's own car); 本来担心 / 原本担心 is a fear;",
              "'是不是都 / 容易…？' asks; 上个月, 上周 and 去年 mark a past problem, 流畅多了, 都好了 and 味都没了",
              "tell it fixed. Words: a claim then 却是 / 其实是 / 开通后, a promise made 拍胸脯 then 实际 / 去了,",
              "'全网最低' then cheaper elsewhere, a net weight then 不到, no fees promised then a fee, a quoted price",
              "then more taken, 自动划走, top marks asked for ('回访一定要打10分', '拿手机让我扫码打五星'), sales or",
              "reviews called made up (销量水分大, '全是同一天发的'), a phishing text message ('短信说ETC已失效…点进",
              "链接'), prepaid and the shop gone (人去楼空), money moved then 钱全没了 / 号注销了, days on the road",
              "('在路上走了六天'), a rider's dot that never moved, a fuel car's brochure consumption then 实际, a range",
              "then 红灯报警, charged all night then 才到 / 还是0%, drips under a fitting, '一股…臭', a tyre's bulge,",
              "不给保修, squashed fruit (压烂) as 质量问题 rather than 食品安全 (as the labelling guide says), a status",
              "stuck at 已拒绝 / 商家处理中, 头都没抬, 摔摔打打, 全是忙音. Tuned: set 28 P 0.986 / R 0.986, set 29",
              "P 0.960 / R 0.900, held there by its test; set 24 gains one ('都说这家银行年费乱收，我这张卡用了五年",
              "一直免' reports nothing: P 0.882 -> 0.891) and set 25 one ('上周反映的货款提现一直不到账，今天客服…",
              "处理好了' reports nothing), no other set moves; all 29 sets together P 0.949 / R 0.945. Then, from",
              "what sets 24-27 still missed, more general readings: a repair after 又 ('换了片又调了一下') no longer",
              "doubts a fix, and 正常了, 追回来了 and 声都没了 tell one; 担心有 is a fear and 隔壁…说 hearsay; nothing",
              "delivered yet the money taken ('充电失败，钱倒扣了45', '钻石没到账，扣款记录倒是清清楚楚') is 扣款异常,",
              "and so is a seller's deposit docked (扣了…保证金) or a fine 罚得莫名其妙; paid, then deleted as a",
              "contact however long after, is 诈骗; a refund promised (原路退回, 工作日退) then nothing, only half",
              "refunded (只给退一半), or a request left 已读不回 is 拒绝退款; a page's claim then what the front desk",
              "says (到前台说) is 虚假宣传; a batch number the brand's site does not know, a melon 裂成两半 and",
              "'根本没法用' are 质量问题. Set 24 P 0.891 -> 0.921, set 25 0.833 / 0.842 -> 0.843 / 0.851, set 26",
              "0.909 / 0.787 -> 0.916 / 0.854, set 27 0.864 / 0.753 -> 0.875 / 0.828 (these are fits to seen sets),",
              "set 29 P 0.960 -> 0.973, no other set moves; two more real reviews change, both rightly ('根本没法用'",
              "after a phone's memory complaint, '当时担心有坏点' losing 质量问题). All 29 sets together: P 0.951 /",
              "R 0.951, the 0.95 target on both.",
              "Sets 30 and 31, the fifteenth and sixteenth written blind (after the rules above): air and rail travel,",
              "hotels and booking apps, pharmacies, clinics and insurance claims, appliance installers and smart homes,",
              "parents (30); two-to-twelve-character reviews, mixed verdicts, numbered and formal complaints to",
              "regulators, and writers who are not the customer (31). First pass P 0.846 / R 0.518 and P 0.793 /",
              "R 0.793: on a new domain the words are still what is missing, while the short, mixed and structured",
              "forms of set 31 were read better. Fixed with general rules: a mistaken belief (以为, unless 结果 / 却 /",
              "才发现 follows in its clause, and not 本以为, whose complaint follows) reports nothing ('开始还以为耳机坏",
              "了，原来是没插紧'); '会…吗' asks ('装了会漏水吗', but '怎么会漏水' complains); 本来怕 is a fear; 那个",
              "marks a past problem ('车机那个死机的毛病升级完好了') and 干干爽爽 / 完好了 tell it fixed; '钱扣了' no",
              "longer keeps a stuck transfer from 转账失败 ('跨行转账钱扣了对方没收到'). Words: 对不上 after a picture or",
              "a page, a claim then 到了是 / 买回来才发现 / 一数才, sold as 正品 and received as 高仿, a page's price",
              "or an agreed package then 多出 / 另收, failed yet 钱照扣, a speck in milk powder, 电话关机, 无人回复,",
              "就没下文了, 就装死, only an emoji for an answer, '批号…查不到', a tooth or part loose soon (就松了), 就跳闸,",
              "断成两截, 一次都没遇到 / 一次没卡过 as nobody's report, a withdrawn complaint (撤销投诉) and a",
              "suspicion cleared (经核实无误). Tuned: set 30 P 0.961 / R 0.871, set 31 P 0.929 / R 0.963; sets 21,",
              "22, 24, 25 and 26 gain one report each ('还没tui款', '问三遍回一句', '就会复制粘贴', '就装死',",
              "'推三阻四') and set 23 three (a stuck transfer, '打骑手电话也布接', '客服就回了个表情包'); no set",
              "loses one. All 31 sets together: P 0.951 /",
              "R 0.952. On the real reviews 26 of 64,760 change against the lexicon before sets 30-31 (10 gain a",
              "category, 16 lose one): mistaken beliefs lose theirs, nearly all rightly ('以为是电池不行了，后来换了一",
              "块新的，还是那样', '还以为坏了后来才知是水压不够', '满以为会超过期望' no longer a food expiry), "
              "'电话关机' and",
              "'无人回复' as unreachable service (six, one wrongly: a shop's excuse that the customer's phone was off),",
              "'对不上' after a picture as 虚假宣传 (two), '推来推去' over a refund; doubtful: '我以为我买了假货…感觉自",
              "己上当了' loses 质量问题.",
              "Sets 32 and 33, the seventeenth and eighteenth written blind (after the rules above): car repairs,",
              "insurance, tyres and fuel stations, furniture and movers, credit and loan apps, utility bills (32);",
              "short-video comment sections, polite formal messages, voice messages as speech recognition writes them,",
              "shop Q&A threads (33). First pass P 0.764 / R 0.538 and P 0.829 / R 0.753: new domains' words again",
              "(a prepaid meter, 默认勾了 insurance, a debt collector calling one's contacts), and the Q&A threads,",
              "where the old reading matched the question and got the answer's label by luck. Fixed with general",
              "rules: in a shop's Q&A the question ('问：…？') reports nothing unless the answer right after it",
              "says yes ('答：有的，…', '会，…'); 怕 opening its clause, 最担心 and '要真有人…' are fears; 都在说 is",
              "hearsay; 上月 marks a past problem and 快多了, 完全消失, 收到退款, 换了新的, '味儿都没有了' tell it fixed;",
              "speech recognition's 杀车 and 车级 are homophones of 刹车 and 车机 (words of three or more",
              "characters). Words: a claimed range then a winter run within 24 characters, '与宣传的…差距较大',",
              "a head unit 黑着 until a restart, 打八折 for a review, a prepaid shop 就关门了 / 变空号, paid then",
              "'微信拉黑' or '就关机了', promised in days and waited weeks, drips from above (往我家滴, 往头上滴), 煤气味,",
              "编码…查不到, 撞凹, 凹进去一块, 不制冷, 磕破皮, '说我事儿多', calls to one's contacts, an automatic",
              "repayment that did not go through, money out but the bill 还是未还 or the gas card 没充上, 默认勾了,",
              "只刷过一次, 多掏了, a fixed price then 不加…不卸车, 说免息 then a fee every month, 每次停车都咯吱.",
              "Tuned: set 32 P 0.920 / R 0.885, set 33 P 0.973 / R 0.948; set 18 loses two wrong reports read in",
              "questions (a lost parcel, a fake agent asked about: P 0.976 -> 1.000) and keeps two right ones it had",
              "matched inside the question, now read in their answers ('纸面数据', '满电也就跑'; '拉进群做任务'); set 25",
              "loses a wrong 异味 ('怕新房有甲醛…'). All 33 sets together: P 0.952 / R 0.9498, a hair under the",
              "target on recall. On the real reviews 6 of 64,760 change against the lexicon before sets 32-33: four",
              "fears lose their category ('怕拉肚子没吃', '怕弄坏了买了个保护套', '怕是雪花屏', '怕出假货才选的自营'),",
              "one child's magazine review loses a wrong 质量问题, and fruit 撞凹 gains one. Matching time, same",
              "method as above against the lexicon and code before sets 32-33: +1.6% (the Q&A check first looks for",
              "问 in the text; without that it cost 6%). Still wrong",
              "in set 29: a fuel figure told without a claim word ('销售说这车亏电油耗4个多，…平均7.9'), a range told as",
              "arithmetic across a negated clause ('空调都没开'), a fix told after 又 ('换了滤芯又洗了蒸发箱，现在一点",
              "味都没了': 又 reads as doubt), and second labels one author adds and others do not (异味 with spoiled meat,",
              "质量问题 with a swollen power bank). On the real reviews 37 of 64,760 change (20 gain a category, 16 lose",
              "one, one swaps 食品安全 for 质量问题). The losses are questions asked both ways ('不知道能不能退',",
              "'给不给换', '能不能用心一点'), two of them wrongly (a stalled return: '到现在还没告诉我能不能退'; a",
              "refusal told in other words after '问能不能退'). The gains: 写的是… 却是 / 其实是 (seven: '套餐里写的是",
              "姜枣茶，送来的却是豆浆'), squashed food or fruit (挤烂, 压烂) as 质量问题, '一股恶臭' and '一股臭脚味' as",
              "异味, '路上走了4天' as late, '充了半天还是0%' as a battery failure, '买来没多久经常卡死' as 质量问题",
              "(没多久 no longer negates), '不给保修' after a screen fault; wrongly, a novel's quoted line ('到头来",
              "却是一生') as 虚假宣传. The labelled real-review samples: one text loses a wrong 质量问题 ('外观看来",
              "不错，不过能不能用，等我试试吧').",
              "Sets 34-36, the nineteenth to twenty-first written blind: e-bikes, chargers and charging piles, mobile",
              "carriers, games and digital goods, follow-up reviews (34); cross-border shopping, jewellery, watches and",
              "eyewear, cakes, flowers and community group-buying, pros-and-cons reviews (35); farm supplies, new homes",
              "and renovation, office and merchant buyers, retold chat screenshots (36). First pass P 0.907 / R 0.653,",
              "P 0.765 / R 0.481, P 0.862 / R 0.610: all three together P 0.847 / R 0.580, as low as every round",
              "since set 16. They were not tuned on: they are the blind test of the category model that now reads",
              "beside the lexicon (\"Text: learned categories\": with it, P 0.850 / R 0.643 on the same texts), and",
              "the tests hold them at their first pass. The all-sets row above includes them; the row under it is the",
              "sets the lexicon was tuned on.",
              "Tried and not shipped, a learned fallback: one character 1-3-gram logistic model per category, trained",
              "on the sets written before set 9 (or 10), found categories the first-pass lexicon missed: with it, first-",
              "pass recall rose from 0.73 to 0.85 on set 9 and from 0.74 to 0.82 on set 10, at precision 0.89-0.93",
              "(threshold 0.5). On the real reviews, though, much of what it added named the wrong category (taste",
              "complaints as 食品安全, '超级美味' as 异味, a phone's 死机 as 车机卡顿), which would feed the wrong rules.",
              "What it rightly caught there showed wording the lexicon lacked, now added: hours or days before it",
              "came ('2个多小时才到', not '用了几天才来评价'), 小强 in food, a picture far from the item (相差太大),",
              "客服很差劲, clothes faded or torn after a wash or when worn, 花屏, clothes that smell sour, a device",
              "that froze soon after purchase ('用了2天就死机'), a clock time before it came ('一点三十才到'), paper",
              "or a receipt in the food, 哈喇味. Three phrasings added after sets 9-10 and the real reviews also match",
              "phrasings of the scenario generator (哈喇味 for 异味, a distance and then 就没电 for 续航虚标, a picture",
              "far from the item for 虚假宣传); with these last additions the scenario gained one false alert on seeds 7",
              "and 11 (a national 质量问题 cluster at 5 am that one '经常死机' tipped over the threshold, a regional 异味",
              "cluster) and seed 7's 质量问题 河南 incident was detected 6.7 min later.", "",
              "Per category, all sets together:", "", "| category | P | R | TP | FP | FN |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, (tp, fp, fn) in per_category.items():
        lines.append(f"| {name} | {ratio(tp, tp + fp)} | {ratio(tp, tp + fn)} | {tp} | {fp} | {fn} |")
    if all_wrong:
        lines += ["", "Still wrong:", ""] + [f"- {item}" for item in all_wrong]
    lines += ["", *in_the_wild(lexicon)]
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "test_text_masking.py")],
        capture_output=True, text=True, cwd=ROOT,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr.strip()[-200:]
    lines += [
        "",
        "Masking: `pytest tests/test_text_masking.py` (hypothesis: 200-400 generated numbers per property, "
        "embedded in Chinese text: mobile (+86, spaces, dashes, full-width), landline, ID card, bank card "
        "(Luhn-valid or mistyped), any 11-19 digit run in Arabic, full-width or Chinese numerals grouped by "
        "any one separator, phones spelled 一三八/幺/壹贰叁/①③⑧, 7-8 digits after a contact word, e-mail with "
        "spaced, full-width, (at) or # for @, licence plates with or without digits, suffixed, spaced or "
        "traditional; the number must not survive, the readable mask must be there): "
        f"**{summary}** ({time.perf_counter() - started:.0f}s).",
    ]
    body = "\n".join(lines)
    publish("Text: lexicon and masking", body, write=not args.no_write)
    return 0 if result.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
