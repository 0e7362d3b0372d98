"""Admin sign-in lockout (django-axes): the lockout by address alone, and the lockout page.

django-axes locks a username from one address after AXES_FAILURE_LIMIT failures. Alone, that
never stops password spraying (a few passwords each over many usernames from one address),
so AddressLockoutHandler also locks an address after AXES_ADDRESS_FAILURE_LIMIT failures
over all usernames within the cool-off time.
"""

import logging

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Sum
from django.shortcuts import render

logger = logging.getLogger(__name__)


class AddressLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, also locking an address that failed too often."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """Record the failure; the one that reaches the address's limit gets the lockout
        page already, as the one that reaches an account's limit does."""
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and address_locked(request):
            logger.warning(
                "AXES: locking out address %s after %d failed sign-ins over any usernames",
                request.axes_ip_address,
                settings.AXES_ADDRESS_FAILURE_LIMIT,
            )
            request.axes_locked_out = True
            request.axes_credentials = credentials


def address_failures(request) -> int:
    """Failed sign-ins from the request's address, for any username, within the cool-off."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def address_locked(request) -> bool:
    return address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT


def lockout_response(request, original_response=None, credentials=None):
    """429 with the admin's look: why sign-in is refused, for how long, and what to do."""
    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60) if cool_off else None
    by_address = address_locked(request)
    context = {
        **admin.site.each_context(request),
        "by_address": by_address,
        "failure_limit": (
            settings.AXES_ADDRESS_FAILURE_LIMIT
            if by_address
            else get_failure_limit(request, credentials)
        ),
        "minutes": minutes,
    }
    return render(request, "admin/locked_out.html", context, status=429)
