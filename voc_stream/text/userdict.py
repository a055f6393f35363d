"""The jieba domain dictionary (``userdict.txt``): one ``word [freq] [tag]`` per line.

jieba itself accepts almost anything and silently turns a typo into a strange
word; checking every line first turns it into an error naming the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from voc_stream.config import ConfigError

_TAG = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class DictEntry:
    word: str
    freq: int | None = None
    tag: str | None = None


def parse_userdict_line(line: str) -> DictEntry:
    """One line to an entry; ValueError says what is wrong with it."""
    parts = line.split()
    if not parts or len(parts) > 3:
        raise ValueError(f"expected 'word [freq] [tag]', got {line!r}")
    word, rest = parts[0], parts[1:]
    freq: int | None = None
    tag: str | None = None
    if rest and rest[0].isdigit():
        freq = int(rest.pop(0))
    if rest:
        tag = rest.pop(0)
        if not _TAG.match(tag):
            raise ValueError(f"tag must be lower-case letters (like n, nz, v), got {tag!r}")
    if rest:
        raise ValueError(f"frequency must be a non-negative integer, got {parts[1]!r}")
    return DictEntry(word, freq, tag)


def load_userdict(path: Path) -> list[DictEntry]:
    """Every entry of the file; blank lines and ``#`` comments are skipped."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()
    except FileNotFoundError:
        raise ConfigError(path, [("(file)", "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, [("(file)", f"not UTF-8: {exc.reason}")]) from None
    entries: list[DictEntry] = []
    problems: list[tuple[str, str]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            entries.append(parse_userdict_line(line))
        except ValueError as exc:
            problems.append((f"line {number}", str(exc)))
    if problems:
        raise ConfigError(path, problems)
    return entries
