"""Atom feeds of the newest meetings: all of them, one city's, one organisation's."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from meetings.models import City, Meeting, Organization

ITEMS = 30


class LatestMeetingsFeed(Feed):
    """The newest meetings by date held (then by id: the newest recorded first)."""

    feed_type = Atom1Feed

    def title(self, obj=None):
        return _("Meeting reports: newest meetings")

    def subtitle(self, obj=None):
        return _("Government meetings as the news reported them.")

    def link(self, obj=None):
        return reverse("meetings:meeting_list")

    def feed_url(self, obj=None):
        return reverse("meetings:meeting_feed")

    def meetings(self, obj):
        return Meeting.objects.all()

    def items(self, obj=None):
        return self.meetings(obj).for_listing().with_presiding()[:ITEMS]

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
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.city.name] if item.city else []


class CityMeetingsFeed(LatestMeetingsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(City, slug=slug)

    def title(self, obj=None):
        return _("Meeting reports: newest meetings in %(city)s") % {"city": obj.name}

    def link(self, obj=None):
        return reverse("meetings:meeting_list") + f"?city={obj.slug}"

    def feed_url(self, obj=None):
        return reverse("meetings:city_feed", args=[obj.slug])

    def meetings(self, obj):
        return Meeting.objects.in_city(obj)


class OrganizationMeetingsFeed(LatestMeetingsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Organization, slug=slug)

    def title(self, obj=None):
        return _("Meeting reports: newest meetings of %(organization)s") % {
            "organization": obj.name
        }

    def link(self, obj=None):
        return reverse("meetings:meeting_list") + f"?organization={obj.slug}"

    def feed_url(self, obj=None):
        return reverse("meetings:organization_feed", args=[obj.slug])

    def meetings(self, obj):
        return Meeting.objects.mentioning(obj)
