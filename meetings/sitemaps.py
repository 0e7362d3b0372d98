"""sitemap.xml: an index of one section per kind of page, each paginated by Django."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from meetings.models import City, Directive, Meeting, Organization, Person


class StaticSitemap(Sitemap):
    priority = 0.8
    changefreq = "daily"

    def items(self):
        return [
            "meetings:home",
            "meetings:meeting_list",
            "meetings:person_list",
            "meetings:organization_list",
            "meetings:directive_list",
            "meetings:city_list",
        ]

    def location(self, item):
        return reverse(item)


class MeetingSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Meeting.objects.only("slug", "updated_at").order_by("id")

    def lastmod(self, meeting):
        return meeting.updated_at


class SlugSitemap(Sitemap):
    model = None
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        queryset = self.model.objects.only("slug").order_by("id")
        if hasattr(self.model, "merged_into"):
            queryset = queryset.filter(merged_into__isnull=True)
        return queryset


class PersonSitemap(SlugSitemap):
    model = Person


class OrganizationSitemap(SlugSitemap):
    model = Organization


class DirectiveSitemap(SlugSitemap):
    model = Directive


class CitySitemap(SlugSitemap):
    model = City

    def items(self):
        return City.objects.only("slug").order_by("id")


SITEMAPS = {
    "pages": StaticSitemap,
    "meetings": MeetingSitemap,
    "people": PersonSitemap,
    "organizations": OrganizationSitemap,
    "directives": DirectiveSitemap,
    "cities": CitySitemap,
}
