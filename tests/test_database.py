"""Database selection: DATABASE_URL when set, else the embedded PostgreSQL."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_django

VAR = ROOT / "var"
VAR.mkdir(exist_ok=True)

PRINT_DB = (
    "import json; from django.conf import settings; "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({k: db[k] for k in ('ENGINE', 'NAME', 'HOST', 'PORT')}))"
)


def test_database_url_selects_that_server():
    result = run_django(PRINT_DB, DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal_x")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "portal_x",
        "HOST": "127.0.0.1",
        "PORT": "5432",
    }


def test_unset_database_url_selects_embedded_postgres():
    result = run_django(PRINT_DB, DATABASE_URL=None)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ENGINE"] == "portal.embedded_postgres"


@pytest.fixture
def embedded_dir():
    """A fresh data folder under var/ (pytest's own tmp folders are root-only and are pruned
    by concurrent pytest runs; the embedded server runs as its own user)."""
    path = Path(tempfile.mkdtemp(prefix="test-embedded-", dir=VAR))
    yield path / "postgres"
    shutil.rmtree(path, ignore_errors=True)


def test_embedded_postgres_starts_on_first_use_and_is_reused(embedded_dir):
    data_dir = embedded_dir
    query = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SELECT version()')\n"
        "    print(c.fetchone()[0].split()[0])\n"
    )
    first = run_django(query, DATABASE_URL=None, EMBEDDED_POSTGRES_DIR=str(data_dir))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "PostgreSQL"
    assert (data_dir / "PG_VERSION").exists()
    pid_file = (data_dir / "postmaster.pid").read_text().split()[0]
    second = run_django(query, DATABASE_URL=None, EMBEDDED_POSTGRES_DIR=str(data_dir))
    assert second.returncode == 0, second.stderr
    # The second process attached to the server the first one left running.
    assert (data_dir / "postmaster.pid").read_text().split()[0] == pid_file
    stop = run_django(
        "import pgserver, os; pgserver.get_server(os.environ['EMBEDDED_POSTGRES_DIR'],"
        " cleanup_mode='stop')",
        DATABASE_URL=None,
        EMBEDDED_POSTGRES_DIR=str(data_dir),
    )
    assert stop.returncode == 0, stop.stderr


# An unreachable database: pages answer 503 within seconds, never hang, never 500.


@contextmanager
def tarpit():
    """A TCP server that accepts connections and never answers a byte: the database that
    hung every worker. Yields its port and the list of connections it accepted."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], accepted
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        server.close()


REQUEST_PAGES = (
    "from django.test import Client\n"
    "client = Client()\n"
    "for url in ['/healthz', '/', '/meetings/', '/search/?q=uy+ban', '/meetings/export.csv']:\n"
    "    r = client.get(url)\n"
    "    body = b''.join(r.streaming_content) if r.streaming else r.content\n"
    "    print(url, r.status_code, r.get('Retry-After'), b'503' in body)\n"
)


def test_a_database_that_never_answers_gives_503_not_a_hang():
    with tarpit() as (port, accepted):
        result = run_django(  # run_django's own timeout (120 s) is the "does not hang"
            REQUEST_PAGES,
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/portal",
            DATABASE_CONNECT_TIMEOUT=None,  # the default
            ALLOWED_HOSTS="testserver",
        )
        assert accepted, "the portal never tried to connect"
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.strip().splitlines()]
    assert [line[0] for line in lines] == [
        "/healthz",
        "/",
        "/meetings/",
        "/search/?q=uy+ban",
        "/meetings/export.csv",
    ]
    for url, status, retry_after, says_503 in lines:
        assert status == "503", (url, result.stderr)
        if url != "/healthz":  # the page, with Retry-After; /healthz answers JSON
            assert retry_after == "30" and says_503 == "True", url
    assert "Internal Server Error" not in result.stderr
    assert "database unavailable for GET /meetings/" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_a_statement_the_server_cancels_gives_503(make_meeting):
    """A query stuck behind a lock for longer than DATABASE_STATEMENT_TIMEOUT is cancelled by
    the server: the page says "temporarily unavailable" instead of holding its worker."""
    from django.conf import settings
    from django.db import connection, transaction

    make_meeting()
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE meetings_meeting IN ACCESS EXCLUSIVE MODE")
        result = run_django(
            "from django.test import Client\n"
            "r = Client().get('/meetings/')\n"
            "print(r.status_code)\n",
            DATABASE_URL=url,
            DATABASE_STATEMENT_TIMEOUT="1",
            ALLOWED_HOSTS="testserver",
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "503", result.stderr
    assert "canceling statement due to statement timeout" in result.stderr


def test_manage_py_commands_have_no_statement_timeout_unless_asked():
    show = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW statement_timeout'); print(c.fetchone()[0])\n"
    )
    url = "postgres://postgres@127.0.0.1:5432/postgres"
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DATABASE_STATEMENT_TIMEOUT", None)
    command = [sys.executable, "manage.py", "shell", "-c", show]
    managed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert managed.stdout.strip().splitlines()[-1] == "0", managed.stderr
    web = run_django(show, DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT=None)
    assert web.stdout.strip() == "10s", web.stderr  # the web server's default


def test_outside_a_view_a_database_error_is_a_503_too(rf):
    """Errors the middleware never sees (in a 404 handler, in another middleware) reach the
    500 handler, which tells an unreachable database from a bug."""
    from django.db import OperationalError

    from meetings.views.site import server_error

    try:
        raise OperationalError("connection to server failed: timeout expired")
    except OperationalError:
        response = server_error(rf.get("/no-such-page/"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    try:
        raise KeyError("a bug")
    except KeyError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
