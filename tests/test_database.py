"""Database selection: DATABASE_URL when set, else the embedded PostgreSQL."""

import json
import shutil
import tempfile
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
