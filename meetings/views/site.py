"""Pages of the site itself: robots.txt and the error pages in the portal's style."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        # Searches and exports are endless combinations of the same records.
        f"Disallow: {reverse('meetings:search')}",
        "Disallow: /meetings/export",
        "Disallow: /admin/",
        "Disallow: /i18n/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap_index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def about(request):
    """What the data is, how it is made, its licence and its limits.

    Queries: the counts of meetings, current articles and checked meetings (three).
    """
    from meetings.models import Article, Meeting, ReviewStatus

    counts = {
        "meetings": Meeting.objects.count(),
        "articles": Article.objects.filter(is_current=True).count(),
        "checked": Meeting.objects.exclude(review_status=ReviewStatus.UNREVIEWED).count(),
    }
    return render(request, "meetings/about.html", {"counts": counts})


def page_not_found(request, exception=None):
    """404 with the header, search box and navigation, so a reader can find the way on."""
    context = {
        "path": request.path,
        # Set by meetings.pagination.page_or_404 for a page past the last one.
        "page_back_url": getattr(request, "page_back_url", ""),
        "page_last": getattr(request, "page_last", None),
    }
    return render(request, "404.html", context, status=404)


RETRY_AFTER_SECONDS = 30


def database_unavailable_error(exc: BaseException | None) -> bool:
    """Whether an exception says the database cannot be used now (refused, timed out, a
    statement cancelled by statement_timeout, a connection lost), rather than a bug."""
    return isinstance(exc, OperationalError | InterfaceError)


def database_unavailable(request):
    """503 "temporarily unavailable", rendered without the database (no user, no session)."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """Django's 500 page, or the 503 page when the error was the database being unreachable
    outside any view (portal.middleware.DatabaseUnavailableMiddleware handles it in views)."""
    if database_unavailable_error(sys.exc_info()[1]):
        return database_unavailable(request)
    return HttpResponseServerError(loader.render_to_string("500.html"))
