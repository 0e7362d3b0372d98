"""Admin registrations. The correction workflow (locks, review, history, merge) builds on these."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    Article,
    City,
    Directive,
    DirectiveCitation,
    Meeting,
    Metric,
    Organization,
    OrganizationMention,
    Participation,
    Person,
    Tombstone,
)

PROVENANCE = ("article", "evidence_start", "evidence_end")


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "full_name", "code", "merged_into")
    search_fields = ("name", "full_name", "name_folded")
    list_select_related = ("merged_into",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "published_on", "meeting", "is_current", "ingested_at")
    list_filter = ("is_current", "is_demo", "published_on")
    search_fields = ("title", "url", "source_name", "sha256")
    list_select_related = ("meeting",)
    readonly_fields = ("sha256", "text", "extraction", "extractor_version", "ingested_at")
    raw_id_fields = ("meeting",)


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("person", "title", "roles", "corrected_fields", *PROVENANCE)
    readonly_fields = PROVENANCE


class OrganizationMentionInline(admin.TabularInline):
    model = OrganizationMention
    extra = 0
    autocomplete_fields = ("organization",)
    fields = ("organization", "name_as_written", *PROVENANCE)
    readonly_fields = PROVENANCE


class DirectiveCitationInline(admin.TabularInline):
    model = DirectiveCitation
    extra = 0
    autocomplete_fields = ("directive",)
    fields = ("directive", "text_as_written", *PROVENANCE)
    readonly_fields = PROVENANCE


class MetricInline(admin.TabularInline):
    model = Metric
    extra = 0
    autocomplete_fields = ("organization",)
    fields = ("value", "unit", "qualifier", "target", "label", "organization", *PROVENANCE)
    readonly_fields = PROVENANCE


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "city",
        "held_on",
        "period_kind",
        "period_year",
        "period_number",
        "review_status",
    )
    list_filter = ("review_status", "period_kind", "period_year", "city", "is_demo")
    search_fields = ("title", "search_document")
    list_select_related = ("city",)
    date_hierarchy = "held_on"
    autocomplete_fields = ("city",)
    readonly_fields = ("evidence", "identity_key", "reviewed_by", "reviewed_at", "created_at")
    inlines = [
        ParticipationInline,
        OrganizationMentionInline,
        DirectiveCitationInline,
        MetricInline,
    ]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "merged_into", "created_at")
    list_filter = ("city",)
    search_fields = ("name", "name_folded")
    list_select_related = ("city", "merged_into")
    autocomplete_fields = ("city",)
    raw_id_fields = ("merged_into",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "city", "merged_into")
    list_filter = ("city",)
    search_fields = ("name", "name_folded", "abbreviation")
    list_select_related = ("city", "merged_into")
    autocomplete_fields = ("city",)
    raw_id_fields = ("merged_into",)


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "issuer", "city", "issued_on")
    list_filter = ("kind", "issuer", "city")
    search_fields = ("number", "number_key", "subject")
    list_select_related = ("city",)
    autocomplete_fields = ("city",)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("person", "meeting", "title", "roles")
    search_fields = ("person__name_folded", "title", "meeting__title")
    list_select_related = ("person", "meeting")
    autocomplete_fields = ("person",)
    raw_id_fields = ("meeting",)
    readonly_fields = PROVENANCE


@admin.register(OrganizationMention)
class OrganizationMentionAdmin(admin.ModelAdmin):
    list_display = ("organization", "meeting", "name_as_written")
    search_fields = ("organization__name_folded", "name_as_written")
    list_select_related = ("organization", "meeting")
    autocomplete_fields = ("organization",)
    raw_id_fields = ("meeting",)
    readonly_fields = PROVENANCE


@admin.register(DirectiveCitation)
class DirectiveCitationAdmin(admin.ModelAdmin):
    list_display = ("directive", "meeting", "text_as_written")
    search_fields = ("directive__number_key", "text_as_written")
    list_select_related = ("directive", "meeting")
    autocomplete_fields = ("directive",)
    raw_id_fields = ("meeting",)
    readonly_fields = PROVENANCE


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ("value", "unit", "qualifier", "target", "label", "organization", "meeting")
    list_filter = ("unit", "qualifier")
    search_fields = ("label", "organization__name_folded")
    list_select_related = ("organization", "meeting")
    autocomplete_fields = ("organization",)
    raw_id_fields = ("meeting",)
    readonly_fields = PROVENANCE


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    list_display = ("kind", "key", "meeting", "created_at")
    list_filter = ("kind",)
    search_fields = ("key",)
    raw_id_fields = ("meeting",)


admin.site.site_header = _("Meeting reports: administration")
admin.site.site_title = _("Meeting reports")
