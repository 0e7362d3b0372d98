"""Time the meeting list, its facets, deep pages, search and the admin changelist.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_list \\
        .venv/bin/python bench/bench_listing.py [--reps 20] [--warmup 3] [--only list]

Requests go in-process through django.test.Client (DEBUG off, local-memory cache as
configured), after warm-up requests; each URL is requested at least --reps times and the
median, 95th percentile and SQL query count are printed, with the load average before and
after (the machine is shared: compare ratios within one run rather than across runs).
Parameters (the busiest city, period, organisation, presiding official) come from the
database itself, so the script works on any corpus. `bench/run.py` (`make bench`) is the
full benchmark; this one is the quick loop for the list and search pages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-listing-not-secret-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    from django.test.utils import override_settings, setup_test_environment

    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        SECURE_SSL_REDIRECT=False,
    ).enable()
    setup_test_environment()


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def picks() -> dict:
    """Real values: the busiest city, its busiest period and organisation, a presiding official."""
    from django.db.models import Count

    from meetings.filters import period_param
    from meetings.models import Meeting, Organization, Participation

    city = (
        Meeting.objects.values("city_id", "city__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "city_id")
        .first()
    )
    period = (
        Meeting.objects.filter(city_id=city["city_id"])
        .exclude(period_kind="")
        .values("period_kind", "period_year", "period_number")
        .annotate(n=Count("id"))
        .order_by("-n", "-period_year")
        .first()
    )
    org = (
        Organization.objects.filter(city_id=city["city_id"])
        .annotate(n=Count("mentions"))
        .order_by("-n", "id")
        .values("slug")
        .first()
    )
    busy = (
        Organization.objects.annotate(n=Count("mentions"))
        .order_by("-n", "id")
        .values("slug", "n")
        .first()
    )
    person = (
        Participation.objects.filter(roles__contains=["presiding"])
        .values("person_id", "person__slug", "person__name")
        .annotate(n=Count("id"))
        .order_by("-n", "person_id")
        .first()
    )
    total = Meeting.objects.count()
    meeting = Meeting.objects.order_by("id").values("slug")[total // 2]
    return {
        "city": city["city__slug"],
        "city_id": city["city_id"],
        "period": period_param(
            period["period_kind"], period["period_year"], period["period_number"]
        ),
        "period_kind": period["period_kind"],
        "period_year": period["period_year"],
        "org": org["slug"] if org else "",
        "busy_org": busy["slug"],
        "busy_org_n": busy["n"],
        "person": person["person__slug"],
        "person_name": person["person__name"],
        "meeting": meeting["slug"],
        "total": total,
    }


def plan(p: dict) -> list[tuple[str, str, str, bool]]:
    """(group, name, url, as admin)."""
    from django.urls import reverse

    from meetings.extraction.text import fold

    def u(name, query=None, **kwargs):
        path = reverse(name, kwargs=kwargs or None)
        return f"{path}?{urlencode(query)}" if query else path

    three = {"city": p["city"], "period": p["period"], "organization": p["org"]}
    admin = u("admin:meetings_meeting_changelist")
    admin_three = {
        "city__id__exact": p["city_id"],
        "period_kind__exact": p["period_kind"],
        "period_year__exact": p["period_year"],
    }
    return [
        ("list", "no filter", u("meetings:meeting_list"), False),
        ("list", "city", u("meetings:meeting_list", {"city": p["city"]}), False),
        ("list", "city+period+org", u("meetings:meeting_list", three), False),
        ("list", "presiding", u("meetings:meeting_list", {"presiding": p["person"]}), False),
        ("list", "page 2000", u("meetings:meeting_list", {"page": 2000}), False),
        (
            "list",
            "city, page 500",
            u("meetings:meeting_list", {"city": p["city"], "page": 500}),
            False,
        ),
        ("list", "words (hội nông dân)", u("meetings:meeting_list", {"q": "hội nông dân"}), False),
        ("search", "word (máu)", u("meetings:search", {"q": "máu"}), False),
        ("search", "phrase", u("meetings:search", {"q": '"công đoàn cơ sở"'}), False),
        ("search", "folded name", u("meetings:search", {"q": fold(p["person_name"])}), False),
        ("search", "abbreviation (LĐLĐ)", u("meetings:search", {"q": "LĐLĐ"}), False),
        ("pages", "meeting", u("meetings:meeting_detail", slug=p["meeting"]), False),
        (
            "pages",
            f"organisation ({p['busy_org_n']:,} mentions)",
            u("meetings:organization_detail", slug=p["busy_org"]),
            False,
        ),
        ("admin", "no filter", admin, True),
        ("admin", "city", f"{admin}?{urlencode({'city__id__exact': p['city_id']})}", True),
        ("admin", "city+period kind+year", f"{admin}?{urlencode(admin_three)}", True),
        ("admin", "page 400 (row 40,000)", f"{admin}?p=400", True),
        ("admin", "search (máu)", f"{admin}?q=m%C3%A1u", True),
        ("admin", "search (LĐLĐ)", f"{admin}?{urlencode({'q': 'LĐLĐ'})}", True),
    ]


def measure(client, url: str, reps: int, warmup: int) -> tuple[list[float], int, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        client.get(url)
    times, queries, status = [], 0, 0
    for _ in range(reps):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - t0) * 1000)
        queries, status = len(ctx.captured_queries), response.status_code
    return times, queries, status


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", help="only the rows of this group (list, search, pages, admin)")
    args = parser.parse_args(argv)
    setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    p = picks()
    print(f"meetings: {p['total']:,}  load average before: {load()}")
    public = Client(raise_request_exception=False)
    user, created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    staff = Client(raise_request_exception=False)
    staff.force_login(user)
    print(f"{'group':7} {'what':32} {'median':>8} {'p95':>8} {'queries':>7} status  url")
    for group, name, url, as_admin in plan(p):
        if args.only and group != args.only:
            continue
        times, queries, status = measure(staff if as_admin else public, url, args.reps, args.warmup)
        print(
            f"{group:7} {name[:32]:32} {statistics.median(times):8.1f} {p95(times):8.1f}"
            f" {queries:7d} {status:6d}  {url[:90]}",
            flush=True,
        )
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
