"""Atom feeds of meetings: the list's, and one per province, organisation, person and directive.

Every feed takes the meeting list's query string (`/meetings/feed.atom?city=hai-phong&q=…`):
the same filters, validated as the exports validate them (a bad value answers 400 with the
errors, never the whole table), and always newest first. Entries are dated by the meeting:
`<updated>` and `<published>` are the day it was held (midnight, Asia/Ho_Chi_Minh), or the
day it was recorded when no source gives the date.

Queries: [the entity], the entries with their province, their presiding officials.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from meetings.filters import MeetingFilter
from meetings.models import City, Directive, Meeting, Organization, Person
from meetings.query_strings import capped
from meetings.views.exports import invalid_filters

ITEMS = 30


@dataclass
class Subject:
    """What a feed is of: the list's filters, and the entity of its page (if any)."""

    filterset: MeetingFilter
    query: str  # the query string, for the feed's own link and the list's
    entity: object = None


def meeting_datetime(meeting: Meeting) -> datetime.datetime:
    """The day the meeting was held, as an aware datetime; else when it was recorded."""
    if meeting.held_on is None:
        return meeting.created_at
    midnight = datetime.datetime.combine(meeting.held_on, datetime.time())
    return timezone.make_aware(midnight)


class LatestMeetingsFeed(Feed):
    """The newest meetings by date held (then by id: the newest recorded first)."""

    feed_type = Atom1Feed
    filter_name = ""  # the list filter naming the entity ("city", "organization" …)

    def __call__(self, request, *args, **kwargs):
        params = capped(request.GET)
        params.pop("page", None)
        params.pop("sort", None)
        filterset = MeetingFilter(
            params, queryset=self.base_queryset(kwargs.get("slug")), request=request
        )
        if not filterset.is_valid():
            return invalid_filters(filterset)
        request.feed_subject = Subject(filterset, params.urlencode())
        return super().__call__(request, *args, **kwargs)

    def base_queryset(self, slug):
        return Meeting.objects.all()

    def get_object(self, request, *args, **kwargs):
        subject = request.feed_subject
        subject.entity = self.entity(kwargs.get("slug"))
        return subject

    def entity(self, slug):
        return None

    def title(self, obj=None):
        return _("Meeting reports: newest meetings")

    def subtitle(self, obj=None):
        return _("Government meetings as the news reported them.")

    def _with_query(self, url: str, obj, *, entity_param: str = "") -> str:
        query = "&".join(p for p in (entity_param, obj.query if obj else "") if p)
        return f"{url}?{query}" if query else url

    def link(self, obj=None):
        entity_param = f"{self.filter_name}={obj.entity.slug}" if self.filter_name else ""
        return self._with_query(reverse("meetings:meeting_list"), obj, entity_param=entity_param)

    def feed_url(self, obj=None):
        return self._with_query(self.own_url(obj), obj)

    def own_url(self, obj):
        return reverse("meetings:meeting_feed")

    def items(self, obj=None):
        filterset = obj.filterset
        meetings = filterset.filter_queryset(filterset.queryset.all(), unordered=True)
        return meetings.newest_first().select_related("city").slim().with_presiding()[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Plain text: the generator escapes it, and nothing from articles is markup.
        parts = []
        if item.held_on:
            parts.append(_("Held on %(date)s") % {"date": item.held_on.isoformat()})
        if item.city:
            parts.append(item.city.name)
        if item.period_label:
            parts.append(str(item.period_label))
        names = [p.person.name for p in item.presiding_participations]
        if names:
            parts.append(_("presided by %(names)s") % {"names": ", ".join(names)})
        return " · ".join(parts)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"meeting:{item.slug}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return meeting_datetime(item)

    def item_updateddate(self, item):
        return meeting_datetime(item)

    def item_categories(self, item):
        return [item.city.name] if item.city else []


class CityMeetingsFeed(LatestMeetingsFeed):
    filter_name = "city"

    def entity(self, slug):
        return get_object_or_404(City, slug=slug)

    def base_queryset(self, slug):
        # In the province or one merged into it in 2025, as the list's city filter.
        return Meeting.objects.in_city(slug)

    def title(self, obj=None):
        return _("Meeting reports: newest meetings in %(city)s") % {"city": obj.entity.name}

    def own_url(self, obj):
        return reverse("meetings:city_feed", args=[obj.entity.slug])


class OrganizationMeetingsFeed(LatestMeetingsFeed):
    filter_name = "organization"

    def entity(self, slug):
        return get_object_or_404(Organization, slug=slug)

    def base_queryset(self, slug):
        return Meeting.objects.mentioning(slug)

    def title(self, obj=None):
        return _("Meeting reports: newest meetings of %(organization)s") % {
            "organization": obj.entity.name
        }

    def own_url(self, obj):
        return reverse("meetings:organization_feed", args=[obj.entity.slug])


class PersonMeetingsFeed(LatestMeetingsFeed):
    """Meetings a person took part in (in any role but a byline's)."""

    def entity(self, slug):
        return get_object_or_404(Person, slug=slug)

    def base_queryset(self, slug):
        return Meeting.objects.involving(slug)

    def title(self, obj=None):
        return _("Meeting reports: newest meetings with %(person)s") % {"person": obj.entity.name}

    def link(self, obj=None):
        return obj.entity.get_absolute_url()

    def own_url(self, obj):
        return reverse("meetings:person_feed", args=[obj.entity.slug])


class DirectiveMeetingsFeed(LatestMeetingsFeed):
    filter_name = "directive"

    def entity(self, slug):
        return get_object_or_404(Directive, slug=slug)

    def base_queryset(self, slug):
        return Meeting.objects.citing(slug)

    def title(self, obj=None):
        return _("Meeting reports: newest meetings citing %(directive)s") % {
            "directive": str(obj.entity)
        }

    def own_url(self, obj):
        return reverse("meetings:directive_feed", args=[obj.entity.slug])
