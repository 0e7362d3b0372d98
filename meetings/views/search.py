"""/search/: one box for meetings, people, organisations and directives."""

from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def search(request):
    return render(request, "meetings/search.html", {"q": request.GET.get("q", "")})
