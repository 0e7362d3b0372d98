"""The portal in a real browser: Debian's Chromium driven by Playwright, against live_server.

Chromium comes from Debian (`apt-get install chromium`), not from Playwright's own download,
which cannot be fetched here. Without it these tests fail, unless SKIP_BROWSER_TESTS=1.
"""

import datetime
import re

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server):
    # A Vietnamese reader: Accept-Language vi, so the site starts in Vietnamese.
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def portal_data(transactional_db, make_full_meeting, make_meeting, make_person):
    """Hà Nội quý III/2023 (presided by Nguyễn Thị Tuyến) and quý II/2023 (by Lê Hồng Sơn),
    Hải Phòng năm 2022: each filter step narrows the list."""
    from meetings.models import Participation

    q3 = make_full_meeting(
        "Hội nghị giao ban Khối MTTQ quý III/2023",
        held_on=datetime.date(2023, 10, 23),
    )
    q3_other = make_meeting(
        "Hội nghị chuyên đề quý III/2023",
        held_on=datetime.date(2023, 10, 2),
        period_kind="quarter",
        period_year=2023,
        period_number=3,
    )
    Participation.objects.create(
        meeting=q3_other,
        person=make_person("Lê Hồng Sơn", city=q3.city),
        roles=["presiding"],
    )
    q2 = make_meeting(
        "Hội nghị giao ban quý II/2023",
        held_on=datetime.date(2023, 7, 20),
        period_kind="quarter",
        period_year=2023,
        period_number=2,
    )
    Participation.objects.create(
        meeting=q2, person=q3.participations.get().person, roles=["presiding"]
    )
    haiphong = make_meeting(
        "Hội nghị giao ban năm 2022 Hải Phòng",
        city="Hải Phòng",
        held_on=datetime.date(2022, 12, 29),
        period_kind="year",
        period_year=2022,
    )
    return {"q3": q3, "q3_other": q3_other, "q2": q2, "haiphong": haiphong}


def set_filter(page, name, slug, label):
    """Choose a value in the list's filter form, whether a <select> or a text box."""
    field = page.locator(f"form.filters [name='{name}']").first
    if field.evaluate("e => e.tagName") == "SELECT":
        values = field.evaluate("e => [...e.options].map(o => o.value)")
        if slug in values:
            field.select_option(value=slug)
        else:
            field.select_option(label=re.compile(re.escape(label)))
    else:
        field.fill(slug)


def submit_filters(page):
    form = page.locator("form.filters")
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()


def titles_shown(page):
    return page.locator("main").inner_text()


def test_filter_by_city_then_quarter_then_presiding(page, portal_data):
    q3, q3_other, q2, haiphong = (portal_data[k] for k in ("q3", "q3_other", "q2", "haiphong"))
    page.goto("/meetings/")
    assert page.locator("form.filters").count() == 1, "the meeting list has no filter form"

    set_filter(page, "city", q3.city.slug, "Hà Nội")
    submit_filters(page)
    assert f"city={q3.city.slug}" in page.url
    text = titles_shown(page)
    assert q3.title in text and q2.title in text and haiphong.title not in text

    set_filter(page, "period", "quarter-2023-3", "Quý III/2023")
    submit_filters(page)
    assert "period=quarter-2023-3" in page.url
    text = titles_shown(page)
    assert q3.title in text and q3_other.title in text and q2.title not in text

    chair = q3.participations.get().person
    set_filter(page, "presiding", chair.slug, chair.name)
    submit_filters(page)
    assert f"presiding={chair.slug}" in page.url
    text = titles_shown(page)
    assert q3.title in text and q3_other.title not in text and q2.title not in text

    # Open the meeting from the filtered list.
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=q3.title).first.click()
    assert page.url.endswith(q3.get_absolute_url())
    assert page.locator("h1").inner_text().strip() == q3.title


def test_follow_a_metric_to_its_evidence_and_back(page, portal_data):
    meeting = portal_data["q3"]
    metric = meeting.metrics.get()
    page.goto(meeting.get_absolute_url())
    value = page.locator(f"table.metrics a[href='#ev-m-{metric.pk}']")
    # The value, then its name for screen readers (visually hidden).
    assert value.inner_text().split()[0] == "328"
    value.click()
    page.wait_for_url(re.compile(f"#ev-m-{metric.pk}$"))
    mark = page.locator(f"mark#ev-m-{metric.pk}")
    assert mark.inner_text() == "328 công đoàn cơ sở"
    assert page.evaluate("document.querySelector(':target').id") == f"ev-m-{metric.pk}"
    assert mark.is_visible()
    box, height = mark.bounding_box(), page.viewport_size["height"]
    assert 0 <= box["y"] <= height, "the highlight is not scrolled into view"
    assert mark.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"

    page.locator(f"a.ev-back[href='#val-m-{metric.pk}']").click()
    page.wait_for_url(re.compile(f"#val-m-{metric.pk}$"))
    assert page.evaluate("document.querySelector(':target').id") == f"val-m-{metric.pk}"


def test_switch_to_english_and_back(page, portal_data):
    meeting = portal_data["q3"]
    page.goto(meeting.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Quý III/2023" in page.locator(".facts").inner_text()
    nav = page.locator("nav.site-nav")
    assert "Hội nghị" in nav.inner_text()

    with page.expect_navigation():
        page.locator(".lang-switch button[value=en]").click()
    assert page.url.endswith(meeting.get_absolute_url())  # the same page, in English
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Quarter III/2023" in page.locator(".facts").inner_text()
    assert "Meetings" in nav.inner_text()

    with page.expect_navigation():
        page.locator(".lang-switch button[value=vi]").click()
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Quý III/2023" in page.locator(".facts").inner_text()


def test_search_without_diacritics_reaches_the_organisation(page, portal_data):
    org = portal_data["q3"].mentions.get().organization
    page.goto("/")
    page.locator("header form[role=search] input[name=q]").fill("lien doan lao dong")
    with page.expect_navigation():
        page.locator("header form[role=search] input[name=q]").press("Enter")
    assert "/search/" in page.url and "q=lien+doan+lao+dong" in page.url
    link = page.locator("main").get_by_role("link", name=re.compile(r"Liên đoàn Lao động"))
    assert link.count() > 0, "the search results do not list the organisation"
    with page.expect_navigation():
        page.locator(f"main a[href='{org.get_absolute_url()}']").first.click()
    assert page.url.endswith(org.get_absolute_url())
    assert page.locator("h1").inner_text().startswith(org.name)


def test_entity_index_search_and_404_page(page, portal_data):
    page.goto("/organizations/")
    page.locator("main input[name=q]").fill("lien doan")
    with page.expect_navigation():
        page.locator("main input[name=q]").press("Enter")
    assert "Liên đoàn Lao động thành phố Hà Nội" in page.locator("main").inner_text()

    response = page.goto("/people/no-such-person/")
    assert response.status == 404
    assert page.locator("header.site-header").is_visible()
    assert page.locator("main input[name=q]").is_visible()


def test_phone_layout_has_no_horizontal_scroll(browser, live_server, portal_data):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        for url in ["/", portal_data["q3"].get_absolute_url(), "/organizations/"]:
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (url, width)
    finally:
        context.close()
