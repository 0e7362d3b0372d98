"""Two app servers sharing Redis: a change through one, or an ingest, is seen through the other.

Two gunicorn processes on different ports, configured as deployed (REDIS_URL, the page cache
on), serve the test database. Pages cached by one are served by the other; an editor's save
in the admin of the first, and an ingest, are seen on the next request through the second.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from tests.conftest import subprocess_database_url

pytestmark = [pytest.mark.page_cache, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def servers(redis_url):
    database = subprocess_database_url()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PAGE_CACHE", "DATABASE_REPLICA"))
    }
    env.update(
        DATABASE_URL=database,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=f"two-servers-{os.getpid()}",
        DEBUG="1",
        ALLOWED_HOSTS="portal.test,127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    started = []
    try:
        for _ in range(2):
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "portal.wsgi", "--workers", "1"]
                + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
            started.append((process, f"http://127.0.0.1:{port}"))
        for process, base in started:
            for _ in range(200):
                assert process.poll() is None, "gunicorn exited"
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=5)
                    break
                except OSError:
                    time.sleep(0.1)
        yield [base for _, base in started]
    finally:
        for process, _ in started:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def get(opener, address: str) -> tuple[str, str | None]:
    # Behind the load balancer both servers are asked for the same host (part of the key).
    request = urllib.request.Request(address, headers={"Host": "portal.test"})
    with opener.open(request, timeout=30) as response:
        assert response.status == 200
        return response.read().decode(), response.headers.get("X-Page-Cache")


def test_a_save_through_one_server_and_an_ingest_are_seen_through_the_other(servers):
    from django.contrib.auth.models import User

    from meetings.models import City, Meeting

    one, other = servers
    city = City.objects.create(name="Thành phố Thử", slug="thanh-pho-thu")
    Meeting.objects.create(title="Hội nghị giao ban quý III", slug="giao-ban-thu", city=city)
    # Hashed as the servers check it: the suite's fast hasher (conftest) is not theirs.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        User.objects.create_superuser("editor", "editor@example.org", "a-long-test-password-1")
    reader = urllib.request.build_opener()
    page = f"{city.get_absolute_url()}"

    assert get(reader, one + page)[1] == "miss"
    body, cached = get(reader, other + page)
    assert cached == "hit"  # rendered by the first server, kept in Redis for both
    assert "Thành phố Đã Sửa" not in body

    # An editor saves the province's full name in the admin of the first server.
    jar = http.cookiejar.CookieJar()
    editor = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(address: str, fields: dict) -> None:
        form, _ = get(editor, address)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        with editor.open(address, data=data, timeout=30) as response:
            assert response.status == 200  # after the redirect
            assert "errornote" not in response.read().decode()

    post(
        f"{one}/admin/login/",
        {"username": "editor", "password": "a-long-test-password-1", "next": "/admin/"},
    )
    post(
        f"{one}/admin/meetings/city/{city.pk}/change/",
        {
            "name": city.name,
            "full_name": "Thành phố Đã Sửa",
            "slug": city.slug,
            "code": "",
            "merged_into": "",
        },
    )
    assert City.objects.get(pk=city.pk).full_name == "Thành phố Đã Sửa"
    body, cached = get(reader, other + page)
    assert "Thành phố Đã Sửa" in body and cached == "miss"

    # An ingest (here, in this process) is seen through both on their next request.
    get(reader, other + "/meetings/")
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    call_command("ingest_articles", str(seed), verbosity=0)
    title = Meeting.objects.exclude(pk__in=[m.pk for m in city.meetings.all()]).get().title
    body, cached = get(reader, other + "/meetings/")
    assert cached == "miss" and title in body
    body, cached = get(reader, one + "/meetings/")
    assert cached == "hit" and title in body
