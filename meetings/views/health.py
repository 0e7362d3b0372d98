"""/healthz: is the database reachable, and how much is in it."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from meetings.models import Article, City, Directive, Meeting, Metric, Organization, Person

logger = logging.getLogger(__name__)

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
    """200 with row counts when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        counts = {name: model.objects.count() for name, model in COUNTED.items()}
    except DatabaseError as exc:
        logger.warning("healthz: database unreachable: %s", exc)
        return JsonResponse(
            {"status": "error", "database": "unreachable", "error": type(exc).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "counts": counts})
