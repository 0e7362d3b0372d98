"""Article text → structured meeting record. Pure Python: imports nothing from Django.

from meetings.extraction import extract
article = extract(text, url=url, published="2023-10-24")
article.to_dict()   # the JSON contract; article.text is what evidence spans index
"""

from .pipeline import extract
from .reader import ExtractionInputError, read_article
from .result import (
    Directive,
    ExtractedArticle,
    Metric,
    Organization,
    Participant,
    Period,
    Span,
)

__all__ = [
    "Directive",
    "ExtractedArticle",
    "ExtractionInputError",
    "Metric",
    "Organization",
    "Participant",
    "Period",
    "Span",
    "extract",
    "read_article",
]
