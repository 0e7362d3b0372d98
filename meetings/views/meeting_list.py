"""The meeting list with filters and facets."""

from django.views.generic import ListView

from meetings.models import Meeting


class MeetingList(ListView):
    template_name = "meetings/meeting_list.html"
    paginate_by = 20
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return Meeting.objects.for_listing()
