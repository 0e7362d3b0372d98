"""Search relevance on the dev corpus: the judged queries of ../shared/corpus/dev/relevance.jsonl.

Mean average precision must stay at or above 0.95 (`make bench` prints the same table).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings import relevance
from meetings.ingest import ingest_file, ingest_paths
from meetings.models import Article
from tests.conftest import SHARED

DEV = SHARED / "corpus" / "dev"
JUDGEMENTS = DEV / "relevance.jsonl"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not JUDGEMENTS.exists() or not (SHARED / "seeds").exists(),
        reason="needs ../shared/corpus/dev/relevance.jsonl and ../shared/seeds "
        "(not part of this repository)",
    ),
]


@pytest.fixture
def dev_corpus():
    """The 20 dev articles (with their gold addresses) and the two seeds they refer to."""
    from tests.test_ingest_corpus import dev_articles

    results = [ingest_file(path, url=url) for path, url in dev_articles()]
    results += ingest_paths([SHARED / "seeds"]).results
    assert not [r for r in results if r.status == "failed"]


def test_mean_average_precision_is_at_least_0_95(dev_corpus):
    results = relevance.judge(relevance.load(JUDGEMENTS))
    print(relevance.report(results))
    assert not [r.missing for r in results if r.missing]
    assert relevance.mean_average_precision(results) >= 0.95, relevance.report(results)


def test_ha_nam_finds_the_ha_nam_meeting_first(client, dev_corpus):
    ha_nam = Article.objects.get(source_name__startswith="06_duytien_hanam").meeting
    response = client.get(reverse("meetings:search"), {"q": "Hà Nam"})
    assert response.context["meetings"][0] == ha_nam
    # Typed without diacritics it is still found, among the meetings that say "năm".
    response = client.get(reverse("meetings:search"), {"q": "ha nam"})
    assert ha_nam in response.context["meetings"]


def test_da_nang_typed_with_diacritics_ignores_da_and_nang(client, dev_corpus):
    da_nang = {a.meeting_id for a in Article.objects.filter(source_name__regex=r"^1[01]_danang")}
    response = client.get(reverse("meetings:search"), {"q": "Đà Nẵng"})
    assert {m.pk for m in response.context["meetings"]} == da_nang
    folded = client.get(reverse("meetings:search"), {"q": "da nang"})
    assert len(folded.context["meetings"]) > len(da_nang)  # "đã nâng" folds alike


def test_a_province_named_is_offered_as_a_filter(client, dev_corpus):
    response = client.get(reverse("meetings:search"), {"q": "giao ban Hà Nam"})
    (province,) = response.context["provinces"]
    assert province.name == "Hà Nam"
    assert province.filter_url == "/meetings/?city=ha-nam&q=giao+ban"
    body = response.content.decode()
    assert 'id="g-provinces"' in body and province.filter_url.replace("&", "&amp;") in body
