"""One meeting with all its parts and its sources."""

from django.views.generic import DetailView

from meetings.models import Meeting


class MeetingDetail(DetailView):
    template_name = "meetings/meeting_detail.html"
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return Meeting.objects.select_related("city").prefetch_related(
            "participations__person", "mentions__organization", "citations__directive", "metrics"
        )
