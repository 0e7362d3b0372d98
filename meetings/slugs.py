"""Slugs for URLs: diacritics folded (đ → d), so "Hà Nội" gives "ha-noi"."""

from django.utils.text import slugify

from meetings.extraction.text import fold


def make_slug(text: str, *, max_length: int = 80) -> str:
    """An ASCII slug of a Vietnamese text, never empty."""
    slug = slugify(fold(text))[:max_length].strip("-")
    return slug or "x"


def unique_slug(model, text: str, *, max_length: int = 80, exclude_pk=None) -> str:
    """make_slug, with -2, -3 … appended until no other row of `model` has it."""
    base = make_slug(text, max_length=max_length - 8)
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
