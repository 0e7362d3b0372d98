"""Shared fixtures: small factories for the data model, on the real PostgreSQL."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
_counter = itertools.count(1)


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
