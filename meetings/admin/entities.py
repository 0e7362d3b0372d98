"""People, organisations, directives and cities."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.admin.actions import merge_organizations_action, merge_people_action
from meetings.admin.mixins import CorrectionAdmin, admin_url
from meetings.extraction.text import fold, squash_spaces
from meetings.models import City, Directive, Locality, Organization, Person


class MergedFilter(admin.SimpleListFilter):
    title = gettext_lazy("merged")
    parameter_name = "merged"

    def lookups(self, request, model_admin):
        return [("no", _("current records")), ("yes", _("merged into another"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(merged_into__isnull=True)
        if self.value() == "yes":
            return queryset.filter(merged_into__isnull=False)
        return queryset


class SameNameFilter(admin.SimpleListFilter):
    """People whose folded name another current person has (another province, or none):
    the cases ingest does not merge on its own (meetings/ingest/settle.py)."""

    title = gettext_lazy("same name elsewhere")
    parameter_name = "same_name"

    def lookups(self, request, model_admin):
        return [("yes", _("another person has this name"))]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        others = Person.objects.filter(
            name_folded=OuterRef("name_folded"), merged_into__isnull=True
        ).exclude(pk=OuterRef("pk"))
        return queryset.filter(Exists(others), merged_into__isnull=True)


class FoldedNameSearch:
    """The search box finds what /search/ and the index pages find: `matching()`, by whole
    words with or without diacritics, abbreviations standing for their full names. The
    autocomplete also takes a name being typed ("nguyen va"), and offers only unmerged rows."""

    def get_search_results(self, request, queryset, search_term):
        term = squash_spaces(search_term)
        if not term:
            return queryset, False
        found = queryset.matching(term)
        if request.path.endswith("/autocomplete/"):
            found = (found | queryset.filter(name_folded__contains=fold(term))).filter(
                merged_into__isnull=True
            )
        return found, False


class EntityAdmin(FoldedNameSearch, CorrectionAdmin):
    list_filter = (MergedFilter, "city")
    list_select_related = ("city", "merged_into")
    autocomplete_fields = ("city",)
    readonly_fields = ("merged_into_link", "public_page", "locks", "created_at")

    @admin.display(description=gettext_lazy("merged into"))
    def merged_into_link(self, obj):
        if obj is None or not obj.merged_into_id:
            return "—"
        return format_html('<a href="{}">{}</a>', admin_url(obj.merged_into), obj.merged_into)

    @admin.display(description=gettext_lazy("public page"))
    def public_page(self, obj):
        if obj is None or obj.pk is None:
            return ""
        url = obj.get_absolute_url()
        return format_html('<a href="{}" target="_blank">{}</a>', url, url)


@admin.register(Person)
class PersonAdmin(EntityAdmin):
    list_filter = (MergedFilter, SameNameFilter, "city")
    list_display = ("name", "city", "aliases", "merged_into", "created_at")
    search_fields = ("name",)  # shows the search box; FoldedNameSearch does the finding
    fields = ("name", "city", "aliases", "merged_into_link", "public_page", "locks", "created_at")
    actions = [merge_people_action]


@admin.register(Organization)
class OrganizationAdmin(EntityAdmin):
    list_display = ("name", "abbreviation", "city", "merged_into")
    search_fields = ("name",)  # shows the search box; FoldedNameSearch does the finding
    fields = (
        "name",
        "abbreviation",
        "city",
        "aliases",
        "merged_into_link",
        "public_page",
        "locks",
        "created_at",
    )
    actions = [merge_organizations_action]


@admin.register(Directive)
class DirectiveAdmin(CorrectionAdmin):
    list_display = ("number", "kind", "issuer", "city", "issued_on")
    list_filter = ("kind", "issuer", "city")
    search_fields = ("number", "number_key", "subject")
    list_select_related = ("city",)
    autocomplete_fields = ("city",)
    fields = ("kind", "number", "issuer", "issued_on", "subject", "city", "locks")
    readonly_fields = ("locks",)


class FoldedPlaceSearch:
    """Place names with or without diacritics: "ninh thuan" finds Ninh Thuận."""

    def get_search_results(self, request, queryset, search_term):
        base = queryset
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        term = squash_spaces(search_term)
        if term:
            queryset |= base.filter(name_folded__contains=fold(term))
        return queryset, duplicates


class ReorganisationFilter(MergedFilter):
    """Provinces as they are since 1 July 2025, or those merged into another then."""

    title = gettext_lazy("2025 reorganisation")

    def lookups(self, request, model_admin):
        return [("no", _("provinces today")), ("yes", _("merged into another in 2025"))]


@admin.register(City)
class CityAdmin(FoldedPlaceSearch, admin.ModelAdmin):
    """Every province before and after 2025 is loaded from the gazetteer (migration 0011):
    editors pick one, they never need to create one."""

    list_display = ("name", "full_name", "code", "merged_into")
    list_filter = (ReorganisationFilter,)
    search_fields = ("name", "full_name", "name_folded")
    list_select_related = ("merged_into",)
    prepopulated_fields = {"slug": ("name",)}

    class Media:
        # After Django's urlify.js, whose URLify it makes Vietnamese-aware.
        js = ("admin/js/urlify.js", "js/admin-slugs.js")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("merged_into")

    def autocomplete_label(self, obj) -> str:
        """What the province picker shows: a merged province says what it is part of now."""
        if obj.merged_into_id:
            return _("%(name)s (now part of %(successor)s)") % {
                "name": obj.name,
                "successor": obj.merged_into.name,
            }
        return obj.name


@admin.register(Locality)
class LocalityAdmin(FoldedPlaceSearch, admin.ModelAdmin):
    """Districts and towns of every province, loaded from the gazetteer (migration 0011)."""

    list_display = ("name", "kind", "city")
    list_filter = ("kind",)
    search_fields = ("name", "name_folded", "city__name")
    list_select_related = ("city",)
    autocomplete_fields = ("city",)
    readonly_fields = ("slug",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("city")
