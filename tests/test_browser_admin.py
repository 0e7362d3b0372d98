"""An editor in a real browser: sign in, correct a value, see it on the public page.

Debian's Chromium (`apt-get install chromium`) driven by Playwright, against live_server.
Without Chromium this fails, unless SKIP_BROWSER_TESTS=1.
"""

import datetime

import pytest

PASSWORD = "editor-pass-1234"

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def editor(transactional_db):
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    call_command("setup_editors", verbosity=0)
    user = User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_editor_corrects_a_value_and_sees_it_on_the_public_page(page, editor, make_meeting):
    from meetings.models import Meeting, ReviewStatus

    meeting = make_meeting(
        "Hội nghị giao ban Khối MTTQ quý III/2023", held_on=datetime.date(2023, 10, 23)
    )
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#id_title")

    corrected = "Hội nghị giao ban Khối Mặt trận Tổ quốc quý III/2023"
    page.fill("#id_title", corrected)
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")

    meeting.refresh_from_db()
    assert meeting.title == corrected
    assert meeting.corrected_fields == ["title"]
    assert meeting.review_status == ReviewStatus.CORRECTED

    # The change page now shows the title as locked.
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert "🔒" in page.inner_text("label[for=id_title]")

    page.goto(Meeting.objects.get(pk=meeting.pk).get_absolute_url())
    assert corrected in page.inner_text("h1")
    assert page.locator(".badge--checked").count() == 1
