"""The page a locked-out admin login gets (django-axes' AXES_LOCKOUT_CALLABLE)."""

from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import admin
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """429 with the admin's look: why sign-in is refused, for how long, and what to do."""
    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60) if cool_off else None
    context = {
        **admin.site.each_context(request),
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": minutes,
    }
    return render(request, "admin/locked_out.html", context, status=429)
