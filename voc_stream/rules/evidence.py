"""What an alert shows a person: a few distinct samples, the words that recur, the channel mix."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from voc_stream.compact_state import compact_state

MAX_SAMPLES = 5
#: Where a hit came from, coarse to fine: the subject keys another alert may be about.
PLACE_KEYS = ("region", "city", "store_id", "merchant_id")
#: Function words: never a new term, never one of an alert's top terms.
_STOP_TOKENS = frozenset(
    "的 了 是 我 你 他 她 它 们 在 有 和 就 都 也 很 又 还 这 那 个 吧 呢 啊 吗 呀 哦 嗯 么 着 过 被 把 给 让 "
    "一个 没有 不是 什么 怎么 这个 那个 就是 还是 而且 但是 因为 所以 已经 现在 自己 我们 他们 一直 真的 非常 "
    "今天 昨天 时候 感觉 觉得 可以 不能 还有 一下 这样 那么 如果 只是 然后 一样 这么 "
    # Degree words: "稍有点" surging in a day of "稍有点慢 / 稍有点咸" reviews is no new term.
    "稍 稍微 稍稍 略 略微 有点 有点儿 有些 一点 一点点 一些 比较 挺 蛮 太 超 特别 十分 相当 极其 更 更加 最 "
    "格外 过于 太过 好像 似乎 "
    # Interjections: laughter and sighs carry no topic ("哈哈哈,感觉被坑了").
    "哈 哈哈 哈哈哈 哈哈哈哈 呵呵 嘻嘻 嘿嘿 唉 哎 哎呀 哇 呜呜 嗯嗯 额 啦 哟".split()
)


@compact_state
@dataclass(slots=True)
class Evidence:
    """The parts of one hit event worth keeping for an alert."""

    ts: float
    event_id: str
    text: str
    channel: str
    customer: str | None
    source: str | None  # store or region behind the hit, for aggregate keys
    tokens: tuple[str, ...]
    place: tuple[str | None, ...] = ()  # the event's values of PLACE_KEYS


def _shingles(text: str, size: int = 3) -> set[str]:
    compact = "".join(text.split())
    if len(compact) <= size:
        return {compact}
    return {compact[i : i + size] for i in range(len(compact) - size + 1)}


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def pick_samples(items: list[Evidence], limit: int = MAX_SAMPLES, max_similarity: float = 0.6) -> list[str]:
    """Newest first, skipping near-duplicates (3-gram Jaccard), at most ``limit``."""
    chosen: list[tuple[str, set[str]]] = []
    for item in sorted(items, key=lambda e: e.ts, reverse=True):
        shingles = _shingles(item.text)
        if any(_jaccard(shingles, other) > max_similarity for _, other in chosen):
            continue
        chosen.append((item.text, shingles))
        if len(chosen) == limit:
            break
    return [text for text, _ in chosen]


def top_terms(items: list[Evidence], limit: int = 5) -> list[str]:
    """Tokens that recur across the evidence (each counted once per event)."""
    counts: Counter[str] = Counter()
    for item in items:
        # dict.fromkeys, not a set: first-seen order breaks ties the same way in every process.
        words = (t for t in item.tokens if len(t) >= 2 and t not in _STOP_TOKENS and not t.isdigit() and "*" not in t)
        counts.update(dict.fromkeys(words, 1))
    return [term for term, n in counts.most_common(limit) if n >= 2 or len(items) == 1]


def channel_mix(items: list[Evidence]) -> dict[str, int]:
    return dict(Counter(item.channel for item in items).most_common())


def distinct_customers(items: list[Evidence]) -> int:
    """Complainants: a customer id or author when known, else each event stands alone."""
    return len({item.customer or f"event:{item.event_id}" for item in items})


def source_spread(items: list[Evidence]) -> tuple[int, float]:
    """(distinct sources, largest share of one source) among the evidence."""
    counts = Counter(item.source or f"event:{item.event_id}" for item in items)
    if not counts:
        return 0, 0.0
    return len(counts), max(counts.values()) / sum(counts.values())


def top_source_count(items: list[Evidence]) -> int:
    """Hits of the one source (store, region) with the most of them; events without a source stand alone."""
    counts = Counter(item.source or f"event:{item.event_id}" for item in items)
    return max(counts.values(), default=0)


def top_place(items: list[Evidence], place_key: str) -> tuple[str | None, int]:
    """The value of ``place_key`` (one of PLACE_KEYS) holding the most hits, and how many it holds."""
    index = PLACE_KEYS.index(place_key)
    counts = Counter(item.place[index] for item in items if len(item.place) > index and item.place[index])
    if not counts:
        return None, 0
    return counts.most_common(1)[0]
