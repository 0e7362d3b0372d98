"""Read replicas: public reads go to a replica, everything else to the primary.

DATABASE_REPLICA_URLS names streaming replicas (settings: DATABASES["replica1"], …). Only a
request that ReplicaReadsMiddleware lets through reads from one: a GET or HEAD outside the
admin from a visitor who has not written in the last REPLICA_PIN_SECONDS. Everything else
reads and writes the primary: the admin, every POST, management commands (ingest, exports),
and an editor's requests just after a save, which carry the signed recent-write cookie set
on the response to their write, so that they see their correction at once whatever the
replicas' lag.
"""

from __future__ import annotations

import contextvars
import random
import time

from django.conf import settings
from django.core import signing

RECENT_WRITE_COOKIE = "recent_write"
_SALT = "portal.db_router.recent_write"

# The replica alias this request reads from, None for the primary (the default everywhere
# outside a request that the middleware let through).
_replica: contextvars.ContextVar[str | None] = contextvars.ContextVar("replica", default=None)


class ReplicaRouter:
    """Reads where the request's middleware said; writes, migrations and the rest: primary."""

    def db_for_read(self, model, **hints):
        return _replica.get()  # None: Django's default, the primary

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def wrote_recently(request) -> bool:
    value = request.COOKIES.get(RECENT_WRITE_COOKIE)
    if not value:
        return False
    try:
        signing.loads(value, salt=_SALT, max_age=settings.REPLICA_PIN_SECONDS)
    except signing.BadSignature:  # includes SignatureExpired
        return False
    return True


def reads_replica(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(settings.PAGE_CACHE_PRIVATE)
        and not wrote_recently(request)
    )


class ReplicaReadsMiddleware:
    """Route this request's reads (see the module doc); mark a signed-in visitor's writes."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.replicas = settings.DATABASE_REPLICAS

    def __call__(self, request):
        if not self.replicas:
            return self.get_response(request)
        alias = random.choice(self.replicas) if reads_replica(request) else None
        token = _replica.set(alias)
        try:
            response = self.get_response(request)
        finally:
            _replica.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS") and settings.SESSION_COOKIE_NAME in (
            request.COOKIES.keys() | response.cookies.keys()
        ):
            response.set_cookie(
                RECENT_WRITE_COOKIE,
                signing.dumps(int(time.time()), salt=_SALT),
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
