"""Public portal URLs (namespace "meetings")."""

from django.urls import path
from django.views.decorators.http import require_safe

from meetings import feeds
from meetings.filters import redirect_merged_filters
from meetings.views import (
    api,
    calendar,
    entities,
    exports,
    home,
    meeting_detail,
    meeting_list,
    search,
    site,
)

app_name = "meetings"

urlpatterns = [
    path("", home.home, name="home"),
    path("search/", search.search, name="search"),
    # Old links to a merged person or organisation lead to the survivor's list.
    path(
        "meetings/",
        redirect_merged_filters(meeting_list.MeetingList.as_view()),
        name="meeting_list",
    ),
    path(
        "meetings/export.csv",
        redirect_merged_filters(exports.meeting_list_csv),
        name="meeting_list_csv",
    ),
    path(
        "meetings/export.json",
        redirect_merged_filters(exports.meeting_list_json),
        name="meeting_list_json",
    ),
    path("meetings/export/all.csv", exports.full_export, {"kind": "csv"}, name="full_export_csv"),
    path(
        "meetings/export/all.json", exports.full_export, {"kind": "json"}, name="full_export_json"
    ),
    path(
        "meetings/feed.atom",
        redirect_merged_filters(require_safe(feeds.LatestMeetingsFeed())),
        name="meeting_feed",
    ),
    path(
        "cities/<slug:slug>/feed.atom",
        require_safe(feeds.CityMeetingsFeed()),
        name="city_feed",
    ),
    path(
        "organizations/<slug:slug>/feed.atom",
        require_safe(feeds.OrganizationMeetingsFeed()),
        name="organization_feed",
    ),
    path(
        "people/<slug:slug>/feed.atom",
        require_safe(feeds.PersonMeetingsFeed()),
        name="person_feed",
    ),
    path(
        "directives/<slug:slug>/feed.atom",
        require_safe(feeds.DirectiveMeetingsFeed()),
        name="directive_feed",
    ),
    path("meetings/<slug:slug>/", meeting_detail.MeetingDetail.as_view(), name="meeting_detail"),
    path("meetings/<slug:slug>/export.csv", exports.meeting_csv, name="meeting_csv"),
    path("meetings/<slug:slug>/export.json", exports.meeting_json, name="meeting_json"),
    path("people/", entities.PersonList.as_view(), name="person_list"),
    path("people/<slug:slug>/", entities.PersonDetail.as_view(), name="person_detail"),
    path("organizations/", entities.OrganizationList.as_view(), name="organization_list"),
    path(
        "organizations/<slug:slug>/",
        entities.OrganizationDetail.as_view(),
        name="organization_detail",
    ),
    path("directives/", entities.DirectiveList.as_view(), name="directive_list"),
    path("directives/<slug:slug>/", entities.DirectiveDetail.as_view(), name="directive_detail"),
    path("about/", site.about, name="about"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("api/", api.documentation, name="api"),
    path("api/openapi.yaml", api.schema, name="api_schema"),
    path("api/meetings/", api.meeting_list, name="api_meeting_list"),
    # <str:…>, not <slug:…>: any other address under /api/ answers a JSON 404 too.
    path("api/meetings/<str:slug>/", api.meeting, name="api_meeting"),
    path("api/people/<str:slug>/", api.person, name="api_person"),
    path("api/organizations/<str:slug>/", api.organization, name="api_organization"),
    path("api/directives/<str:slug>/", api.directive, name="api_directive"),
    path("api/<path:rest>", api.not_found, name="api_not_found"),
    path("cities/", entities.CityList.as_view(), name="city_list"),
    path("cities/<slug:slug>/", entities.CityDetail.as_view(), name="city_detail"),
]
