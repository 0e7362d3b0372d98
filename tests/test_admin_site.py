"""Hostile admin input: what made the admin answer 500 now answers 400 or 404.

Each URL below was a 500 (PostgreSQL or Python refusing the value) before
portal/admin_site.py and CorrectionAdmin's history views checked it.
"""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(admin_user, make_full_meeting):
    make_full_meeting()
    client = Client(raise_request_exception=False)  # a 500 is a response, not a raise
    client.force_login(admin_user)
    return client


# django-simple-history's views took the id as given: ValueError "Field 'id' expected a number".
HISTORY = [
    "/admin/meetings/meeting/abc/history/",
    "/admin/meetings/meeting/%00/history/",
    "/admin/meetings/meeting/1/history/abc/",
    "/admin/meetings/meeting/abc/history/1/",
    "/admin/meetings/person/abc/history/",
    "/admin/meetings/person/1/history/xyz/",
    "/admin/meetings/participation/abc/history/",
]

# PostgreSQL: "A string literal cannot contain NUL (0x00) characters".
NUL = [
    "/admin/meetings/meeting/?review_status__exact=a%00",
    "/admin/meetings/meeting/?period_kind__exact=a%00",
    "/admin/meetings/directive/?kind__exact=a%00",
    "/admin/meetings/directive/?issuer__exact=a%00",
    "/admin/meetings/metric/?unit__exact=a%00",
    "/admin/meetings/tombstone/?kind__exact=a%00",
    "/admin/meetings/meeting/?q=a%00b",
    "/admin/meetings/person/?q=a%00b",
    "/admin/auth/user/?q=a%00b",
    "/admin/autocomplete/?term=a%00&app_label=meetings&model_name=meeting&field_name=city",
]

# Python: "OverflowError: Python int too large to convert to C long" (date hierarchy).
YEAR = "99999999999999999999"
DATES = [
    f"/admin/meetings/meeting/?held_on__year={YEAR}",
    f"/admin/meetings/meeting/?held_on__year=2023&held_on__month={YEAR}",
    f"/admin/meetings/meeting/?held_on__year=2023&held_on__month=1&held_on__day={YEAR}",
    f"/admin/meetings/article/?published_on__year={YEAR}",
]


@pytest.mark.parametrize("url", HISTORY)
def test_history_with_an_id_that_is_not_one_is_404(admin, url):
    assert admin.get(url).status_code == 404


@pytest.mark.parametrize("url", NUL + DATES)
def test_nul_bytes_and_huge_date_parts_are_400(admin, url):
    assert admin.get(url).status_code == 400


def test_history_and_dates_still_work(admin):
    from meetings.models import Meeting

    meeting = Meeting.objects.get()
    assert admin.get(f"/admin/meetings/meeting/{meeting.pk}/history/").status_code == 200
    version = meeting.history.first().history_id
    url = f"/admin/meetings/meeting/{meeting.pk}/history/{version}/"
    assert admin.get(url).status_code == 200
    assert admin.get("/admin/meetings/meeting/?held_on__year=2023").status_code == 200
    assert admin.get("/admin/meetings/meeting/?q=giao+ban").status_code == 200


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/meetings/meeting/", {"action": "mark_verified", "_selected_action": ["abc"]}),
        ("/admin/meetings/meeting/", {"action": "mark_verified", "_selected_action": ["\x00"]}),
        ("/admin/meetings/meeting/", {"action": "delete_selected", "_selected_action": ["1x"]}),
        (
            "/admin/meetings/person/",
            {"action": "merge_people_action", "_selected_action": ["abc", "1"]},
        ),
    ],
)
def test_an_action_on_rows_that_are_not_ids_is_400(admin, url, data):
    assert admin.post(url, {**data, "index": "0"}).status_code == 400


def test_a_user_name_longer_than_allowed_is_refused_by_the_form(django_user_model):
    """django-axes recorded the failed sign-in in a 255-character column: a 500."""
    from axes.models import AccessAttempt

    client = Client(raise_request_exception=False)
    response = client.post(reverse("admin:login"), {"username": "u" * 300, "password": "x"})
    assert response.status_code == 200
    assert "150" in response.context["form"].errors["username"][0]
    assert not AccessAttempt.objects.exists()  # no sign-in was even tried


def test_the_default_admin_site_is_the_portals():
    from django.contrib import admin

    from portal.admin_site import PortalAdminSite

    assert isinstance(admin.site, PortalAdminSite)
