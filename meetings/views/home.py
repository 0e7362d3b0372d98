"""The home page."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from meetings.models import Meeting


@require_safe
def home(request):
    meetings = Meeting.objects.for_listing()[:10]
    return render(request, "meetings/home.html", {"meetings": meetings})
