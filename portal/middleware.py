"""Project middleware."""

import ipaddress
import logging

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from meetings.views.site import database_unavailable, database_unavailable_error

logger = logging.getLogger(__name__)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the visitor picked another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so most visitors
    abroad, and many browsers set to English in Vietnam, would never see the portal in
    Vietnamese. Here only the language cookie written by the switch (set_language) counts.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response, admin included.

    Django 5.2 has no CSP of its own (SecurityMiddleware sets nosniff, Referrer-Policy and
    Cross-Origin-Opener-Policy; XFrameOptionsMiddleware sets X-Frame-Options). The policy
    allows no inline script or style: templates keep theirs in static/. A view that needs
    another policy sets the header itself and is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": settings.CONTENT_SECURITY_POLICY,
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            if value and name not in response:
                response[name] = value
        return response


class DatabaseUnavailableMiddleware:
    """503 "temporarily unavailable" instead of 500 while the database cannot be used.

    A connection refused or timed out (DATABASE_CONNECT_TIMEOUT), a statement the server
    cancelled (DATABASE_STATEMENT_TIMEOUT) or a connection lost is a condition of the
    moment, not a bug: the visitor is told to come back, and the log gets one warning per
    request instead of a traceback.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable_error(exception):
            return None
        logger.warning(
            "database unavailable for %s %s: %s",
            request.method,
            request.path,
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
        )
        return database_unavailable(request)


def client_ip(request) -> str | None:
    """The client's address for the login lockout (AXES_CLIENT_IP_CALLABLE) and /healthz.

    Behind TRUSTED_PROXY_COUNT reverse proxies, each appending to X-Forwarded-For, the
    client is that many entries from the right; entries further left are whatever the
    client sent and are not trusted. With no proxy it is REMOTE_ADDR. An entry that is not
    an IP address (django-axes stores the address in an inet column, which refuses it)
    is not used: the connection's own address is.
    """
    remote = valid_ip(request.META.get("REMOTE_ADDR"))
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= count:
            forwarded = valid_ip(hops[-count])
            if forwarded:
                return forwarded
            logger.warning(
                "X-Forwarded-For entry %r is not an IP address; using the connection's address %s",
                hops[-count][:100],
                remote,
            )
    return remote


def valid_ip(value: str | None) -> str | None:
    """An IPv4 or IPv6 address in its canonical form, or None for anything else."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
