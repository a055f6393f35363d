"""Text normalisation shared by masking, matching and tokenisation.

Customers type on phones with full-width keyboards, paste text with odd spacing
and write in traditional characters; everything downstream works on one form.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_WHITESPACE = re.compile(r"\s+")
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")

# Full-width ASCII block (U+FF01..U+FF5E) maps onto U+0021..U+007E; U+3000 is the ideographic space.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALF_WIDTH[0x3000] = 0x20

# Characters that snownlp's table maps but that are also ordinary simplified characters
# (显著, 乾隆): converting them would change simplified text.
_AMBIGUOUS_TRADITIONAL = frozenset("著乾")


def normalize_text(text: str) -> str:
    """Full-width to half-width, every whitespace run to one space, trimmed."""
    if _FULL_WIDTH.search(text):
        # Most Chinese texts hold a full-width comma and nothing else full-width;
        # str.replace is several times cheaper than translate, which runs only if more is left.
        text = text.replace("\uff0c", ",")
        if _FULL_WIDTH.search(text):
            text = text.translate(_HALF_WIDTH)
    # Every whitespace character but the plain space is unprintable, so this finds what
    # needs rewriting (a run of spaces, a tab, a newline, a no-break space) without a regex.
    if "  " in text or not text.isprintable():
        text = _WHITESPACE.sub(" ", text)
    return text.strip()


# Customers write their own dialect, and it says with its own words what the lexicons say in
# Mandarin. Written Cantonese (Hong Kong and Guangdong): "冇异响" is "没异响", "唔肯退" is "不肯退",
# "俾人呃咗" is "被人骗了". Shanghai Wu: "呒没", "勿", "覅", "侪" (all), "搿只" (this), "推扳" (bad),
# "少脱了" (gone missing). South-Western (Sichuan, Chongqing): "莫得" and "没得" for 没有. North-
# Eastern: "贼拉" (very), "俩" (two). Only for matching: the text itself is left as the customer
# wrote it. Words first, then characters; 冇晒 ("all gone") becomes 耗光, not 没了, which would
# read as a negation of what follows.
_DIALECT_WORDS = (
    # Cantonese
    ("俾人", "被人"), ("呃人", "骗人"), ("呃钱", "骗钱"), ("人呃", "人骗"), ("碌卡", "刷卡"), ("碌咗", "刷了"),
    ("冇晒", "耗光"), ("执笠", "倒闭"), ("无啦啦", "莫名其妙"), ("入面", "里面"), ("食完", "吃完"), ("食咗", "吃了"),
    ("唔到", "不了"), ("唔返", "不回"), ("湿晒", "湿透"), ("入晒水", "进了水"), ("着唔", "打不"), ("著唔", "打不"),
    # Wu, South-Western and North-Eastern Mandarin
    ("呒没", "没有"), ("莫得", "没有"), ("没得", "没有"), ("推扳", "很差"), ("推板", "很差"), ("脱了", "掉了"),
    ("钞票", "钱"), ("贼拉", "很"),
)
_DIALECT_CHAR_MAP = {
    # Cantonese
    "冇": "没", "唔": "不", "咗": "了", "嘅": "的", "喺": "在", "啲": "些", "佢": "他", "哋": "们", "嚟": "来",
    "畀": "给", "俾": "给", "睇": "看", "揾": "找", "嘢": "东西", "乜": "什么", "咁": "这么", "嘈": "吵", "屙": "拉",
    # Wu and North-Eastern
    "呒": "没", "勿": "不", "覅": "不要", "侪": "都", "搿": "这", "俩": "两个",
}
_DIALECT_CHARS = str.maketrans(_DIALECT_CHAR_MAP)
# Found by a character Mandarin hardly writes, or else by the whole word (入面, 莫得): a
# common character alone (入, 得) would send most texts down the slow path.
_DIALECT_ONLY = "".join(_DIALECT_CHAR_MAP) + "呃碌笠"
_DIALECT = re.compile("|".join(
    ["[" + _DIALECT_ONLY + "]"]
    + [word for word, _ in _DIALECT_WORDS if not any(ch in _DIALECT_ONLY for ch in word)]
))


def fold_dialect(text: str) -> str:
    """Dialect words (in simplified characters) to their Mandarin equivalents, for matching."""
    if not _DIALECT.search(text):
        return text
    for word, mandarin in _DIALECT_WORDS:
        if word in text:
            text = text.replace(word, mandarin)
    return text.translate(_DIALECT_CHARS)


@lru_cache(maxsize=1)
def _simplified_table() -> tuple[re.Pattern[str], dict[int, str]]:
    """Built once from the shipped character table: a detector and a translation table."""
    raw = resources.files("voc_stream").joinpath("data", "traditional_to_simplified.tsv").read_text(encoding="utf-8")
    table = {}
    for line in raw.splitlines():
        if line and not line.startswith("#"):
            source, target = line.split("\t")
            if source not in _AMBIGUOUS_TRADITIONAL:
                table[ord(source)] = target
    detector = re.compile("[" + "".join(sorted(chr(code) for code in table)) + "]")
    return detector, table


def to_simplified(text: str) -> str:
    """Traditional characters to simplified, character by character (fast, no context)."""
    detector, table = _simplified_table()
    if detector.search(text):
        return text.translate(table)
    return text
