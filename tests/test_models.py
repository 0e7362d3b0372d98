"""Model constraints and small behaviours, on the real PostgreSQL."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from meetings.models import (
    Article,
    Directive,
    Meeting,
    Metric,
    Organization,
    Participation,
    PeriodKind,
    Person,
    Tombstone,
)
from meetings.slugs import make_slug, unique_slug

pytestmark = pytest.mark.django_db


def raises_integrity():
    return pytest.raises(IntegrityError)


def test_folded_names_are_filled_on_save(make_city):
    hanoi = make_city("Hà Nội")
    person = Person.objects.create(name="Đỗ  Anh Tuấn", slug="do-anh-tuan", city=hanoi)
    org = Organization.objects.create(name="Ủy ban MTTQ Việt Nam", slug="uy-ban", city=hanoi)
    assert hanoi.name_folded == "ha noi"
    assert person.name_folded == "do anh tuan"
    assert org.name_folded == "uy ban mttq viet nam"


def test_one_folding_for_every_stored_name(make_city):
    """Saved rows, ingest's bulk inserts (name_key) and provinces fold names alike."""
    from meetings.extraction.text import fold_name
    from meetings.ingest.resolve import name_key
    from meetings.models import City

    city = City.objects.create(name="Bà  Rịa - Vũng Tàu ", slug="brvt")
    person = Person.objects.create(name=" Bà  Rịa - Vũng Tàu", slug="p")
    assert city.name_folded == person.name_folded == "ba ria - vung tau"
    assert name_key("Bà Rịa -  Vũng Tàu") == fold_name("Bà Rịa - Vũng Tàu") == city.name_folded


def test_one_person_per_folded_name_and_city(make_city):
    hanoi, haiphong = make_city("Hà Nội"), make_city("Hải Phòng")
    Person.objects.create(name="Lê Trí Vũ", slug="a", city=hanoi)
    Person.objects.create(name="Lê Trí Vũ", slug="b", city=haiphong)  # another province
    with transaction.atomic(), raises_integrity():
        Person.objects.create(name="LÊ TRÍ VŨ", slug="c", city=hanoi)


def test_person_without_city_is_unique_too():
    Person.objects.create(name="Mai Quý", slug="a")
    with transaction.atomic(), raises_integrity():
        Person.objects.create(name="Mai Quý", slug="b")


def test_merged_person_frees_its_name(make_city):
    hanoi = make_city("Hà Nội")
    old = Person.objects.create(name="Vũ Hà", slug="a", city=hanoi)
    survivor = Person.objects.create(name="Vũ Thị Hà", slug="b", city=hanoi)
    old.merged_into = survivor
    old.save()
    Person.objects.create(name="Vũ Hà", slug="c", city=hanoi)


def test_directive_numbers_repeat_across_provinces_but_not_within(make_city):
    hanoi, haiphong = make_city("Hà Nội"), make_city("Hải Phòng")
    Directive.objects.create(kind="Chỉ thị", number="24-CT/TU", slug="a", city=hanoi)
    Directive.objects.create(kind="Chỉ thị", number="24-CT/TU", slug="b", city=haiphong)
    with transaction.atomic(), raises_integrity():
        Directive.objects.create(kind="Chỉ thị", number="24 - ct/tu", slug="c", city=hanoi)


def test_national_directive_is_unique_without_city():
    Directive.objects.create(kind="Quyết định", number="217-QĐ/TW", slug="a")
    with transaction.atomic(), raises_integrity():
        Directive.objects.create(kind="Quyết định", number="217-QĐ/TW", slug="b")


def test_one_participation_per_person_and_meeting(make_meeting, make_person):
    meeting, person = make_meeting(), make_person()
    Participation.objects.create(meeting=meeting, person=person, roles=["presiding"])
    with transaction.atomic(), raises_integrity():
        Participation.objects.create(meeting=meeting, person=person, roles=["speaking"])


def test_evidence_span_must_not_run_backwards(make_meeting, make_person):
    with transaction.atomic(), raises_integrity():
        Participation.objects.create(
            meeting=make_meeting(), person=make_person(), evidence_start=10, evidence_end=5
        )


def test_period_number_must_fit_its_kind(make_meeting):
    make_meeting(period_kind=PeriodKind.QUARTER, period_year=2023, period_number=3)
    with transaction.atomic(), raises_integrity():
        make_meeting(period_kind=PeriodKind.QUARTER, period_year=2023, period_number=5)
    with transaction.atomic(), raises_integrity():
        make_meeting(period_kind=PeriodKind.HALF, period_year=2024, period_number=3)


def test_held_until_not_before_held_on(make_meeting):
    with transaction.atomic(), raises_integrity():
        make_meeting(held_on=datetime.date(2023, 10, 23), held_until=datetime.date(2023, 10, 22))


def test_one_current_article_per_address():
    url = "https://thanhphohaiphong.gov.vn/hoi-nghi.html"
    Article.objects.create(url=url, text="a", sha256="1" * 64)
    Article.objects.create(url=url, text="b", sha256="2" * 64, is_current=False)
    Article.objects.create(url="", text="c", sha256="3" * 64)
    Article.objects.create(url="", text="d", sha256="4" * 64)  # no address: no constraint
    with transaction.atomic(), raises_integrity():
        Article.objects.create(url=url, text="e", sha256="5" * 64)
    with transaction.atomic(), raises_integrity():
        Article.objects.create(url="", text="same", sha256="1" * 64)


def test_metric_key_unique_per_meeting(make_meeting):
    meeting = make_meeting()
    Metric.objects.create(meeting=meeting, value=55_000_000_000, unit="VND", extraction_key="k")
    with transaction.atomic(), raises_integrity():
        Metric.objects.create(meeting=meeting, value=1, extraction_key="k")


def test_tombstone_unique(make_meeting):
    meeting = make_meeting()
    Tombstone.objects.create(meeting=meeting, kind="participation", key="vu ha")
    with transaction.atomic(), raises_integrity():
        Tombstone.objects.create(meeting=meeting, kind="participation", key="vu ha")


def test_period_labels(make_meeting):
    quarter = make_meeting(period_kind="quarter", period_year=2023, period_number=3)
    half = make_meeting(period_kind="half", period_year=2024, period_number=1)
    year = make_meeting(period_kind="year", period_year=2022)
    assert quarter.period_label == "Quý III/2023"
    assert half.period_label == "6 tháng đầu năm 2024"
    assert year.period_label == "Năm 2022"
    assert make_meeting().period_label == ""


def test_listing_order_newest_first_undated_last(make_meeting):
    old = make_meeting(held_on=datetime.date(2022, 12, 29))
    undated = make_meeting()
    new = make_meeting(held_on=datetime.date(2023, 10, 23))
    assert list(Meeting.objects.for_listing()) == [new, old, undated]


def test_correctable_lock_and_unlock(make_meeting):
    meeting = make_meeting()
    meeting.lock("city", "held_on")
    meeting.lock("city")
    assert meeting.corrected_fields == ["city", "held_on"]
    meeting.unlock("city")
    assert meeting.is_locked("held_on") and not meeting.is_locked("city")


def test_slugs_fold_vietnamese():
    assert make_slug("Đỗ Mạnh Hiến") == "do-manh-hien"
    assert make_slug("Hội nghị giao ban quý III/2023") == "hoi-nghi-giao-ban-quy-iii2023"
    assert make_slug("!!!") == "x"


def test_unique_slug_appends_a_number():
    Person.objects.create(name="Vũ Hà", slug="vu-ha")
    assert unique_slug(Person, "Vũ Hà") == "vu-ha-2"


def test_article_excerpt_shows_the_sentence():
    article = Article(text="Dòng một.\nĐồng chí Vũ Hà báo cáo.\nDòng ba.", sha256="x")
    start = article.text.index("Vũ Hà")
    assert article.excerpt(start, start + 5) == ("Đồng chí ", "Vũ Hà", " báo cáo.")
    assert article.excerpt(None, None) == ("", "", "")
    assert article.excerpt(5, 500) == ("", "", "")


@pytest.mark.django_db
def test_article_addresses_are_http_or_https_only(make_article):
    """A javascript: address was stored and shown as a link; only the CSP stopped it. The
    admin's form (the model's validator) and the database (a constraint) refuse it now."""
    from django.core.exceptions import ValidationError

    article = make_article(url="https://hanoi.gov.vn/a")
    for url in ("javascript:alert(1)", "ftp://hanoi.gov.vn/a", "data:text/html,x"):
        article.url = url
        with pytest.raises(ValidationError, match="Enter a valid URL|Nhập một URL hợp lệ"):
            article.full_clean()
        with pytest.raises(IntegrityError, match="article_url_http"), transaction.atomic():
            Article.objects.filter(pk=article.pk).update(url=url)
    Article.objects.filter(pk=article.pk).update(url="HTTPS://HANOI.GOV.VN/B")  # any case
