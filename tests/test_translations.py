"""The admin in Vietnamese (English when switched): nothing left untranslated.

- `makemessages` over the project finds no untranslated or fuzzy text in
  locale/vi/LC_MESSAGES/django.po (run on a copy, so the catalogue here is not touched);
- every model and field an editor sees has a Vietnamese name;
- the pages editors use show none of the English texts the issue found.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from tests.conftest import ROOT, ingest_corpus, run_django

SOURCES = ("meetings", "portal", "templates", "locale", "manage.py")
# Field names that read the same in both languages.
SAME_IN_BOTH = {"HTTP Accept"}


def test_makemessages_leaves_nothing_untranslated(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    po = tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    for flags in (["--untranslated"], ["--only-fuzzy"]):
        left = subprocess.run(
            ["msgattrib", *flags, "--no-obsolete", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        msgids = [m for m in re.findall(r'^msgid "(.*)"$', left, re.M) if m]
        assert msgids == [], (flags, msgids)


def admin_models():
    return [model for model in admin.site._registry if model._meta.app_label != "auth"]


@pytest.mark.parametrize("model", admin_models(), ids=lambda m: m._meta.label)
def test_every_name_an_editor_sees_is_translated(model):
    with translation.override("vi"):
        names = [model._meta.verbose_name, model._meta.verbose_name_plural]
        names += [
            f.verbose_name for f in model._meta.concrete_fields if f.editable and not f.primary_key
        ]
        names.append(model._meta.app_config.verbose_name)
        untranslated = [
            str(name)
            for name in names
            if str(name) not in SAME_IN_BOTH and str(name) == _english(name)
        ]
    assert untranslated == []


def _english(name) -> str:
    with translation.override("en"):
        return str(name)


# What the issue found in English on the editors' pages.
ENGLISH = [
    "PERSON",
    "ORGANIZATION",
    "DIRECTIVE",
    "CREATED AT",
    "Created at",
    "Choose a date",
    "Changed",
    "Created",
    "As ingested",
    "Marked verified",
    "Change reason",
    "Show counts",
    "History",
    "Axes",
    "Access attempts",
    "source sentence",
    "review queue",
]


@pytest.fixture
def edited(editor_client):
    from meetings.models import City, Meeting
    from tests.test_admin import change_url, form_data

    ingest_corpus()
    meeting = Meeting.objects.get(city__name="Hà Nội", held_on="2023-10-23")
    data = form_data(editor_client.get(change_url(meeting)))
    data["city"] = str(City.objects.get(name="Hải Phòng").pk)
    data["_verify"] = "1"
    editor_client.post(change_url(meeting), data)
    return meeting


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def test_the_editors_pages_are_in_vietnamese(editor_client, admin_client, edited):
    chair = edited.participations.first()
    pages = [
        (editor_client, reverse("admin:index")),
        (editor_client, reverse("admin:meetings_meeting_changelist")),
        (editor_client, reverse("admin:meetings_meeting_change", args=[edited.pk])),
        (editor_client, reverse("admin:meetings_meeting_history", args=[edited.pk])),
        (editor_client, reverse("admin:meetings_meetingtoreview_changelist")),
        (editor_client, reverse("admin:meetings_participation_history", args=[chair.pk])),
        (editor_client, reverse("admin:meetings_person_changelist")),
        (admin_client, reverse("admin:index")),
        (admin_client, reverse("admin:axes_accessattempt_changelist")),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        found = [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", text)]
        assert found == [], url
    index = visible_text(admin_client.get(reverse("admin:index")).content.decode())
    assert "Khóa đăng nhập" in index and "Hàng đợi kiểm tra" in index


def test_english_when_switched(editor_client, edited):
    from django.conf import settings

    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = editor_client.get(reverse("admin:meetings_meeting_history", args=[edited.pk]))
    text = visible_text(page.content.decode())
    assert "Marked verified" in text and "As ingested" in text and "Hải Phòng" in text
    assert "Lịch sử" not in text


def test_compiled_catalogue_is_up_to_date():
    result = run_django(
        "from django.utils import translation\n"
        "translation.activate('vi')\n"
        "print(translation.gettext('Review queue: meetings no editor has verified, those to"
        " check first on top'))\n"
    )
    assert result.returncode == 0, result.stderr
    assert "Hàng đợi kiểm tra" in result.stdout
