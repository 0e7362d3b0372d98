"""Admin login lockout (django-axes): 5 wrong passwords lock that username from that address."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-correct-password-42"
LOGIN = reverse("admin:login")


@pytest.fixture
def staff(django_user_model):
    def make(username):
        return django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)

    return make


def attempt(client, username, password, ip="203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_five_failures_lock_out_even_the_right_password(client, staff):
    staff("editor")
    for _ in range(4):
        response = attempt(client, "editor", "wrong")
        assert response.status_code == 200  # the login form again, with its error
    response = attempt(client, "editor", "wrong")
    assert response.status_code == 429

    response = attempt(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert 'class="errornote"' in page and "(5)" in page and "60" in page
    assert response["Content-Security-Policy"]  # the lockout page is a page like the others


def test_other_user_and_other_address_unaffected(client, staff, settings):
    staff("editor")
    staff("chief")
    for _ in range(5):
        attempt(client, "editor", "wrong")
    assert attempt(client, "editor", PASSWORD).status_code == 429

    response = attempt(client, "chief", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    client.logout()
    # The same username from another address is a different pair.
    response = attempt(client, "editor", PASSWORD, ip="198.51.100.20")
    assert response.status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, staff):
    staff("editor")
    for _ in range(4):
        attempt(client, "editor", "wrong")
    assert attempt(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "editor", "wrong").status_code == 200
    assert attempt(client, "editor", PASSWORD).status_code == 302


def test_client_address_behind_a_trusted_proxy(rf, settings):
    from portal.middleware import client_ip

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1  # the proxy appended the real client; 6.6.6.6 is forged
    assert client_ip(request) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", ["not-an-ip", "203.0.113.9:443", "unknown", "' OR 1=1"])
def test_a_forwarded_address_that_is_not_one_falls_back_to_the_connection(
    client, staff, settings, forwarded
):
    """django-axes stores the address in an inet column: a non-IP X-Forwarded-For was a 500."""
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    staff("editor")
    response = client.post(
        LOGIN,
        {"username": "editor", "password": "wrong"},
        REMOTE_ADDR="198.51.100.2",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 200  # the form again, with its error
    assert AccessAttempt.objects.get().ip_address == "198.51.100.2"


def test_client_address_is_canonical(rf, settings):
    from portal.middleware import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=" 2001:DB8::0001 ")
    assert client_ip(request) == "2001:db8::1"


def test_password_spraying_from_one_address_is_stopped(client, staff, settings):
    """Two passwords each over 12 usernames never reach 5 failures for any one of them; the
    address is locked after AXES_ADDRESS_FAILURE_LIMIT (10) failures in all."""
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 10
    staff("chief")
    statuses = []
    for password in ("Password1", "Welcome2026"):
        for n in range(12):
            statuses.append(attempt(client, f"user{n}", password).status_code)
    assert statuses[:9] == [200] * 9  # the form again, with its error
    assert set(statuses[9:]) == {429}  # from the 10th failure on
    # Even a right password for an account never tried is refused from there …
    response = attempt(client, "chief", PASSWORD)
    assert response.status_code == 429
    assert "(10)" in response.content.decode() and "_auth_user_id" not in client.session
    # … and not from another address.
    assert attempt(client, "chief", PASSWORD, ip="198.51.100.20").status_code == 302


def test_admin_session_lasts_a_working_day(client, staff, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    staff("editor")
    assert attempt(client, "editor", PASSWORD).status_code == 302
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600
