"""The interface is Vietnamese unless the visitor chose English with the switch."""

import pytest

pytestmark = pytest.mark.django_db


def test_vietnamese_by_default_even_for_english_browsers(client):
    response = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"
    assert "Tìm kiếm" in response.content.decode() or "Hội nghị" in response.content.decode()


def test_switch_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/meetings/"})
    assert response.status_code == 302
    english = client.get("/meetings/")
    assert english.headers["Content-Language"] == "en"
    assert "Meetings" in english.content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/meetings/"})
    assert client.get("/meetings/").headers["Content-Language"] == "vi"


def test_unknown_language_cookie_falls_back_to_vietnamese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "klingon"
    assert client.get("/meetings/").headers["Content-Language"] == "vi"
