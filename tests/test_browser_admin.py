"""An editor in a real browser, at 1366×768: find a meeting with a wrong province in the review
queue, pick the right one from every province, fix a participant's role, mark it verified,
read the story in its history, undo one change; the public page follows each step.

Debian's Chromium (`apt-get install chromium`) driven by Playwright, against live_server.
Without Chromium this fails, unless SKIP_BROWSER_TESTS=1. The meeting's change page and its
history are saved as screenshots under var/screenshots/ for a person to look at.
"""

import datetime
import re

import pytest

from tests.conftest import EDITOR_PASSWORD, ROOT

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "var" / "screenshots"
WIDTH, HEIGHT = 1366, 768
TEXT = (
    "Ngày 23/10, Ủy ban MTTQ Việt Nam tỉnh tổ chức Hội nghị giao ban quý III/2023. "
    "Đồng chí Nguyễn Thị Tuyến – Phó Bí thư Thường trực Tỉnh ủy chủ trì Hội nghị; "
    "đồng chí Trần Văn Hòa – Phó Chủ tịch UBND tỉnh đồng chủ trì.\n\n"
    "Liên đoàn Lao động Thành phố đã thành lập 328 công đoàn cơ sở. "
    "Ủy ban MTTQ Việt Nam tỉnh đã tiếp nhận trên 55 tỷ đồng. "
    "Thực hiện Chỉ thị số 24-CT/TU của Tỉnh ủy."
)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": WIDTH, "height": HEIGHT}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, url: str, username: str = "editor", password: str = EDITOR_PASSWORD):
    page.goto(f"/admin/login/?next={url}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def public_text(page, url: str) -> str:
    page.goto(url)
    return page.inner_text("main") if page.locator("main").count() else page.inner_text("body")


def fits(page) -> None:
    """Nothing wider than the window: no horizontal scrolling at 1366 pixels."""
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


@pytest.fixture
def wrong_province(gazetteer_places, make_full_meeting, make_meeting, make_person):
    """A meeting of Ninh Thuận that ingest placed in Hà Nội (inferred from a name known
    there), with a co-chair extracted as merely attending; and another meeting."""
    from meetings.corrections import EXTRACTED_MODELS
    from meetings.history import record_baselines
    from meetings.models import CitySource, Participation
    from tests.conftest import span_of

    meeting = make_full_meeting(
        "Hội nghị giao ban Ủy ban MTTQ Việt Nam tỉnh quý III/2023",
        city="Hà Nội",
        text=TEXT,
        held_on=datetime.date(2023, 10, 23),
        city_source=CitySource.DATABASE,
        city_basis="Nguyễn Thị Tuyến",
        doubts=["city"],
    )
    article = meeting.articles.get()
    Participation.objects.create(
        meeting=meeting,
        person=make_person("Trần Văn Hòa", city=meeting.city),
        title="Phó Chủ tịch UBND tỉnh",
        roles=["attending"],
        article=article,
        **span_of(TEXT, "Trần Văn Hòa"),
    )
    make_meeting("Hội nghị sơ kết công tác Mặt trận 6 tháng", held_on=datetime.date(2024, 7, 8))
    # As ingest writes them: no history (the factories' saves wrote some), then the end of
    # the run gives each meeting its "As ingested" record.
    for model in EXTRACTED_MODELS:
        model.history.all().delete()
    record_baselines()
    return meeting


def test_an_editor_fixes_a_province_and_a_role_reviews_and_undoes(page, editor, wrong_province):
    from meetings.models import Meeting, Participation, ReviewStatus

    meeting = wrong_province
    public = meeting.get_absolute_url()
    text = public_text(page, public)
    assert "Hà Nội" in text and "Trích xuất tự động" in text
    assert "Trần Văn Hòa" not in page.inner_text(".facts")  # not among who presided

    # 1. Find it: the review queue puts an inferred province first, and says so.
    sign_in(page, "/admin/meetings/meetingtoreview/")
    first = page.locator("#result_list tbody tr").first
    assert meeting.title in first.inner_text()
    assert "tỉnh, thành phố được suy ra" in first.inner_text()
    fits(page)
    first.locator("a", has_text=meeting.title).click()
    page.wait_for_selector("#id_title")
    assert "Chương trình trích xuất không chắc chắn" in page.inner_text(".field-city")

    # 2. Pick the right province among all of them (no article ever named Ninh Thuận).
    page.click("#id_city + .select2 .select2-selection")
    # The first page of provinces, loaded when the picker opens, is there before typing:
    # typed while select2 was still loading it, the search was once (on a slow host) asked
    # for as a later page of its one result, which the autocomplete view answers 404.
    page.wait_for_selector(".select2-results__option[aria-selected]")
    page.fill(".select2-search__field", "ninh thuan")
    option = page.locator(".select2-results__option", has_text="Ninh Thuận")
    assert option.inner_text() == "Ninh Thuận (nay thuộc Khánh Hòa)"
    option.click()

    # 3. Fix a participant's role: the co-chair presided.
    row = page.locator(".inline-related tr.form-row").filter(
        has=page.locator("td.field-person", has_text="Trần Văn Hòa")
    )
    row.locator("input[value=presiding]").check()
    row.locator("input[value=attending]").uncheck()
    page.locator("input[name=_continue]").first.click()
    page.wait_for_selector(".messagelist .success")
    fits(page)
    screenshot(page, "meeting-change.png")

    meeting.refresh_from_db()
    hoa = Participation.objects.get(meeting=meeting, person__name="Trần Văn Hòa")
    assert meeting.city.name == "Ninh Thuận" and meeting.corrected_fields == ["city"]
    assert hoa.roles == ["presiding"] and hoa.corrected_fields == ["roles"]
    assert meeting.review_status == ReviewStatus.UNREVIEWED  # a correction is no review
    text = public_text(page, public)
    assert "Ninh Thuận" in text and "Trích xuất tự động" in text
    assert "Biên tập viên đã sửa: tỉnh, thành phố; Trần Văn Hòa." in text
    assert "Trần Văn Hòa" in page.inner_text(".facts")  # now among who presided

    # 4. Mark it verified, from its own page.
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    page.locator("input[name=_verify]").first.click()
    page.wait_for_selector(".messagelist .success")
    assert "Đã kiểm tra, bởi Lan Trần" in page.inner_text(".field-review")
    assert Meeting.objects.get(pk=meeting.pk).review_status == ReviewStatus.VERIFIED
    text = public_text(page, public)
    assert "Đã được biên tập viên kiểm tra" in text and "Trích xuất tự động" not in text

    # 5. The story, in its history: who, when, what, before → after, in words.
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    page.click("a.historylink")
    page.wait_for_selector(".story-events")
    story = page.inner_text(".story-events")
    for words in (
        r"Lan Trần",
        r"Đánh dấu đã kiểm tra",
        r"chưa kiểm tra\s*→\s*đã kiểm tra",
        r"Hà Nội\s*→\s*Ninh Thuận",
        r"Người tham dự Trần Văn Hòa",
        r"\bdự\s*→\s*chủ trì",
        r"Như khi nhập dữ liệu",
    ):
        assert re.search(words, story), words
    fits(page)
    screenshot(page, "meeting-history.png")

    # 6. Undo one change: the role, not the province.
    step = page.locator(".story-step", has_text="Người tham dự Trần Văn Hòa")
    step.locator("button", has_text="Hoàn tác").click()
    page.wait_for_selector(".messagelist .success")
    assert "Đã hoàn tác" in page.inner_text(".messagelist")
    assert "Đã hoàn tác" in page.inner_text(".story-events")  # the undo is in the story too
    hoa.refresh_from_db()
    meeting.refresh_from_db()
    assert hoa.roles == ["attending"] and hoa.corrected_fields == []
    assert meeting.city.name == "Ninh Thuận"
    screenshot(page, "meeting-history-after-undo.png")
    text = public_text(page, public)
    assert "Trần Văn Hòa" not in page.inner_text(".facts")
    assert "Biên tập viên đã sửa: tỉnh, thành phố." in text


def test_the_lists_fit_1366_pixels(page, editor, wrong_province):
    sign_in(page, "/admin/meetings/meeting/")
    fits(page)
    presiding = page.locator("th.column-presiding").bounding_box()
    assert presiding["x"] + presiding["width"] <= WIDTH
    assert page.locator("th.column-n_sources").bounding_box()["x"] < WIDTH
    page.goto(f"/admin/meetings/meeting/{wrong_province.pk}/change/")
    fits(page)


def test_slugs_prefilled_by_the_admin_are_vietnamese_aware(
    page, gazetteer_places, django_user_model
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "admin-pass-1234")
    sign_in(page, "/admin/meetings/city/add/", "admin", "admin-pass-1234")
    for name, slug in (("Ninh Thuận", "ninh-thuan"), ("Đà Nẵng", "da-nang")):
        page.fill("#id_name", "")
        page.type("#id_name", name)
        assert page.input_value("#id_slug") == slug


def test_editor_corrects_a_value_and_sees_it_on_the_public_page(page, editor, make_meeting):
    from meetings.models import Meeting, ReviewStatus

    meeting = make_meeting(
        "Hội nghị giao ban Khối MTTQ quý III/2023", held_on=datetime.date(2023, 10, 23)
    )
    sign_in(page, f"/admin/meetings/meeting/{meeting.pk}/change/")
    page.wait_for_selector("#id_title")

    corrected = "Hội nghị giao ban Khối Mặt trận Tổ quốc quý III/2023"
    page.fill("#id_title", corrected)
    page.locator("input[name=_save]").first.click()
    page.wait_for_selector(".messagelist")

    meeting.refresh_from_db()
    assert meeting.title == corrected
    assert meeting.corrected_fields == ["title"]
    assert meeting.review_status == ReviewStatus.UNREVIEWED

    # The change page now shows the title as locked.
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert "🔒" in page.inner_text("label[for=id_title]")

    page.goto(Meeting.objects.get(pk=meeting.pk).get_absolute_url())
    assert corrected in page.inner_text("h1")
    # One corrected value: said so, and the record is not "checked by an editor".
    assert page.locator(".badge--checked").count() == 0
    assert "Biên tập viên đã sửa: tiêu đề." in page.inner_text(".corrected-values")
