"""Words some lexicon already knows, so an "emerging" term can be chosen that truly is new.

The lexicon's schema belongs to the analysis code; here every string found
anywhere in the YAML counts as known, which stays correct whatever the layout.
"""

from __future__ import annotations

from pathlib import Path

from voc_stream.config import read_yaml
from voc_stream.simulate.risk_phrases import RISK_CATEGORIES
from voc_stream.settings import default_config_dir


def default_lexicon_path() -> Path | None:
    path = default_config_dir() / "lexicons.yaml"
    return path if path.is_file() else None


def known_terms(lexicon_path: Path | None) -> frozenset[str]:
    """All strings in the lexicon file (plus the category names themselves)."""
    terms: set[str] = set(RISK_CATEGORIES)
    if lexicon_path is not None and Path(lexicon_path).is_file():
        _collect(read_yaml(Path(lexicon_path)), terms)
    return frozenset(term for term in terms if term)


def is_novel(term: str, known: frozenset[str]) -> bool:
    """True when no known word (of 2+ characters) is inside ``term`` and ``term`` is inside none."""
    return not any((len(word) >= 2 and word in term) or term in word for word in known)


def _collect(node: object, into: set[str]) -> None:
    if isinstance(node, str):
        into.add(node.strip())
    elif isinstance(node, dict):
        for key, value in node.items():
            _collect(key, into)
            _collect(value, into)
    elif isinstance(node, (list, tuple)):
        for item in node:
            _collect(item, into)
