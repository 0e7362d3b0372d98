"""Demo data: articles on the reserved host `demo.invalid` (the generator of such articles is a
benchmark tool, bench/demo_corpus.py, run by `manage.py generate_demo_corpus`)."""

from __future__ import annotations

DEMO_HOST = "demo.invalid"
DEMO_URL_PREFIX = f"https://{DEMO_HOST}/"


def is_demo_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(DEMO_URL_PREFIX)


def mark_demo_data() -> tuple[int, int]:
    """Flag as demo the articles on the demo host and the meetings only they report.

    The ingest knows nothing of demo data; the reserved host of the addresses is what marks
    it, so this is idempotent and can run after any ingest. Returns (articles, meetings) newly
    marked.
    """
    from meetings.models import Article, Meeting

    articles = Article.objects.filter(url__startswith=DEMO_URL_PREFIX, is_demo=False).update(
        is_demo=True
    )
    meetings = (
        Meeting.objects.filter(is_demo=False, articles__is_demo=True)
        .exclude(articles__is_demo=False)
        .distinct()
    )
    count = Meeting.objects.filter(pk__in=meetings.values("pk")).update(is_demo=True)
    return articles, count
