"""Root URLs: the public portal, the admin, the health check, sitemap.xml and robots.txt."""

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.i18n import set_language

from meetings.sitemaps import SITEMAPS
from meetings.views.health import healthz
from meetings.views.site import robots_txt

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        require_safe(cache_page(3600)(sitemap_views.index)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(cache_page(3600)(sitemap_views.sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("admin/", admin.site.urls),
    # The language switch is on every page: with a CSRF token in it, every page would set a
    # cookie and none could be cached (meetings/page_cache.py). Forging it can only change
    # a visitor's language, and its `next` is checked against the host.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("meetings.urls")),
]

handler404 = "meetings.views.site.page_not_found"
# templates/500.html with no context and no queries, as Django's own; or the 503 page when
# the database could not be reached.
handler500 = "meetings.views.site.server_error"
