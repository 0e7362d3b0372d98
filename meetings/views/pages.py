"""Public pages (first cut: the portal issue grows filters, search and exports)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from meetings.models import City, Directive, Meeting, Organization, Person


@require_safe
def home(request):
    meetings = Meeting.objects.for_listing()[:10]
    return render(request, "meetings/home.html", {"meetings": meetings})


class MeetingList(ListView):
    template_name = "meetings/meeting_list.html"
    paginate_by = 20
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return Meeting.objects.for_listing()


class MeetingDetail(DetailView):
    template_name = "meetings/meeting_detail.html"
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return Meeting.objects.select_related("city").prefetch_related(
            "participations__person", "mentions__organization", "citations__directive", "metrics"
        )


class PersonDetail(DetailView):
    model = Person
    template_name = "meetings/entity_detail.html"
    http_method_names = ["get", "head"]


class OrganizationDetail(DetailView):
    model = Organization
    template_name = "meetings/entity_detail.html"
    http_method_names = ["get", "head"]


class DirectiveDetail(DetailView):
    model = Directive
    template_name = "meetings/entity_detail.html"
    http_method_names = ["get", "head"]


class CityDetail(DetailView):
    model = City
    template_name = "meetings/entity_detail.html"
    http_method_names = ["get", "head"]
