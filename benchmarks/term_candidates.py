"""Which candidate terms the emerging-term rule keeps from a long post, and what they cost in keys.

A post holds more words and word pairs than the rule tracks per post
(``max_terms_per_event``). This puts one sentence naming a new term (the
scenario generator's new defects and scam scripts, in its own contexts) at a
random clause boundary of a real review, or of eight real reviews run together
as a stand-in for a call transcript (also with an agent's scripted turns between
them), and asks: is the key the rule tracks for
that term among the post's candidates? Side by side: the first N candidates in
reading order (the rule before it ranked them) and the N rarest (the rule now),
and every candidate with no cap. Then the distinct keys each keeps over a
background of real reviews, which is what the detector state grows with.
Writes the "Emerging terms: long posts" section of BENCHMARKS.md.

    python benchmarks/term_candidates.py [--samples 3000] [--no-write]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import ROOT, SHARED, publish  # noqa: E402

from voc_stream.enrich import EnrichedEvent  # noqa: E402
from voc_stream.rules.emerging_term import EmergingTerm  # noqa: E402
from voc_stream.rules.settings import load_rules  # noqa: E402
from voc_stream.service import load_components  # noqa: E402
from voc_stream.simulate.everyday_phrases import EMERGING_CONTEXTS, EMERGING_TERMS  # noqa: E402
from voc_stream.text.training import load_reviews  # noqa: E402

COMMAND = "python benchmarks/term_candidates.py"
CLAUSE_END = re.compile(r"[。！？!?，,；;~\s]+")
UNCAPPED = 10**6
#: An agent's scripted turns, for stand-in calls that have them.
AGENT_TURNS = (
    "您好，这里是客服中心，请问有什么可以帮您", "请您提供一下订单号和手机号", "好的，我这边帮您查询一下，请稍等",
    "非常抱歉给您带来不便", "您反映的问题我已经记录下来了", "我们会在二十四小时内给您回复", "请问还有其他问题吗",
    "感谢您的耐心等待", "我帮您转给专员处理", "请问您方便接听回访电话吗", "感谢您的来电，祝您生活愉快", "您说的情况我理解",
)
KINDS = {"review": "review", "transcript": "call transcript (8 reviews)",
         "call": "call transcript (8 reviews and an agent's turns)"}


def stand_in_call(rng: random.Random, texts: list[str], agent: bool) -> str:
    """Eight real reviews as the customer's turns, with an agent's scripted turn before each if ``agent``."""
    turns = []
    for text in rng.sample(texts, 8):
        if agent:
            turns.append("坐席：" + rng.choice(AGENT_TURNS))
        turns.append(("客户：" if agent else "") + text)
    return "。".join(turns)
Policy = Callable[[EnrichedEvent], list[str]]


def rule_with_cap(components, cap: int) -> EmergingTerm:
    settings = components.rules_config.emerging_term.model_copy(update={"max_terms_per_event": cap})
    return EmergingTerm(settings, components.context)


def policies(components, caps: list[int]) -> dict[str, Policy]:
    uncapped = rule_with_cap(components, UNCAPPED)
    out: dict[str, Policy] = {}
    for cap in caps:
        out[f"first {cap} in reading order"] = lambda e, cap=cap: uncapped.candidates(e)[:cap]
        out[f"{cap} rarest"] = rule_with_cap(components, cap).candidates
    out["all (no cap)"] = uncapped.candidates
    return out


def as_event(analyzer, text: str, negative: bool | None = None) -> EnrichedEvent:
    a = analyzer.analyze(text)
    neg = a.sentiment < 0.4 if negative is None else negative
    return EnrichedEvent(event_id="b", ts=0.0, ts_iso="", channel="hotline", visibility="private",
                         text_masked=a.text_masked, tokens=list(a.tokens), sentiment=0.1 if negative else a.sentiment,
                         negative=neg, categories=list(a.categories))


def term_key(analyzer, uncapped: EmergingTerm, term: str, sentence: str) -> str | None:
    """What the rule tracks for ``term`` in a short post: its longest candidate inside the term."""
    inside = [c for c in uncapped.candidates(as_event(analyzer, sentence, True)) if c in term and len(c) >= 3]
    return max(inside, key=len) if inside else None


def band(n: int, caps: list[int]) -> str:
    low = 0
    for cap in sorted(caps):
        if n <= cap:
            return f"{low + 1}-{cap}" if low else f"up to {cap}"
        low = cap
    return f"over {low}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=3000, help="inserted terms per kind of post")
    parser.add_argument("--background", type=int, default=20000, help="real reviews for the key count")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args()
    if not (SHARED / "datasets" / "chinese").is_dir():
        print(f"needs the shared review corpora at {SHARED / 'datasets' / 'chinese'}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    components = load_components(config_dir=ROOT / "config")
    analyzer = components.analyzer
    shipped = load_rules(ROOT / "config" / "rules.yaml").emerging_term.max_terms_per_event
    caps = sorted({32, 48, shipped})
    chosen = policies(components, caps)
    uncapped = rule_with_cap(components, UNCAPPED)
    texts = [r.text for r in load_reviews(SHARED)]
    rng = random.Random(7)

    found: dict[tuple[str, str], list[bool]] = {}
    dropped: Counter[str] = Counter()  # transcripts that lost the key under the shipped cap, per key
    tried: Counter[str] = Counter()
    for kind in KINDS:
        for _ in range(args.samples):
            business = rng.choice(sorted(EMERGING_TERMS))
            term = rng.choice(EMERGING_TERMS[business])
            sentence = rng.choice(EMERGING_CONTEXTS[business]).format(t=term, n=3, p="")
            key = term_key(analyzer, uncapped, term, sentence)
            if key is None:
                continue  # the lexicon already knows every part of it
            base = rng.choice(texts) if kind == "review" else stand_in_call(rng, texts, kind == "call")
            cut = rng.choice([0, *(m.end() for m in CLAUSE_END.finditer(base))])
            event = as_event(analyzer, base[:cut] + sentence + "。" + base[cut:], True)
            length = len(uncapped.candidates(event))
            group = f"review, {band(length, caps)} candidates" if kind == "review" else KINDS[kind]
            for name, policy in chosen.items():
                found.setdefault((group, name), []).append(key in policy(event))
            if kind != "review":
                tried[key] += 1
                dropped[key] += key not in chosen[f"{shipped} rarest"](event)

    order = [f"review, {band(n, caps)} candidates" for n in (*caps, UNCAPPED)] + [KINDS["transcript"], KINDS["call"]]
    groups = [g for g in order if (g, next(iter(chosen))) in found]
    header = "| post | posts | " + " | ".join(chosen) + " |"
    lines = [
        f"Command: `{COMMAND}` (shipped `max_terms_per_event`: {shipped}).",
        "",
        "Share of posts in which the key the rule tracks for an inserted new term is among the post's candidates:",
        "",
        header,
        "| --- | ---: |" + " ---: |" * len(chosen),
    ]
    for group in groups:
        n = len(found[(group, next(iter(chosen)))])
        cells = " | ".join(f"{sum(found[(group, name)]) / n:.3f}" for name in chosen)
        lines.append(f"| {group} | {n} | {cells} |")

    worst = sorted(tried, key=lambda k: -dropped[k] / tried[k])[:5]
    lines += ["", "Keys most often dropped from the stand-in transcripts at the shipped cap (share of their transcripts): "
              + ", ".join(f"{k} {dropped[k] / tried[k]:.2f}" for k in worst) + "."]

    background = [as_event(analyzer, t) for t in rng.sample(texts, min(args.background, len(texts)))]
    background += [as_event(analyzer, stand_in_call(rng, texts, False)) for _ in range(args.background // 10)]
    lines += ["", f"Distinct keys over a background of {args.background:,} real reviews and {args.background // 10:,} "
              "stand-in transcripts (each read as the pipeline reads it; praise is not searched):", "",
              "| candidates | distinct keys |", "| --- | ---: |"]
    for name, policy in chosen.items():
        keys: set[str] = set()
        for event in background:
            keys.update(policy(event))
        lines.append(f"| {name} | {len(keys):,} |")
    lines += [
        "",
        "The rule keeps a post's candidates whole up to the cap; past it, it keeps the rarest: each word's or word "
        "pair's log probability in jieba's dictionary counts (words counted under 10 times alike), lowest first. "
        "Everyday words and their pairs go first; they are everywhere and so never new anyway. Caveats: the "
        "stand-in transcripts are real reviews run together (there are no call transcripts in ../shared), in the "
        "last row with an agent's scripted turn (one of twelve service phrases) before each. The inserted terms are the "
        "scenario generator's, whose words are rare in general text; a new term made of everyday words ranks "
        "with them and is dropped as often as they are. The scenario benchmark (`python benchmarks/scenario.py`) "
        "measures what the change does to detection and state on a whole stream.",
        "",
        f"Run time {time.perf_counter() - started:.0f}s.",
    ]
    body = "\n".join(lines)
    publish("Emerging terms: long posts", body, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
