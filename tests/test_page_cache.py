"""The data version and the public page cache (meetings/data_version.py, page_cache.py).

Writes are committed (transaction=True): the version is bumped by PostgreSQL at COMMIT.
"""

from __future__ import annotations

import datetime
import socket

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from meetings import data_version
from meetings.models import Meeting, Person

pytestmark = [pytest.mark.page_cache, pytest.mark.django_db(transaction=True)]


def test_a_commit_bumps_the_version_and_a_rollback_does_not(make_meeting):
    before = data_version.current()
    with transaction.atomic():
        meeting = make_meeting(title="Hội nghị giao ban quý III")
        Meeting.objects.filter(pk=meeting.pk).update(title="Hội nghị sơ kết")
        # Not before the commit: a page rendered now must not be stored under a new number.
        assert data_version.current() == before
    after = data_version.current()
    assert after.number > before.number
    assert after.changed_at >= before.changed_at

    with pytest.raises(RuntimeError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(title="Hội nghị tổng kết")
        raise RuntimeError("roll back")
    assert data_version.current() == after


def test_every_kind_of_write_bumps_it(make_meeting):
    meeting = make_meeting()
    writes = [
        lambda: Person.objects.create(name="Nguyễn Văn A", slug="nguyen-van-a"),
        lambda: Meeting.objects.filter(pk=meeting.pk).update(body="Ủy ban MTTQ"),
        lambda: Person.objects.filter(slug="nguyen-van-a").delete(),
        # Raw SQL, as meetings/corrections.py:touch_meetings writes.
        lambda: connection.cursor().execute(
            "UPDATE meetings_meeting SET updated_at = now() WHERE id = %s", [meeting.pk]
        ),
    ]
    for write in writes:
        before = data_version.current().number
        write()
        assert data_version.current().number > before


def test_history_and_fetch_log_do_not(make_meeting):
    make_meeting()
    before = data_version.current().number
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM meetings_fetchedpage")
        cursor.execute("DELETE FROM meetings_historicalmeeting WHERE false")
    assert data_version.current().number == before


def test_a_page_is_cached_until_the_data_changes(client, make_meeting):
    meeting = make_meeting(title="Hội nghị giao ban quý III")
    url = meeting.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["X-Frame-Options"] == "DENY"

    Meeting.objects.filter(pk=meeting.pk).update(title="Hội nghị sơ kết sáu tháng")
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Hội nghị sơ kết sáu tháng" in fresh.content.decode()
    assert fresh["ETag"] != first["ETag"]


def test_a_streamed_export_is_stored_once_sent_whole(client, make_meeting):
    make_meeting(title="Hội nghị giao ban quý III")
    url = "/meetings/export.csv"
    first = client.get(url)
    assert first.streaming and first["X-Page-Cache"] == "miss"
    body = b"".join(first.streaming_content)
    assert "Hội nghị giao ban quý III".encode() in body
    again = client.get(url)
    assert again["X-Page-Cache"] == "hit" and not again.streaming
    assert again.content == body
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Disposition"] == first["Content-Disposition"]

    Meeting.objects.update(title="Hội nghị sơ kết")
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Hội nghị sơ kết".encode() in b"".join(fresh.streaming_content)


def test_a_streamed_page_too_large_or_not_read_to_the_end_is_not_stored(
    client, make_meeting, monkeypatch
):
    from meetings import page_cache

    make_meeting(title="Hội nghị giao ban quý III")
    url = "/meetings/export.csv"
    stopped = client.get(url)
    next(iter(stopped.streaming_content))  # the client goes away after the first chunk
    stopped.close()
    assert client.get(url)["X-Page-Cache"] == "miss"  # read to its end this time
    monkeypatch.setattr(page_cache, "STREAM_STORED_BYTES", 10)
    big = client.get("/meetings/export.json")
    b"".join(big.streaming_content)
    assert client.get("/meetings/export.json")["X-Page-Cache"] == "miss"


def test_a_hit_costs_one_query(client, make_meeting, django_assert_num_queries):
    make_meeting()
    client.get("/meetings/")
    # 1 the data version
    with django_assert_num_queries(1):
        assert client.get("/meetings/")["X-Page-Cache"] == "hit"


def test_a_miss_asks_for_the_version_once(client, make_meeting):
    """The views key their cached counts and facets by the version the page cache read."""
    make_meeting(title="Hội nghị giao ban quý III")
    for url in ("/meetings/?q=giao+ban", "/search/?q=giao+ban"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url)["X-Page-Cache"] == "miss"
        asked = [q["sql"] for q in queries.captured_queries if "meetings_dataversion" in q["sql"]]
        assert len(asked) == 1, (url, asked)


def test_each_language_and_address_is_its_own_page(client, make_meeting):
    make_meeting()
    vi = client.get("/meetings/")
    assert client.get("/meetings/?page=1")["X-Page-Cache"] == "miss"
    client.cookies["django_language"] = "en"
    en = client.get("/meetings/")
    assert en["X-Page-Cache"] == "miss"
    assert en["Content-Language"] == "en" and vi["Content-Language"] == "vi"
    assert en["ETag"] != vi["ETag"]


def test_anonymous_pages_say_they_may_be_cached_and_set_no_cookie(client, make_meeting):
    make_meeting()
    for url in ["/", "/meetings/", "/search/?q=giao+ban", "/api/meetings/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=60"
        assert response["Vary"] == "Cookie"  # the language cookie; not Accept-Language
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"]
        assert not response.cookies, url  # no session, no CSRF cookie
    # The language switch needs no CSRF token (it is on every cached page).
    switch = client.post("/i18n/setlang/", {"language": "en", "next": "/meetings/"})
    assert switch.status_code == 302 and switch.cookies["django_language"].value == "en"


def test_conditional_requests_answer_304_until_the_data_changes(
    client, make_meeting, django_assert_num_queries
):
    meeting = make_meeting()
    page = client.get("/meetings/")
    etag, modified = page["ETag"], page["Last-Modified"]
    # 1 the data version; nothing is rendered
    with django_assert_num_queries(1):
        again = client.get("/meetings/", headers={"if-none-match": etag})
    assert again.status_code == 304 and again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=60"
    assert client.get("/meetings/", headers={"if-modified-since": modified}).status_code == 304
    earlier = http_date(
        datetime.datetime.strptime(modified, "%a, %d %b %Y %H:%M:%S GMT")
        .replace(tzinfo=datetime.UTC)
        .timestamp()
        - 3600
    )
    assert client.get("/meetings/", headers={"if-modified-since": earlier}).status_code == 200

    Meeting.objects.filter(pk=meeting.pk).update(title="Hội nghị mới")
    changed = client.get("/meetings/", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_editors_and_the_admin_are_never_cached(client, admin_user, make_meeting):
    meeting = make_meeting()
    client.force_login(admin_user)
    for url in [meeting.get_absolute_url(), "/meetings/", "/admin/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "ETag" not in response
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    client.logout()
    assert client.get("/healthz").get("X-Page-Cache") is None


def test_errors_and_redirects_are_not_cached(client, make_meeting):
    make_meeting()
    for url in ["/meetings/no-such-meeting/", "/meetings/?page=999", "/meetings"]:
        client.get(url)
        assert client.get(url).get("X-Page-Cache") is None


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket is


def test_a_redis_that_is_down_gives_uncached_pages_not_errors(client, make_meeting, caplog):
    meeting = make_meeting()
    down = {
        "default": {
            "BACKEND": "portal.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with override_settings(CACHES=down):
        for url in ["/", "/meetings/", "/meetings/?city=ha-noi", meeting.get_absolute_url()]:
            for _ in range(2):
                response = client.get(url)
                assert response.status_code == 200, url
                assert response["X-Page-Cache"] == "miss"
    assert "cache unavailable" in caplog.text


def test_pages_are_shared_through_redis(client, make_meeting, redis_url):
    meeting = make_meeting(title="Hội nghị giao ban quý III")
    up = {
        "default": {
            "BACKEND": "portal.cache.ForgivingRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "test-page-cache",
        }
    }
    with override_settings(CACHES=up):
        from django.core.cache import cache

        cache.clear()
        assert client.get(meeting.get_absolute_url())["X-Page-Cache"] == "miss"
        assert client.get(meeting.get_absolute_url())["X-Page-Cache"] == "hit"
        Meeting.objects.filter(pk=meeting.pk).update(title="Hội nghị sơ kết")
        fresh = client.get(meeting.get_absolute_url())
        assert fresh["X-Page-Cache"] == "miss" and "Hội nghị sơ kết" in fresh.content.decode()
        cache.clear()


def test_bump_data_version_command(client, make_meeting):
    from io import StringIO

    from django.core.management import call_command

    make_meeting()
    first = client.get("/meetings/")
    out = StringIO()
    call_command("bump_data_version", "--dry-run", stdout=out)
    assert f"is {data_version.current().number}" in out.getvalue()
    assert client.get("/meetings/")["X-Page-Cache"] == "hit"
    call_command("bump_data_version", stdout=out)
    again = client.get("/meetings/")
    assert again["X-Page-Cache"] == "miss" and again["ETag"] != first["ETag"]


def test_the_redis_cache_makes_one_client_per_server(redis_url):
    """Django's client builds a redis.Redis per call (about 170 reply handlers each time);
    ours builds it once and keeps using it, reads and writes alike, and still answers."""
    from portal.cache import ForgivingRedisCache

    cache = ForgivingRedisCache(redis_url, {"KEY_PREFIX": "test-shared-client"})
    cache.set("answer", [42], 30)
    assert cache.get("answer") == [42]
    assert cache.get_many(["answer", "nothing"]) == {"answer": [42]}
    first = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is first
    assert cache._cache.get_client(write=True) is first
    cache.delete("answer")
    assert cache.get("answer") is None


def test_a_public_page_checks_its_connection_with_the_data_version_read(
    client, make_meeting, editor, monkeypatch
):
    """No SELECT 1 of Django's health check before a public page: its first query, the data
    version, is the check. A connection the server closed since is replaced, and the page
    answers as usual."""
    meeting = make_meeting(title="Hội nghị giao ban quý III")
    url = meeting.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    checks = []
    real_is_usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or real_is_usable())
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    connection.health_check_done = False  # as at the start of a request (close_old_connections)
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert checks == []

    # The server ends the connection between two requests (a restart, an idle timeout).
    backend = connection.connection.info.backend_pid
    import psycopg2

    killer = psycopg2.connect(**connection.get_connection_params())
    killer.autocommit = True
    with killer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    killer.close()
    connection.health_check_done = False
    response = client.get(url)
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
    assert connection.connection.info.backend_pid != backend
    assert checks == [1]  # asked only once the read had failed: is it the connection?
    # An editor's page (no data version read first) still gets Django's check.
    client.force_login(editor)
    connection.health_check_done = False
    assert client.get(url).status_code == 200
    assert checks == [1, 1]


def test_a_failed_version_read_on_a_live_connection_is_not_tried_again(monkeypatch):
    """A statement timeout is the statement's failure, not the connection's: read once."""
    from django.db import OperationalError

    data_version.current()  # a connection, as a request after the first finds it
    calls = []

    def cancelled(using=None):
        calls.append(using)
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(data_version, "current", cancelled)
    with pytest.raises(OperationalError):
        data_version.current_for_request()
    assert len(calls) == 1
    assert connection.is_usable()
