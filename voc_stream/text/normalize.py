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
