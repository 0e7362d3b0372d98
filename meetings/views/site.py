"""Pages of the site itself: robots.txt and the error pages in the portal's style."""

from django.http import HttpResponse
from django.shortcuts import render
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
