"""CSV and JSON exports of meeting lists and of one meeting."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def meeting_list_csv(request):
    return HttpResponse(status=501)


@require_safe
def meeting_list_json(request):
    return HttpResponse(status=501)


@require_safe
def meeting_csv(request, slug):
    return HttpResponse(status=501)


@require_safe
def meeting_json(request, slug):
    return HttpResponse(status=501)
