"""Read replicas (portal/db_router.py) against a real streaming replica of the test server.

The fixture makes a second PostgreSQL cluster with `pg_basebackup -R` from the server the
tests run on (as the postgres user when run as root: postgres refuses to run as root), starts
it on a free port and stops it at the end. It needs, on that server, wal_level replica (or
logical), max_wal_senders > 0 and a pg_hba.conf line allowing replication connections from
127.0.0.1 (.ci/run adds `host replication all 127.0.0.1/32 trust`); the skip reason says
which is missing.

The pages are requested in another process, configured as an app server with
DATABASE_REPLICA_URLS, so that Django's connections are made from the settings as deployed.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import run_django, subprocess_database_url

pytestmark = pytest.mark.django_db(transaction=True)

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def missing_on_primary() -> list[str]:
    """What the primary lacks to feed a streaming replica from 127.0.0.1."""
    missing = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('wal_level'), current_setting('max_wal_senders')")
        wal_level, senders = cursor.fetchone()
        if wal_level not in ("replica", "logical"):
            missing.append(f"wal_level = replica (it is {wal_level})")
        if int(senders) < 1:
            missing.append("max_wal_senders > 0")
        cursor.execute(
            "SELECT count(*) FROM pg_hba_file_rules WHERE error IS NULL "
            "AND 'replication' = ANY(database) AND type IN ('host', 'hostnossl') "
            "AND (address IS NULL OR address = 'all' OR '127.0.0.1'::inet <<= "
            "(address || '/' || coalesce(masklen(netmask::inet), 32))::inet)"
        )
        if cursor.fetchone()[0] == 0:
            missing.append(
                "a pg_hba.conf line for replication from 127.0.0.1, e.g. "
                "`host replication all 127.0.0.1/32 trust` (then SELECT pg_reload_conf())"
            )
    return missing


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture
def replica_url(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        missing = missing_on_primary()
    if missing:
        pytest.skip("the PostgreSQL server cannot feed a replica; it needs " + "; ".join(missing))
    for tool in ("pg_basebackup", "pg_ctl"):
        if not (PG_BIN / tool).exists():
            pytest.skip(f"{PG_BIN / tool} is missing (PG_BIN names the PostgreSQL binaries)")
    primary = connection.settings_dict
    folder = Path(tempfile.mkdtemp(prefix="portal-replica-"))
    data = folder / "data"
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    port = free_port()
    command = [
        str(PG_BIN / "pg_basebackup"),
        f"--host={primary['HOST'] or '127.0.0.1'}",
        f"--port={primary['PORT'] or 5432}",
        f"--username={primary['USER'] or 'postgres'}",
        f"--pgdata={data}",
        "--write-recovery-conf",
        "--wal-method=stream",
        "--checkpoint=fast",
    ]
    # A busy server (an ingest elsewhere) may end the copy's WAL stream at a checkpoint.
    for _ in range(3):
        backup = as_postgres(command)
        if backup.returncode == 0:
            break
    else:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"pg_basebackup failed three times: {backup.stderr}")
    # Debian keeps the configuration in /etc: the copy needs its own.
    (data / "postgresql.conf").write_text("hot_standby = on\n")
    (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    if os.geteuid() == 0:
        for name in ("postgresql.conf", "pg_hba.conf"):
            shutil.chown(data / name, "postgres", "postgres")
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder}"
    start = as_postgres(
        [str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w"]
        + ["start"]
    )
    if start.returncode:
        log = (folder / "log").read_text() if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"the replica did not start: {start.stderr}{log}")
    try:
        yield f"postgres://{primary['USER'] or 'postgres'}@127.0.0.1:{port}/{primary['NAME']}"
    finally:
        as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


def replayed(url: str, lsn: str, *, timeout: float) -> bool:
    """Whether the replica at `url` has replayed the primary's WAL up to `lsn` in time."""
    import psycopg2

    from portal.env import parse_database_url

    cfg = parse_database_url(url)
    conn = psycopg2.connect(
        dbname=cfg["NAME"], user=cfg["USER"], host=cfg["HOST"], port=cfg["PORT"]
    )
    conn.autocommit = True
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if cursor.fetchone()[0]:
                    return True
            time.sleep(0.1)
        return False
    finally:
        conn.close()


SCRIPT = """
import json, time
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.contrib.auth.models import User
from meetings.models import City

setup_test_environment()
city = City.objects.get(slug="thanh-pho-thu")  # outside a request: the primary
url = city.get_absolute_url()
out = {}

def caught(client, method="get", *args, **kwargs):
    with CaptureQueriesContext(connections["replica1"]) as replica, \\
            CaptureQueriesContext(connections["default"]) as primary:
        response = getattr(client, method)(*args, **kwargs)
    return response, len(replica), len(primary)

reader = Client()
response, on_replica, on_primary = caught(reader, "get", url)
out["public"] = [response.status_code, on_replica, on_primary]
# A filtered list: its facets are counted in raw SQL, on the replica too.
response, on_replica, on_primary = caught(reader, "get", "/meetings/?city=thanh-pho-thu&q=giao")
out["public_list"] = [response.status_code, on_replica, on_primary]
with connections["replica1"].cursor() as cursor:
    cursor.execute("SELECT pg_is_in_recovery()")
    out["replica_in_recovery"] = cursor.fetchone()[0]
    # Hold the replica back, as a lagging one would be.
    cursor.execute("SELECT pg_wal_replay_pause()")

editor = Client()
editor.force_login(User.objects.get(username="editor"))
response, on_replica, on_primary = caught(
    editor, "post", f"/admin/meetings/city/{city.pk}/change/",
    {"name": city.name, "full_name": "Thành phố Đã Sửa", "slug": city.slug, "code": "",
     "merged_into": ""},
)
out["save"] = [response.status_code, on_replica, on_primary, "recent_write" in response.cookies]
response, on_replica, on_primary = caught(editor, "get", url)
out["editor_after_save"] = [
    "Thành phố Đã Sửa" in response.content.decode(), on_replica, on_primary,
]
response, on_replica, on_primary = caught(reader, "get", url)
out["reader_while_replica_lags"] = [
    "Thành phố Đã Sửa" in response.content.decode(), on_replica, on_primary,
]
with connections["replica1"].cursor() as cursor:
    cursor.execute("SELECT pg_wal_replay_resume()")
deadline = time.monotonic() + 90  # run_django gives the script 120 s
while time.monotonic() < deadline:
    response = reader.get(url)
    if "Thành phố Đã Sửa" in response.content.decode():
        break
    time.sleep(0.2)
out["reader_after_replay"] = "Thành phố Đã Sửa" in response.content.decode()
print(json.dumps(out))
"""


def test_public_reads_use_the_replica_and_an_editor_sees_a_save_at_once(replica_url):
    from django.contrib.auth.models import User

    from meetings.models import City, Meeting

    city = City.objects.create(name="Thành phố Thử", slug="thanh-pho-thu")
    Meeting.objects.create(title="Hội nghị giao ban quý III", slug="giao-ban-thu", city=city)
    User.objects.create_superuser("editor", "editor@example.org", "not-used-here-1")
    # The replica has what the primary committed (streaming; on a busy server, replaying
    # what other databases wrote since the copy may take a while).
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        written = cursor.fetchone()[0]
    assert replayed(replica_url, written, timeout=300), "the replica did not catch up in 5 min"

    result = run_django(
        SCRIPT, DATABASE_URL=subprocess_database_url(), DATABASE_REPLICA_URLS=replica_url
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["replica_in_recovery"] is True
    status, on_replica, on_primary = out["public"]
    assert status == 200 and on_replica > 0 and on_primary == 0  # the page read the replica
    status, on_replica, on_primary = out["public_list"]
    assert status == 200 and on_replica > 0 and on_primary == 0  # facets too
    status, on_replica, on_primary, pinned = out["save"]
    assert status == 302 and on_primary > 0 and pinned  # the admin wrote to the primary
    seen, on_replica, on_primary = out["editor_after_save"]
    assert seen and on_replica == 0 and on_primary > 0  # the editor reads the primary
    seen, on_replica, on_primary = out["reader_while_replica_lags"]
    assert not seen and on_replica > 0 and on_primary == 0  # readers: the (held) replica
    assert out["reader_after_replay"]
