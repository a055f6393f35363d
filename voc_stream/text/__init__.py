"""Chinese text understanding: masking, normalisation, tokens, sentiment and risk lexicons."""

from voc_stream.text.analyzer import TextAnalysis, TextAnalyzer
from voc_stream.text.lexicon import Category, Lexicon, load_lexicon
from voc_stream.text.masking import mask_personal_data
from voc_stream.text.normalize import normalize_text, to_simplified
from voc_stream.text.segment import Segmenter
from voc_stream.text.sentiment import SentimentModel
from voc_stream.text.userdict import load_userdict

__all__ = [
    "Category",
    "Lexicon",
    "Segmenter",
    "SentimentModel",
    "TextAnalysis",
    "TextAnalyzer",
    "load_lexicon",
    "load_userdict",
    "mask_personal_data",
    "normalize_text",
    "to_simplified",
]
