"""Shared fixtures: small factories for the data model, on the real PostgreSQL."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# The dev corpus, negatives and score tool live beside the repository, not in it: tests that
# need them skip when they are absent (tests/test_ingest_corpus.py, test_relevance.py …).
SHARED = ROOT.parent / "shared"
DEV_ARTICLES = SHARED / "corpus" / "dev" / "articles"
needs_dev_corpus = pytest.mark.skipif(
    not DEV_ARTICLES.is_dir(),
    reason="needs the dev corpus in ../shared/corpus/dev (not part of this repository)",
)
_counter = itertools.count(1)


def subprocess_database_url() -> str:
    """The test database as a DATABASE_URL, for the processes a test starts."""
    from django.db import connection

    s = connection.settings_dict
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER'] or 'postgres'}@{host}/{s['NAME']}"


def run_django(code: str, **env: str | None) -> subprocess.CompletedProcess:
    """Run Python code in a fresh process with Django set up, under a changed environment."""
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    for key, value in env.items():
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
    prelude = "import django; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Passwords hashed with a fast hasher in tests: the default's million PBKDF2 rounds cost
    about a second a login on a busy two-core machine, and the suite logs in hundreds of
    times (the lockout tests alone a few dozen). Subprocesses keep the real hasher."""
    from django.conf import settings

    if not settings.configured:
        yield
        return
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the list's cached summary: meetings/facets.py).

    Does nothing when Django is not set up (`pytest -p no:django tests/test_extraction_*.py`
    runs the pure-Python extractor's tests alone)."""
    from django.conf import settings

    if not settings.configured:
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_sessionstart(session):
    """The page cache (meetings/page_cache.py) is off for the suite, from before the test
    modules are collected (test_api.py loads the API schema through the app then).

    Pages are then rendered on every request, so the query counts pinned in tests are the
    views' own; tests marked page_cache (tests/test_page_cache.py) turn it on, with
    committed writes."""
    from django.conf import settings

    if settings.configured:
        settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _page_cache_on_when_marked(request):
    from django.conf import settings

    if not settings.configured or not request.node.get_closest_marker("page_cache"):
        yield
        return
    settings.PAGE_CACHE_SECONDS = 3600
    yield
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def make_city(db):
    from meetings.models import City
    from meetings.slugs import unique_slug

    def make(name="Hà Nội", **fields):
        city = City.objects.filter(name=name).first()
        if city:
            return city
        return City.objects.create(name=name, slug=unique_slug(City, name), **fields)

    return make


@pytest.fixture
def make_meeting(db, make_city):
    from meetings.models import Meeting

    def make(title=None, city="Hà Nội", **fields):
        n = next(_counter)
        title = title or f"Hội nghị giao ban {n}"
        city_obj = make_city(city) if isinstance(city, str) else city
        return Meeting.objects.create(title=title, slug=f"meeting-{n}", city=city_obj, **fields)

    return make


@pytest.fixture
def make_person(db):
    from meetings.models import Person

    def make(name="Nguyễn Thị Tuyến", city=None, **fields):
        return Person.objects.create(
            name=name, slug=f"person-{next(_counter)}", city=city, **fields
        )

    return make


# --- Factories for the public pages (tests/test_pages.py, test_browser.py) ---------------


@pytest.fixture
def make_organization(db):
    from meetings.models import Organization

    def make(name="Liên đoàn Lao động thành phố Hà Nội", city=None, **fields):
        return Organization.objects.create(
            name=name, slug=f"org-{next(_counter)}", city=city, **fields
        )

    return make


@pytest.fixture
def make_directive(db):
    from meetings.models import Directive

    def make(number="24-CT/TU", kind="Chỉ thị", city=None, **fields):
        return Directive.objects.create(
            number=number, kind=kind, slug=f"directive-{next(_counter)}", city=city, **fields
        )

    return make


@pytest.fixture
def make_article(db):
    from meetings.models import Article

    def make(meeting=None, text="Hội nghị giao ban.", **fields):
        n = next(_counter)
        fields.setdefault("url", f"https://example.gov.vn/tin/{n}")
        fields.setdefault("title", f"Bài viết {n}")
        return Article.objects.create(meeting=meeting, text=text, sha256=f"{n:064x}", **fields)

    return make


def span_of(text: str, words: str) -> dict:
    """evidence_start/evidence_end of the first occurrence of `words` in `text`."""
    start = text.index(words)
    return {"evidence_start": start, "evidence_end": start + len(words)}


@pytest.fixture
def make_full_meeting(make_meeting, make_person, make_organization, make_directive, make_article):
    """A meeting with an article, participants, organisations, a directive and metrics,
    each pointing at its words in the article. `n_people`/`n_metrics` add more rows."""
    from decimal import Decimal

    from meetings.models import (
        Directive,
        DirectiveCitation,
        Metric,
        Organization,
        OrganizationMention,
        Participation,
        Person,
    )

    def make(title=None, *, city="Hà Nội", n_people=0, n_metrics=0, text=None, **fields):
        fields.setdefault("period_kind", "quarter")
        fields.setdefault("period_year", 2023)
        fields.setdefault("period_number", 3)
        meeting = make_meeting(title=title, city=city, **fields)
        text = text or (
            "Ngày 23/10, Thành ủy Hà Nội tổ chức Hội nghị giao ban quý III/2023. "
            "Đồng chí Nguyễn Thị Tuyến – Phó Bí thư Thường trực Thành ủy chủ trì Hội nghị.\n\n"
            "Liên đoàn Lao động Thành phố đã thành lập 328 công đoàn cơ sở. "
            "Ủy ban MTTQ Việt Nam Thành phố đã tiếp nhận trên 55 tỷ đồng. "
            "Thực hiện Chỉ thị số 24-CT/TU của Thành ủy."
        )
        article = make_article(meeting=meeting, text=text)
        # The same people, organisation and directive recur across meetings of a city.
        chair = Person.objects.filter(
            name="Nguyễn Thị Tuyến", city=meeting.city
        ).first() or make_person("Nguyễn Thị Tuyến", city=meeting.city)
        Participation.objects.create(
            meeting=meeting,
            person=chair,
            title="Phó Bí thư Thường trực Thành ủy",
            roles=["presiding"],
            article=article,
            **span_of(text, "Nguyễn Thị Tuyến"),
        )
        org = Organization.objects.filter(
            name="Liên đoàn Lao động thành phố Hà Nội", city=meeting.city
        ).first() or make_organization(
            "Liên đoàn Lao động thành phố Hà Nội", city=meeting.city, abbreviation="LĐLĐ"
        )
        OrganizationMention.objects.create(
            meeting=meeting,
            organization=org,
            name_as_written="Liên đoàn Lao động Thành phố",
            article=article,
            **span_of(text, "Liên đoàn Lao động Thành phố"),
        )
        directive = Directive.objects.filter(
            number="24-CT/TU", city=meeting.city
        ).first() or make_directive("24-CT/TU", city=meeting.city)
        DirectiveCitation.objects.create(
            meeting=meeting,
            directive=directive,
            text_as_written="Chỉ thị số 24-CT/TU",
            article=article,
            **span_of(text, "Chỉ thị số 24-CT/TU"),
        )
        Metric.objects.create(
            meeting=meeting,
            organization=org,
            value=Decimal("328"),
            unit="công đoàn cơ sở",
            label="công đoàn cơ sở thành lập",
            extraction_key="unions",
            article=article,
            **span_of(text, "328 công đoàn cơ sở"),
        )
        for i in range(n_people):
            Participation.objects.create(
                meeting=meeting,
                person=make_person(f"Người Thứ {i} {meeting.pk}", city=meeting.city),
                title=f"Chức vụ {i}",
                roles=["attending"],
                article=article,
                evidence_start=0,
                evidence_end=4,
            )
        for i in range(n_metrics):
            Metric.objects.create(
                meeting=meeting,
                organization=org,
                value=Decimal(i),
                unit="VND",
                extraction_key=f"extra-{i}",
                article=article,
                evidence_start=5,
                evidence_end=10,
            )
        return meeting

    return make


# --- end of the public pages' factories ---------------------------------------------------


# --- Factories for the meeting list, search and exports (tests/test_filters.py …) ---------


@pytest.fixture
def make_participation(db):
    from meetings.models import Participation

    def make(meeting, person, roles=("presiding",), title="", **fields):
        return Participation.objects.create(
            meeting=meeting, person=person, roles=list(roles), title=title, **fields
        )

    return make


@pytest.fixture
def make_mention(db):
    from meetings.models import OrganizationMention

    def make(meeting, organization, name_as_written="", **fields):
        return OrganizationMention.objects.create(
            meeting=meeting, organization=organization, name_as_written=name_as_written, **fields
        )

    return make


@pytest.fixture
def make_citation(db):
    from meetings.models import DirectiveCitation

    def make(meeting, directive, text_as_written="", **fields):
        return DirectiveCitation.objects.create(
            meeting=meeting, directive=directive, text_as_written=text_as_written, **fields
        )

    return make


@pytest.fixture
def reindex(db):
    """Rebuild every meeting's search document, as ingest does after writing."""
    from meetings.models import Meeting
    from meetings.search import update_search_documents

    def run():
        return update_search_documents(Meeting.objects.values_list("pk", flat=True))

    return run


@pytest.fixture
def in_english(client):
    """The test client with English chosen (the language switch sets this cookie)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- end of the meeting list, search and exports factories -------------------------------


# --- browser tests (Debian's Chromium driven by Playwright) -------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
# As root, without the sandbox; no background networking, which this closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium; fails with how to install it when missing, unless skipped on purpose."""
    if os.environ.get("SKIP_BROWSER_TESTS") == "1":
        pytest.skip("SKIP_BROWSER_TESTS=1")
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium with "
            "`apt-get update && apt-get install -y chromium` "
            "(or set SKIP_BROWSER_TESTS=1 to skip the browser tests)",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls that fixtures
    # make around it are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- the editors' admin (tests/test_history.py, test_review.py, test_admin_places.py …) -------

EDITOR_PASSWORD = "editor-pass-1234"


@pytest.fixture
def gazetteer_places(db):
    """Every province and district of the gazetteer, as migration 0011 loads them (loaded
    again here: a browser test's flush empties every table, migrated data included)."""
    from meetings.ingest.places import load_gazetteer_places

    load_gazetteer_places()


@pytest.fixture
def editor(db):
    """A staff user in the "Editors" group (setup_editors)."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    call_command("setup_editors", verbosity=0)
    user = User.objects.create_user(
        "editor", password=EDITOR_PASSWORD, is_staff=True, first_name="Lan", last_name="Trần"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def ingest_corpus(*, reextract: bool = False):
    """Ingest the repository's seeds, as `manage.py ingest_articles seeds/` would."""
    from meetings.ingest import ingest_paths
    from meetings.models import Article

    if reextract:
        Article.objects.update(extractor_version="", extraction={})
    report = ingest_paths([SEEDS])
    assert report.ok, [(r.path, r.reason) for r in report.failures]
    return report


class RefusedInserts:
    """Fault injection at the database, the seam every writer goes through: a trigger makes
    PostgreSQL refuse inserts into a model's table (the rows matching an SQL condition on NEW),
    as a full disk or a lost connection would fail an article midway. The test's transaction
    takes the trigger away with everything else."""

    def refuse(self, model, condition: str = "true", message: str = "disk full") -> None:
        from django.db import connection

        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION test_refuse_{table}() RETURNS trigger"
                f" LANGUAGE plpgsql AS $$ BEGIN IF {condition} THEN"
                f" RAISE EXCEPTION '{message}'; END IF; RETURN NEW; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER test_refuse BEFORE INSERT ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION test_refuse_{table}()"
            )

    def allow(self, model) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER test_refuse ON {model._meta.db_table}")


@pytest.fixture
def refused_inserts(db) -> RefusedInserts:
    return RefusedInserts()


# --- end of the editors' admin fixtures -------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url():
    """A Redis on 127.0.0.1:6379 (started with `redis-server --daemonize yes` if it is not
    running; .ci/run installs it), database 9 by default (TEST_REDIS_URL)."""
    import shutil
    import time

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)

    def answers() -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    if not answers():
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed (apt-get install redis-server)")
        subprocess.run(["redis-server", "--daemonize", "yes"], check=False, timeout=30)
        for _ in range(50):
            if answers():
                break
            time.sleep(0.1)
        else:
            pytest.skip(f"Redis did not answer at {url} after `redis-server --daemonize yes`")
    return url
