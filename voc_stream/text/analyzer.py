"""One entry point for what the pipeline needs to know about a piece of text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from voc_stream.text.lexicon import Lexicon, load_lexicon
from voc_stream.text.masking import mask_personal_data
from voc_stream.text.normalize import normalize_text, to_simplified
from voc_stream.text.segment import Segmenter, is_word
from voc_stream.text.sentiment import SentimentModel

LEXICON_FILE = "lexicons.yaml"
USERDICT_FILE = "userdict.txt"


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """The masked text and what was read from it."""

    text_masked: str
    tokens: list[str] = field(default_factory=list)
    sentiment: float = 0.5
    categories: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "text_masked": self.text_masked,
            "tokens": list(self.tokens),
            "sentiment": self.sentiment,
            "categories": list(self.categories),
        }


class TextAnalyzer:
    """Normalise, mask, segment, score and match, in that order.

    Masking comes first so that no later step (tokens, samples in alerts, logs)
    ever holds a phone or card number. Tokens are cut from the simplified form
    so that 剎車 and 刹车 count as one word.
    """

    def __init__(self, lexicon: Lexicon, segmenter: Segmenter, sentiment: SentimentModel) -> None:
        self.lexicon = lexicon
        self.segmenter = segmenter
        self.sentiment = sentiment

    @classmethod
    def from_config(cls, config_dir: Path, model_path: Path | None = None) -> TextAnalyzer:
        """Reads ``lexicons.yaml`` and ``userdict.txt`` from ``config_dir``; the shipped model by default."""
        config_dir = Path(config_dir)
        return cls(
            lexicon=load_lexicon(config_dir / LEXICON_FILE),
            segmenter=Segmenter.from_userdict(config_dir / USERDICT_FILE),
            sentiment=SentimentModel.load(model_path),
        )

    def analyze(self, text: str) -> TextAnalysis:
        masked = mask_personal_data(normalize_text(text))
        simplified = to_simplified(masked)
        segments = self.segmenter.segment(simplified)
        return TextAnalysis(
            text_masked=masked,
            tokens=[token for token in segments if is_word(token)],
            sentiment=self.sentiment.score(segments),
            categories=self.lexicon.match_simplified(simplified),
        )

    def analyze_many(self, texts: Sequence[str]) -> list[TextAnalysis]:
        """Bulk form of ``analyze``: attribute look-ups hoisted out of the loop."""
        normalize, mask, simplify = normalize_text, mask_personal_data, to_simplified
        segment, score, match = self.segmenter.segment, self.sentiment.score, self.lexicon.match_simplified
        results = []
        for text in texts:
            masked = mask(normalize(text))
            simplified = simplify(masked)
            segments = segment(simplified)
            words = [t for t in segments if len(t) > 1 or t.isalnum() or is_word(t)]
            results.append(TextAnalysis(masked, words, score(segments), match(simplified)))
        return results
