"""Typed readers for environment variables, with errors that name the variable.

Settings call these at import time, so a bad value stops the process with a message
such as "DEBUG: expected a boolean (1/0, true/false, yes/no, on/off), got 'maybe'".
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}: expected a boolean (1/0, true/false, yes/no, on/off), got {raw!r}"
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}: expected at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_origins(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list of origins, each with its scheme (https://example.org)."""
    origins = env_list(name, default)
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ImproperlyConfigured(
                f"{name}: {origin!r} is not an origin; write it with its scheme, "
                "e.g. https://portal.example.org"
            )
    return origins


def parse_database_url(
    url: str,
    *,
    name: str = "DATABASE_URL",
    connect_timeout: int = 0,
    statement_timeout: int = 0,
) -> dict:
    """Turn postgres://user:password@host:port/dbname?sslmode=require into a DATABASES entry.

    dj-database-url parses it; the checks here name the variable. `connect_timeout` and
    `statement_timeout` are seconds (0: none); see timeout_options().
    """
    url = url.strip()
    scheme = urlsplit(url).scheme
    if scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name}: only PostgreSQL is supported (postgres://user:password@host:5432/dbname), "
            f"got scheme {scheme or '(none)'!r}"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except dj_database_url.ParseError:
        try:
            _ = urlsplit(url).port  # raises ValueError for "host:port"
        except ValueError:
            raise ImproperlyConfigured(f"{name}: the port is not a number") from None
        raise ImproperlyConfigured(
            f"{name}: not a valid address; %-quote special characters in the password"
        ) from None
    if not config["NAME"]:
        raise ImproperlyConfigured(f"{name}: the database name is missing (…/dbname at the end)")
    # libpq takes every parameter as text (dj-database-url turns "7" into 7).
    options = {key: str(value) for key, value in config.get("OPTIONS", {}).items()}
    # A socket directory may be given as ?host=/path, as libpq allows.
    host = options.pop("host", None) or config["HOST"]
    options.update(timeout_options(connect_timeout, statement_timeout, options))
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": config["NAME"],
        "USER": config["USER"],
        "PASSWORD": config["PASSWORD"],
        "HOST": host,
        "PORT": str(config["PORT"] or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": config["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": config["CONN_HEALTH_CHECKS"],
    }


def timeout_options(
    connect_timeout: int, statement_timeout: int, given: dict | None = None
) -> dict:
    """libpq connection parameters for the two timeouts (seconds; 0 leaves one out).

    connect_timeout bounds the whole connection (TCP, TLS, authentication): a server that
    accepts and never answers costs that long, not forever. statement_timeout makes the
    server cancel a statement that runs longer, so a worker is never held by one query.
    Values the address gives itself (?connect_timeout=…, ?options=…) are kept.
    """
    given = given or {}
    options = {}
    if connect_timeout > 0 and "connect_timeout" not in given:
        options["connect_timeout"] = str(connect_timeout)
    if statement_timeout > 0 and "statement_timeout" not in given.get("options", ""):
        flag = f"-c statement_timeout={statement_timeout * 1000}"
        options["options"] = f"{given['options']} {flag}" if given.get("options") else flag
    return options
