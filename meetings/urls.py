"""Public portal URLs."""

from django.urls import path

from meetings.views import pages

app_name = "meetings"

urlpatterns = [
    path("", pages.home, name="home"),
    path("meetings/", pages.MeetingList.as_view(), name="meeting_list"),
    path("meetings/<slug:slug>/", pages.MeetingDetail.as_view(), name="meeting_detail"),
    path("people/<slug:slug>/", pages.PersonDetail.as_view(), name="person_detail"),
    path(
        "organizations/<slug:slug>/",
        pages.OrganizationDetail.as_view(),
        name="organization_detail",
    ),
    path("directives/<slug:slug>/", pages.DirectiveDetail.as_view(), name="directive_detail"),
    path("cities/<slug:slug>/", pages.CityDetail.as_view(), name="city_detail"),
]
