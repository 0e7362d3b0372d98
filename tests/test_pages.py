"""The public pages of meetings, people, organisations, directives and cities."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import Meeting, Metric, Participation, ReviewStatus

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>'


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def test_home_empty(client):
    html = get(client, "/").content.decode()
    assert 'name="q"' in html
    assert "No meetings yet." in html or "Chưa có hội nghị nào." in html


def test_home_with_data(client, make_full_meeting):
    make_full_meeting(held_on=datetime.date(2023, 10, 23))
    make_full_meeting(held_on=datetime.date(2022, 12, 29), city="Hải Phòng")
    html = get(client, "/").content.decode()
    assert "Hội nghị giao ban" in html
    assert reverse("meetings:city_detail", args=["hai-phong"]) in html
    assert "<svg" in html and "IV/2022" in html and "IV/2023" in html
    assert "Quý III/2023" in html  # the reporting period quick link, in Vietnamese


def test_meeting_detail_shows_every_part(client, make_full_meeting):
    meeting = make_full_meeting(held_on=datetime.date(2023, 10, 23), locality="Hội trường Thành ủy")
    metric = meeting.metrics.get()
    html = get(client, meeting.get_absolute_url()).content.decode()
    assert "Nguyễn Thị Tuyến" in html and "Phó Bí thư Thường trực Thành ủy" in html
    assert "Hội trường Thành ủy" in html
    assert "Liên đoàn Lao động thành phố Hà Nội" in html
    assert "24-CT/TU" in html
    assert "Quý III/2023" in html
    assert "23/10/2023" in html  # the Vietnamese DATE_FORMAT (portal/formats/vi)
    assert "https://example.gov.vn/tin/" in html
    # The metric's value links to its highlight, and the highlight links back.
    assert f'href="#ev-m-{metric.pk}"' in html
    assert f'<mark id="ev-m-{metric.pk}"' in html
    assert f'href="#val-m-{metric.pk}"' in html
    assert f'id="val-m-{metric.pk}"' in html
    assert "Checked by an editor" not in html


@pytest.mark.parametrize(
    "status, checked",
    [
        (ReviewStatus.VERIFIED, True),
        (ReviewStatus.UNREVIEWED, False),
        (ReviewStatus.RECHECK, False),
    ],
)
def test_checked_badge(in_english, make_meeting, status, checked):
    client = in_english
    meeting = make_meeting(review_status=status)
    html = get(client, meeting.get_absolute_url()).content.decode()
    assert ("Checked by an editor" in html) is checked
    assert ("Machine-extracted" in html) is not checked


def test_meeting_detail_empty(in_english, make_meeting):
    client = in_english
    meeting = make_meeting(city=None)
    html = get(client, meeting.get_absolute_url()).content.decode()
    assert "No participants were extracted." in html
    assert "No source articles." in html


def test_meeting_detail_with_spans_out_of_range(client, make_full_meeting):
    meeting = make_full_meeting()
    Metric.objects.filter(meeting=meeting).update(evidence_start=10_000, evidence_end=10_005)
    html = get(client, meeting.get_absolute_url()).content.decode()
    assert "#ev-m-" not in html  # no link to a highlight that is not there


def test_hostile_text_is_escaped(
    client, make_meeting, make_person, make_organization, make_article, make_directive
):
    from meetings.models import DirectiveCitation, OrganizationMention

    meeting = make_meeting(title=f"Hội nghị {HOSTILE}", locality=HOSTILE)
    text = f"Mở đầu {HOSTILE} Nguyễn {HOSTILE} cuối."
    article = make_article(meeting=meeting, text=text, title=HOSTILE, url="https://x.vn/a")
    person = make_person(f"Nguyễn {HOSTILE}")
    org = make_organization(f"Hội {HOSTILE}")
    directive = make_directive(f"1-CT/TU{HOSTILE}", subject=HOSTILE)
    start = text.index(HOSTILE)
    Participation.objects.create(
        meeting=meeting,
        person=person,
        title=HOSTILE,
        roles=["presiding"],
        article=article,
        evidence_start=start,
        evidence_end=start + len(HOSTILE) + 10,
    )
    OrganizationMention.objects.create(
        meeting=meeting, organization=org, name_as_written=HOSTILE, article=article
    )
    DirectiveCitation.objects.create(meeting=meeting, directive=directive, article=article)
    Metric.objects.create(
        meeting=meeting, value=1, unit=HOSTILE, label=HOSTILE, extraction_key="k", article=article
    )
    urls = [
        meeting.get_absolute_url(),
        person.get_absolute_url(),
        org.get_absolute_url(),
        directive.get_absolute_url(),
        meeting.city.get_absolute_url(),
        reverse("meetings:person_list"),
        reverse("meetings:organization_list"),
        reverse("meetings:directive_list"),
        "/",
    ]
    for url in urls:
        html = get(client, url).content.decode()
        assert "<script>" not in html, url
    html = get(client, meeting.get_absolute_url()).content.decode()
    assert "&lt;script&gt;" in html


def test_person_page(client, make_full_meeting, make_meeting):
    older = make_full_meeting(held_on=datetime.date(2022, 1, 5))
    newer = make_meeting(held_on=datetime.date(2023, 10, 23))
    person = older.participations.get().person
    # The same person at a later meeting, under another title.
    Participation.objects.create(
        meeting=newer, person=person, title="Bí thư Thành ủy", roles=["concluding"]
    )
    html = get(client, person.get_absolute_url()).content.decode()
    assert older.title in html and newer.title in html
    assert "Bí thư Thành ủy" in html and "Phó Bí thư Thường trực Thành ủy" in html
    assert "chủ trì" in html  # the role, translated
    assert html.index(newer.title) < html.index(older.title)


def test_organization_page_has_metrics_and_chart(client, make_full_meeting):
    meeting = make_full_meeting(held_on=datetime.date(2023, 10, 23))
    org = meeting.mentions.get().organization
    html = get(client, org.get_absolute_url()).content.decode()
    assert meeting.title in html
    assert "328" in html and "<svg" in html
    assert "Liên đoàn Lao động Thành phố" in html  # the name as written


def test_directive_page_lists_citing_meetings(client, make_full_meeting):
    meeting = make_full_meeting()
    directive = meeting.citations.get().directive
    html = get(client, directive.get_absolute_url()).content.decode()
    assert meeting.title in html and "Chỉ thị số 24-CT/TU" in html


def test_city_page_by_quarter(client, make_full_meeting):
    make_full_meeting(held_on=datetime.date(2023, 1, 5))
    make_full_meeting(held_on=datetime.date(2023, 10, 23))
    city = Meeting.objects.first().city
    html = get(client, city.get_absolute_url()).content.decode()
    assert "<svg" in html
    for quarter in ("I/2023", "II/2023", "III/2023", "IV/2023"):
        assert quarter in html


@pytest.mark.parametrize(
    "name", ["person_detail", "organization_detail", "directive_detail", "city_detail"]
)
def test_entity_detail_empty(
    in_english, name, make_person, make_organization, make_directive, make_city
):
    obj = {
        "person_detail": make_person,
        "organization_detail": make_organization,
        "directive_detail": make_directive,
        "city_detail": make_city,
    }[name]()
    html = get(in_english, obj.get_absolute_url()).content.decode()
    assert "No meeting" in html


def test_entity_pages_paginate(client, make_meeting, make_person):
    person = make_person()
    for _ in range(25):
        Participation.objects.create(meeting=make_meeting(), person=person, roles=["attending"])
    first = get(client, person.get_absolute_url()).content.decode()
    assert 'rel="next"' in first
    second = get(client, person.get_absolute_url() + "?page=2").content.decode()
    assert 'rel="prev"' in second
    # Past the last page: a 404 linking back to the last page, as on every list.
    response = client.get(person.get_absolute_url() + "?page=3")
    assert response.status_code == 404
    assert f'href="{person.get_absolute_url()}?page=2"' in response.content.decode()


@pytest.mark.parametrize(
    "name", ["person_list", "organization_list", "directive_list", "city_list"]
)
def test_entity_indexes_past_the_last_page_404_with_a_link_back(in_english, name):
    response = in_english.get(reverse(f"meetings:{name}"), {"q": "x", "page": "99"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "This list has only 1 page." in html
    assert f'href="{reverse(f"meetings:{name}")}?q=x"' in html


@pytest.mark.parametrize(
    "name", ["person_list", "organization_list", "directive_list", "city_list"]
)
def test_entity_indexes_empty(client, name):
    html = get(client, reverse(f"meetings:{name}")).content.decode()
    assert 'name="q"' in html


def test_entity_index_search_is_folded(in_english, make_full_meeting, make_organization):
    client = in_english  # for the "Nothing matches" message
    make_full_meeting()
    make_organization("Hội Nông dân thành phố Hà Nội")
    url = reverse("meetings:organization_list")
    html = get(client, url + "?q=lien+doan+lao+dong").content.decode()
    assert "Liên đoàn Lao động thành phố Hà Nội" in html
    assert "Hội Nông dân" not in html
    html = get(client, url + "?q=LĐLĐ").content.decode()  # the abbreviation
    assert "Liên đoàn Lao động thành phố Hà Nội" in html
    html = get(client, reverse("meetings:person_list") + "?q=nguyen+thi+tuyen").content.decode()
    assert "Nguyễn Thị Tuyến" in html
    html = get(client, reverse("meetings:directive_list") + "?q=24-ct/tu").content.decode()
    assert "24-CT/TU" in html
    html = get(client, reverse("meetings:city_list") + "?q=ha noi").content.decode()
    assert "Hà Nội" in html
    html = get(client, url + "?q=" + "x" * 5000).content.decode()
    assert "Nothing matches" in html


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/no-such-meeting/",
        "/people/no-such-person/",
        "/organizations/no-such-org/",
        "/directives/no-such-directive/",
        "/cities/no-such-city/",
        "/no/such/page/",
    ],
)
def test_unknown_slugs_404_in_portal_style(client, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html and 'action="/search/"' in html


def test_merged_person_redirects(client, make_person):
    survivor = make_person("Lê Trí Vũ")
    merged = make_person("Lê Trí Vũ (2)", merged_into=survivor)
    response = client.get(merged.get_absolute_url())
    assert response.status_code == 301 and response["Location"] == survivor.get_absolute_url()


def public_urls(meeting):
    return [
        "/",
        meeting.get_absolute_url(),
        meeting.participations.first().person.get_absolute_url(),
        meeting.mentions.first().organization.get_absolute_url(),
        meeting.citations.first().directive.get_absolute_url(),
        meeting.city.get_absolute_url(),
        reverse("meetings:person_list"),
        reverse("meetings:organization_list"),
        reverse("meetings:directive_list"),
        reverse("meetings:city_list"),
    ]


def test_get_and_head_only(client, make_full_meeting):
    meeting = make_full_meeting()
    for url in public_urls(meeting):
        assert client.head(url).status_code == 200, url
        for method in (client.post, client.put, client.delete):
            assert method(url).status_code == 405, (url, method)


def test_base_layout(client, make_full_meeting):
    html = get(client, "/").content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert html.count('action="/search/"') == 2  # the header's box and the home page's
    assert 'action="/i18n/setlang/"' in html
    for name in ["meeting_list", "person_list", "organization_list", "directive_list", "city_list"]:
        assert f'href="{reverse("meetings:" + name)}"' in html
    assert "/admin/" not in html


def test_staff_see_the_admin_link(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="ed", is_staff=True))
    assert "/admin/" in get(client, "/").content.decode()


def test_english_switch(client, make_full_meeting):
    meeting = make_full_meeting()
    response = client.post("/i18n/setlang/", {"language": "en", "next": meeting.get_absolute_url()})
    assert response.status_code == 302
    html = get(client, meeting.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html and "Quarter III/2023" in html
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in get(client, "/").content.decode()


def test_sitemap_and_robots(client, make_full_meeting):
    meeting = make_full_meeting()
    index = get(client, "/sitemap.xml").content.decode()
    assert "sitemap-meetings.xml" in index
    section = get(client, "/sitemap-meetings.xml").content.decode()
    assert meeting.get_absolute_url() in section
    assert meeting.city.get_absolute_url() in get(client, "/sitemap-cities.xml").content.decode()
    robots = get(client, "/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-meetings.xml"])
def test_sitemaps_answer_get_and_head_only(client, make_full_meeting, url):
    make_full_meeting()
    assert client.head(url).status_code == 200
    for method in (client.post, client.put, client.delete, client.options):
        assert method(url).status_code == 405


def test_503_page_renders_without_context():
    from django.template.loader import get_template

    html = get_template("503.html").render()
    assert "503" in html and "portal.css" in html


def test_500_page_renders_without_context():
    from django.template.loader import get_template

    html = get_template("500.html").render()
    assert "500" in html and "portal.css" in html


# Query counts: pinned, and the same with few and with many rows.


@pytest.mark.parametrize("extra", [0, 30])
def test_meeting_detail_queries(client, make_full_meeting, django_assert_num_queries, extra):
    meeting = make_full_meeting(n_people=extra, n_metrics=extra)
    url = meeting.get_absolute_url()
    # 1 meeting + city, 2 participations + people, 3 mentions + organisations,
    # 4 citations + directives, 5 metrics + organisations, 6 articles
    with django_assert_num_queries(6):
        get(client, url)


def test_a_meetings_parts_take_their_articles_from_its_sources(
    make_full_meeting, django_assert_num_queries
):
    from meetings.models import Meeting

    pk = make_full_meeting(n_people=3, n_metrics=3).pk
    with django_assert_num_queries(6):  # as the meeting page: no query per row's article
        meeting = Meeting.objects.with_parts().get(pk=pk)
        rows = [
            *meeting.participants,
            *meeting.organization_mentions,
            *meeting.directive_citations,
            *meeting.metric_rows,
        ]
        assert rows and all(row.article is meeting.sources[0] for row in rows)


@pytest.mark.parametrize("extra", [1, 30])
def test_entity_detail_queries(
    client, make_full_meeting, make_meeting, django_assert_num_queries, extra
):
    first = make_full_meeting(held_on=datetime.date(2023, 10, 23))
    person = first.participations.get().person
    org = first.mentions.get().organization
    directive = first.citations.get().directive
    for i in range(extra):
        other = make_meeting(held_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=i))
        Participation.objects.create(meeting=other, person=person, title=f"T{i}", roles=[])
        other.mentions.create(organization=org)
        other.citations.create(directive=directive)
        Metric.objects.create(meeting=other, organization=org, value=i, extraction_key="m")
    # 1 person + city, 2 count of participations, 3 one page of them + meetings + cities,
    # 4 titles over time
    with django_assert_num_queries(4):
        get(client, person.get_absolute_url())
    # 1 organisation + city, 2 its metrics + meetings, 3 count of mentions,
    # 4 one page of mentions + meetings + cities
    with django_assert_num_queries(4):
        get(client, org.get_absolute_url())
    # 1 directive + city, 2 count of citations, 3 one page of them + meetings + cities
    with django_assert_num_queries(3):
        get(client, directive.get_absolute_url())
    # 1 city, 2 meetings per quarter, 3 count of meetings, 4 one page of meetings
    with django_assert_num_queries(4):
        get(client, first.city.get_absolute_url())


@pytest.mark.parametrize("extra", [1, 30])
def test_index_and_home_queries(client, make_full_meeting, django_assert_num_queries, extra):
    for _ in range(extra):
        make_full_meeting(held_on=datetime.date(2023, 10, 23))
    for name in ["person_list", "organization_list", "directive_list", "city_list"]:
        # 1 count of rows, 2 one page of them with city and meeting counts
        with django_assert_num_queries(2):
            get(client, reverse(f"meetings:{name}"))
    # 1 latest meetings, 2-5 counts of meetings, people, organisations, directives,
    # 6 cities by meetings, 7 reporting periods, 8 meetings per quarter
    with django_assert_num_queries(8):
        get(client, "/")


# Issue 15: what a new reader found wrong.


def test_figures_qualifiers_are_in_the_readers_language(client, make_full_meeting):
    meeting = make_full_meeting()
    meeting.metrics.update(qualifier="reached")
    html = get(client, meeting.get_absolute_url()).content.decode()
    assert "reached" not in html
    assert '<span class="qualifier">đạt</span> 328' in html


def test_index_tables_name_their_first_column(client, make_organization, make_city):
    make_organization(city=make_city("Hà Nội"))
    for name, heading in (("organization_list", "Tổ chức"), ("city_list", "Tỉnh, thành phố")):
        html = get(client, reverse(f"meetings:{name}")).content.decode()
        thead = html[html.index("<thead>") : html.index("</thead>")]
        assert "Họ tên" not in thead and heading in thead, name


def test_no_stray_separator_where_the_province_is_missing(client, make_meeting, make_person):
    person = make_person()
    meeting = make_meeting(city=None, period_kind="year", period_year=2022)
    Participation.objects.create(meeting=meeting, person=person, roles=["attending"])
    html = get(client, person.get_absolute_url()).content.decode()
    assert '<span class="meta">Năm 2022</span>' in html and '<span class="meta"> · ' not in html


def test_every_page_has_a_favicon(client):
    html = get(client, reverse("meetings:home")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg"' in html
    from django.contrib.staticfiles import finders

    assert finders.find("favicon.svg")


def test_evidence_links_have_distinct_names(client, make_full_meeting):
    import re

    meeting = make_full_meeting()
    html = get(client, meeting.get_absolute_url()).content.decode()
    backs = re.findall(r'<a class="ev-back" href="#[^"]+" aria-label="([^"]+)"', html)
    assert len(backs) >= 4 and len(set(backs)) == len(backs), backs
    assert "Quay lại thông tin: Nguyễn Thị Tuyến — Phó Bí thư Thường trực Thành ủy" in backs
    refs = re.findall(r'class="ev-ref"[^>]*>¶<span class="visually-hidden">([^<]+)</span>', html)
    assert len(refs) >= 3 and len(set(refs)) == len(refs), refs


def test_the_list_puts_filters_behind_a_disclosure_and_offers_a_skip_link(client, make_meeting):
    make_meeting()
    html = get(client, reverse("meetings:meeting_list")).content.decode()
    assert html.index('<a class="skip-link" href="#results">') < html.index("<header")
    details = html.index('<details class="list-sidebar">')
    assert details < html.index('<form class="filters"') < html.index('id="results"')
    assert html.index("<summary>") > details
