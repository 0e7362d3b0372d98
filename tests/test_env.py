"""Settings helpers: typed parsing of environment variables, with clear errors."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_origins, parse_database_url
from tests.conftest import run_django


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "on", " On "])
def test_env_bool_true(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "no", "off", ""])
def test_env_bool_false(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", default=True) is False


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", default=True) is True


def test_env_bool_bad_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG: expected a boolean .* 'maybe'"):
        env_bool("DEBUG")


def test_env_int(monkeypatch):
    monkeypatch.setenv("N", " 42 ")
    assert env_int("N", 1) == 42
    monkeypatch.setenv("N", "forty")
    with pytest.raises(ImproperlyConfigured, match="N: expected an integer, got 'forty'"):
        env_int("N", 1)


def test_env_list_drops_blanks(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, ,b.example,")
    assert env_list("ALLOWED_HOSTS") == ["a.example", "b.example"]


def test_env_origins_require_a_scheme(monkeypatch):
    monkeypatch.setenv("CSRF_TRUSTED_ORIGINS", "https://portal.example.org,portal.example.org")
    with pytest.raises(ImproperlyConfigured, match="CSRF_TRUSTED_ORIGINS: 'portal.example.org'"):
        env_origins("CSRF_TRUSTED_ORIGINS")


def test_parse_database_url_full():
    db = parse_database_url("postgres://u%40x:p%2Fw@db.internal:6543/portal?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "u@x",
        "p/w",
        "db.internal",
        "6543",
        "portal",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_parse_database_url_socket_host():
    db = parse_database_url("postgresql://postgres@/portal?host=/var/run/postgresql")
    assert db["HOST"] == "/var/run/postgresql"
    assert db["OPTIONS"] == {}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/db", "only PostgreSQL is supported"),
        ("postgres://localhost:5432", "the database name is missing"),
        ("postgres://localhost:port/db", "the port is not a number"),
        ("localhost/db", "only PostgreSQL is supported"),
    ],
)
def test_parse_database_url_errors_name_the_variable(url, message):
    with pytest.raises(ImproperlyConfigured, match=f"DATABASE_URL: {message}"):
        parse_database_url(url)


def test_secret_key_required_when_debug_off():
    result = run_django("", DEBUG="0", SECRET_KEY=None, ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY: required when DEBUG is off" in result.stderr


def test_allowed_hosts_required_when_debug_off():
    result = run_django("", DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS=None)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS: required when DEBUG is off" in result.stderr


def test_bad_debug_value_stops_startup_with_its_name():
    result = run_django("", DEBUG="sometimes")
    assert result.returncode != 0
    assert "DEBUG: expected a boolean" in result.stderr


def test_production_settings_load():
    code = (
        "from django.conf import settings\n"
        "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS,"
        " settings.SESSION_COOKIE_SECURE)"
    )
    result = run_django(
        code,
        DEBUG="off",
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="portal.example.org",
        CSRF_TRUSTED_ORIGINS="https://portal.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False ['portal.example.org'] ['https://portal.example.org'] True"
    )


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


def test_parse_database_url_timeouts():
    db = parse_database_url("postgres://h/portal", connect_timeout=3, statement_timeout=10)
    assert db["OPTIONS"] == {"connect_timeout": "3", "options": "-c statement_timeout=10000"}
    # What the address says itself wins; other options are kept.
    db = parse_database_url(
        "postgres://h/portal?connect_timeout=7&options=-c%20search_path%3Dx",
        connect_timeout=3,
        statement_timeout=10,
    )
    assert db["OPTIONS"] == {
        "connect_timeout": "7",
        "options": "-c search_path=x -c statement_timeout=10000",
    }
    db = parse_database_url(
        "postgres://h/portal?options=-c%20statement_timeout%3D500", statement_timeout=10
    )
    assert db["OPTIONS"] == {"options": "-c statement_timeout=500"}
    assert parse_database_url("postgres://h/portal")["OPTIONS"] == {}  # 0: none


def test_timeouts_default_and_environment():
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    url = "postgres://postgres@127.0.0.1:5432/portal_x"
    result = run_django(
        code, DATABASE_URL=url, DATABASE_CONNECT_TIMEOUT=None, DATABASE_STATEMENT_TIMEOUT=None
    )
    assert result.returncode == 0, result.stderr
    assert "'connect_timeout': '3'" in result.stdout
    assert "statement_timeout=10000" in result.stdout
    result = run_django(
        code, DATABASE_URL=url, DATABASE_CONNECT_TIMEOUT="5", DATABASE_STATEMENT_TIMEOUT="0"
    )
    assert result.stdout.strip() == "{'connect_timeout': '5'}"
    result = run_django(code, DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT="-1")
    assert result.returncode != 0
    assert "DATABASE_STATEMENT_TIMEOUT: expected at least 0, got -1" in result.stderr


PRODUCTION = {"DEBUG": "0", "ALLOWED_HOSTS": "portal.example.org", "SECRET_KEY": "k" * 50}


def test_short_secret_key_refused_when_debug_off():
    result = run_django("", **{**PRODUCTION, "SECRET_KEY": "k" * 49})
    assert result.returncode != 0
    assert "SECRET_KEY: 49 characters; use at least 50 random ones" in result.stderr
    assert run_django("", **{**PRODUCTION, "SECRET_KEY": "k" * 49, "DEBUG": "1"}).returncode == 0


@pytest.mark.parametrize("hosts", ["*", "portal.example.org,*"])
def test_any_host_refused_when_debug_off(hosts):
    result = run_django("", **{**PRODUCTION, "ALLOWED_HOSTS": hosts})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS: '*' is refused when DEBUG is off" in result.stderr


def test_hsts_preload_only_with_a_year():
    code = (
        "from django.conf import settings\n"
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_PRELOAD)\n"
    )
    result = run_django(code, **PRODUCTION, SECURE_HSTS_SECONDS=None)
    assert result.stdout.strip() == "31536000 True", result.stderr
    result = run_django(code, **PRODUCTION, SECURE_HSTS_SECONDS="3600")
    assert result.stdout.strip() == "3600 False", result.stderr
