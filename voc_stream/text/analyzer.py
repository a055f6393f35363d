"""One entry point for what the pipeline needs to know about a piece of text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from voc_stream.text.category_model import OFF as CATEGORY_MODEL_OFF
from voc_stream.text.batch_scoring import BatchScorer
from voc_stream.text.category_model import CategoryModel
from voc_stream.text.features import feature_set
from voc_stream.text.lexicon import Lexicon, load_lexicon
from voc_stream.text.masking import mask_personal_data
from voc_stream.text.normalize import normalize_text, to_simplified
from voc_stream.text.segment import Segmenter, is_word
from voc_stream.text.sentiment import SentimentModel

LEXICON_FILE = "lexicons.yaml"
USERDICT_FILE = "userdict.txt"
# The category model reads only texts whose sentiment is below this: a text read as clearly
# positive reports no problem the lexicon missed (on the labelled real reviews and blind
# phrasing sets the model's additions above it were praise: "续航挺实在的", "车机很流畅").
MODEL_BELOW_SENTIMENT = 0.7


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """The masked text and what was read from it."""

    text_masked: str
    tokens: list[str] = field(default_factory=list)
    sentiment: float = 0.5
    categories: list[str] = field(default_factory=list)
    learned: list[str] = field(default_factory=list)  # those of ``categories`` the category model added

    def to_dict(self) -> dict[str, object]:
        return {
            "text_masked": self.text_masked,
            "tokens": list(self.tokens),
            "sentiment": self.sentiment,
            "categories": list(self.categories),
            "learned_categories": list(self.learned),
        }


class TextAnalyzer:
    """Normalise, mask, segment, score and match, in that order.

    Masking comes first so that no later step (tokens, samples in alerts, logs)
    ever holds a phone or card number. Tokens are cut from the simplified form
    so that 剎車 and 刹车 count as one word. Categories are the lexicon's matches,
    plus what the category model reads where the lexicon had no word for a
    category (see ``category_model.py``); not in a text read as clearly positive.
    """

    def __init__(
        self,
        lexicon: Lexicon,
        segmenter: Segmenter,
        sentiment: SentimentModel,
        category_model: CategoryModel | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.segmenter = segmenter
        self.sentiment = sentiment
        self.category_model = category_model
        self._scorer = BatchScorer(sentiment, category_model)
        # Lexicon order; a category the model knows but the lexicon no longer has is not read.
        self._order = {category.name: index for index, category in enumerate(lexicon.categories)}

    @classmethod
    def from_config(
        cls, config_dir: Path, model_path: Path | None = None, category_model: Path | str | None = None
    ) -> TextAnalyzer:
        """Reads ``lexicons.yaml`` and ``userdict.txt`` from ``config_dir``; the shipped models by default.

        ``category_model``: a model file, or ``"off"`` for the lexicon alone.
        """
        config_dir = Path(config_dir)
        return cls(
            lexicon=load_lexicon(config_dir / LEXICON_FILE),
            segmenter=Segmenter.from_userdict(config_dir / USERDICT_FILE),
            sentiment=SentimentModel.load(model_path),
            category_model=load_category_model(category_model),
        )

    def analyze(self, text: str) -> TextAnalysis:
        return self.analyze_many([text])[0]

    def analyze_many(self, texts: Sequence[str]) -> list[TextAnalysis]:
        """Analyse a batch: text by text up to the features, then both models over the batch at once."""
        normalize, mask, simplify = normalize_text, mask_personal_data, to_simplified
        segment, match = self.segmenter.segment, self.lexicon.match_simplified
        read = []  # (masked, simplified, words, lexicon categories) per text
        feature_sets, token_lists = [], []
        for text in texts:
            masked = mask(normalize(text))
            simplified = simplify(masked)
            segments = segment(simplified)
            feature_sets.append(feature_set(segments))
            token_lists.append(segments)
            words = [t for t in segments if len(t) > 1 or t.isalnum() or is_word(t)]
            read.append((masked, simplified, words, match(simplified)))
        sentiments, proposals = self._scorer.score(feature_sets, token_lists, MODEL_BELOW_SENTIMENT)
        results = []
        for (masked, simplified, words, categories), sentiment, proposed in zip(read, sentiments, proposals):
            learned = self._learned(simplified, categories, proposed) if proposed else []
            if learned:
                categories = sorted([*categories, *learned], key=self._order.__getitem__)
            results.append(TextAnalysis(masked, words, sentiment, categories, learned))
        return results

    def _learned(self, simplified: str, matched: list[str], proposed: list[str]) -> list[str]:
        """What the model proposes, less what the lexicon matched or judged, and nothing in a notice."""
        new = [name for name in proposed if name not in matched and name in self._order]
        if not new:
            return []
        seen, notice = self.lexicon.words_seen(simplified)
        return [] if notice else [name for name in new if name not in seen]


def load_category_model(source: Path | str | None) -> CategoryModel | None:
    """The shipped category model (``None``), none (``"off"``), or the model file at ``source``."""
    if source is None:
        return CategoryModel.load()
    if str(source) == CATEGORY_MODEL_OFF:
        return None
    return CategoryModel.load(Path(source))
