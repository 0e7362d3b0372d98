"""The extraction score from fetched HTML pages is within 0.01 of the score from the text files.

Each gold article of the dev corpus (and the two seeds) is served under its own address (over
plain HTTP, by the local test site) wrapped in a portal page; fetch_articles fetches them all,
and the stored extractions are scored by ../shared/tools/score_extraction.py in-process, as
the same files read as text are.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
from urllib.parse import urlsplit

import pytest

from meetings.extraction import extract, read_article
from meetings.fetch.client import HttpClient
from meetings.fetch.run import Options, fetch
from meetings.fetch.urls import clean_url
from meetings.models import FetchedPage
from tests.conftest import SHARED
from tests.fetch_site import TestSite, portal_page

GOLD = SHARED / "corpus" / "dev" / "gold.jsonl"
SCORER = SHARED / "tools" / "score_extraction.py"
pytestmark = pytest.mark.skipif(
    not GOLD.is_file() or not SCORER.is_file(),
    reason="needs ../shared/corpus/dev/gold.jsonl and ../shared/tools/score_extraction.py",
)


def score(outputs: dict[str, dict | None]) -> tuple[float, str]:
    """The scorer's own comparison, fed with extractions made in this process."""
    spec = importlib.util.spec_from_file_location("score_extraction", SCORER)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)

    def run_extractor(cmd, path, url, timeout):
        out = outputs.get(path.resolve().name)
        return (out, None) if out is not None else (None, "no extraction")

    scorer.run_extractor = run_extractor
    buffer = io.StringIO()
    argv = ["score_extraction.py", str(GOLD)]
    with contextlib.redirect_stdout(buffer), _argv(argv):
        scorer.main()
    text = buffer.getvalue()
    return float(re.search(r"^score ([\d.]+)", text, re.M).group(1)), text


@contextlib.contextmanager
def _argv(argv):
    import sys

    saved = sys.argv
    sys.argv = argv
    try:
        yield
    finally:
        sys.argv = saved


@pytest.mark.django_db(transaction=True)
def test_score_from_fetched_html_is_within_001_of_the_text_files():
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    from_text, pages = {}, {}
    with TestSite() as site:
        for n, row in enumerate(rows):
            path = (GOLD.parent / row["path"]).resolve()
            text, file_url, published = read_article(path)
            from_text[path.name] = extract(text, url=row.get("url"), published=published).to_dict()
            original = row.get("url") or f"https://tin-tuc.test/bai-{n}.html"
            address = clean_url("http://" + original.split("://", 1)[1])  # served over HTTP
            parts = urlsplit(address)
            path_query = parts.path + (f"?{parts.query}" if parts.query else "")
            site.add(
                parts.hostname,
                path_query,
                portal_page(text, url=address, layout=n % 3, published=published),
                etag=f'"{n}"',
            )
            pages[address] = path.name
        client = HttpClient(user_agent="TestBot/1.0", connect_to=site.connect_to(), timeout=5)
        report = fetch(list(pages), options=Options(delay=0, retries=0), client=client)

    assert report.ok, report.failures
    from_html = {}
    for page in FetchedPage.objects.filter(url__in=pages).select_related("article"):
        assert page.outcome == "new", (page.url, page.reason)
        from_html[pages[page.url]] = page.article.extraction
    assert len(from_html) == len(rows)

    text_score, _ = score(from_text)
    html_score, details = score(from_html)
    print(f"score from the text files {text_score:.3f}, from the fetched pages {html_score:.3f}")
    assert abs(html_score - text_score) <= 0.01, details
