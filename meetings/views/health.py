"""/healthz: is the database reachable, and how much is in it.

The database is asked on every call; the row counts, which cost a scan of each table (too
much for a URL monitors call every few seconds, at 100,000 meetings), are kept COUNTS_SECONDS,
and are shown only to staff and to clients on this machine (an anonymous visitor learns
only whether the portal is up). Connecting gives up after DATABASE_CONNECT_TIMEOUT seconds,
so an unreachable database answers 503 within seconds.
"""

import ipaddress
import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from meetings.models import Article, City, Directive, Meeting, Metric, Organization, Person
from portal.middleware import client_ip

logger = logging.getLogger(__name__)

COUNTS_SECONDS = 30

COUNTED = {
    "cities": City,
    "articles": Article,
    "meetings": Meeting,
    "people": Person,
    "organizations": Organization,
    "directives": Directive,
    "metrics": Metric,
}


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers (with row counts for staff and local clients), 503 when
    it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not may_see_counts(request):
            return JsonResponse({"status": "ok", "database": "ok"})
        counts = cache.get("healthz:counts")
        if counts is None:
            counts = {name: model.objects.count() for name, model in COUNTED.items()}
            cache.set("healthz:counts", counts, COUNTS_SECONDS)
    except DatabaseError as exc:
        logger.warning("healthz: database unreachable: %s", exc)
        return JsonResponse(
            {"status": "error", "database": "unreachable", "error": type(exc).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "counts": counts})


def may_see_counts(request) -> bool:
    """Staff, or a client on this machine (its address as the lockout sees it, so behind a
    proxy on the same machine, with TRUSTED_PROXY_COUNT set, visitors are not local)."""
    address = client_ip(request)
    if address and ipaddress.ip_address(address).is_loopback:
        return True
    return request.user.is_staff
