"""Meetings, their extracted parts (participants, organisations, directives, metrics) and
their sources, as editors see and correct them."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.admin.actions import mark_verified, merge_meetings_action
from meetings.admin.mixins import CorrectionAdmin, EvidenceInline, admin_url, evidence_html
from meetings.corrections import (
    delete_with_tombstones,
    mark_corrected,
    record_corrections,
    replaced_identity,
    set_review,
)
from meetings.extraction.text import squash_spaces
from meetings.models import (
    Article,
    CitySource,
    DirectiveCitation,
    Meeting,
    Metric,
    OrganizationMention,
    Participation,
    ReviewStatus,
    Tombstone,
)
from meetings.models.links import Role
from meetings.models.meetings import MeetingQuerySet
from meetings.pagination import IdsFirstPaginator
from meetings.search import update_search_documents

PROVENANCE = ("article", "evidence_start", "evidence_end")

# Meeting field → the key of its span in `Meeting.evidence` (spans in the first source).
MEETING_EVIDENCE_KEYS = {
    "title": "title",
    "meeting_type": "meeting_type",
    "body": "body",
    "city": "city",
    "locality": "locality",
    "held_on": "held_on",
    "held_until": "held_until",
    "period_kind": "period",
    "period_year": "period",
    "period_number": "period",
}


def first_source(meeting: Meeting) -> Article | None:
    """The article the meeting-level values (and `Meeting.evidence`) come from: the
    earliest-ingested current source (see meetings/ingest/write.py)."""
    if not hasattr(meeting, "_first_source"):
        meeting._first_source = (
            Article.objects.filter(meeting=meeting, is_current=True).order_by("pk").first()
            or Article.objects.filter(meeting=meeting).order_by("pk").first()
        )
    return meeting._first_source


class RolesField(forms.TypedMultipleChoiceField):
    """Roles as checkboxes instead of comma-separated text."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Role.choices)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)


def roles_formfield(db_field, default):
    if db_field.name == "roles":
        return RolesField(label=db_field.verbose_name)
    return default


# Inlines on the meeting page


class ParticipationInline(EvidenceInline):
    model = Participation
    autocomplete_fields = ("person",)
    fields = ("person", "title", "roles", "locks", "source")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return roles_formfield(db_field, super().formfield_for_dbfield(db_field, request, **kwargs))


class OrganizationMentionInline(EvidenceInline):
    model = OrganizationMention
    autocomplete_fields = ("organization",)
    fields = ("organization", "name_as_written", "locks", "source")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")


class DirectiveCitationInline(EvidenceInline):
    model = DirectiveCitation
    autocomplete_fields = ("directive",)
    fields = ("directive", "text_as_written", "locks", "source")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("directive")


class MetricInline(EvidenceInline):
    model = Metric
    autocomplete_fields = ("organization",)
    fields = ("value", "unit", "qualifier", "target", "label", "organization", "locks", "source")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")


# Meetings


class NeedsReviewFilter(admin.SimpleListFilter):
    title = gettext_lazy("needs review")
    parameter_name = "needs_review"

    def lookups(self, request, model_admin):
        return [("yes", _("needs review")), ("no", _("reviewed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(review_status=ReviewStatus.UNREVIEWED)
        if self.value() == "no":
            return queryset.exclude(review_status=ReviewStatus.UNREVIEWED)
        return queryset


class PossibleDuplicateFilter(admin.SimpleListFilter):
    """Meetings ingest was not sure were separate (meetings/ingest/identity.py, rule 2)."""

    title = gettext_lazy("possible duplicate")
    parameter_name = "possible_duplicate"

    def lookups(self, request, model_admin):
        return [("yes", _("possible duplicate of another meeting"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.possible_duplicates()
        return queryset


class SourcesFilter(admin.SimpleListFilter):
    """Meetings reported once, or by several articles (annotated in MeetingAdmin)."""

    title = gettext_lazy("number of sources")
    parameter_name = "sources"

    def lookups(self, request, model_admin):
        return [("1", _("one source")), ("2+", _("several sources"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(n_sources__lte=1)
        if self.value() == "2+":
            return queryset.filter(n_sources__gte=2)
        return queryset


class PresidingFilter(admin.SimpleListFilter):
    title = gettext_lazy("presiding official")
    parameter_name = "presiding"
    shown = 50  # the officials who presided most often

    def lookups(self, request, model_admin):
        # The public list's cached presiding counts (meetings/facets.py): counting 100,000
        # participations on every changelist view costs more than the rest of the page.
        from meetings.facets import summary

        return [(str(pk), name) for pk, _slug, name, _n in summary()["presiding"][: self.shown]]

    def queryset(self, request, queryset):
        if not self.value() or not self.value().isdigit():
            return queryset
        rows = Participation.objects.filter(
            meeting=OuterRef("pk"), person_id=int(self.value()), roles__contains=[Role.PRESIDING]
        )
        return queryset.filter(Exists(rows))


@admin.register(Meeting)
class MeetingAdmin(CorrectionAdmin):
    list_display = (
        "title",
        "province",
        "held_on",
        "period",
        "presiding",
        "review_status",
        "n_sources",
    )
    list_filter = (
        NeedsReviewFilter,
        PossibleDuplicateFilter,
        "review_status",
        "city_source",
        "city",
        "period_kind",
        "period_year",
        "held_on",
        PresidingFilter,
        SourcesFilter,
        "is_demo",
    )
    search_fields = ("title",)  # searched folded, with the public search: get_search_results
    search_help_text = gettext_lazy(
        "Title, people, organisations, places or text; with or without diacritics."
    )
    list_select_related = ("city", "place")
    # At 100,000 meetings: pages read their ids from an index first (no OFFSET over wide
    # rows), and only the filtered count is shown (not a second count of every meeting).
    paginator = IdsFirstPaginator
    show_full_result_count = False
    date_hierarchy = "held_on"
    autocomplete_fields = ("city", "place")
    raw_id_fields = ("possible_duplicate_of",)
    actions = [mark_verified, merge_meetings_action]
    fieldsets = [
        (
            None,
            {
                "fields": (
                    "title",
                    "meeting_type",
                    "body",
                    "city",
                    "city_source",
                    "city_basis",
                    "place",
                    "locality",
                    "held_on",
                    "held_until",
                    "period_kind",
                    "period_year",
                    "period_number",
                    "possible_duplicate_of",
                )
            },
        ),
        (gettext_lazy("Review"), {"fields": ("review_status", "reviewed_by", "reviewed_at")}),
        (gettext_lazy("Sources and locks"), {"fields": ("links", "locks")}),
        (
            gettext_lazy("Provenance"),
            {
                "classes": ("collapse",),
                "fields": (
                    "slug",
                    "identity_key",
                    "evidence",
                    "is_demo",
                    "created_at",
                    "updated_at",
                ),
            },
        ),
    ]
    readonly_fields = (
        "city_source",
        "city_basis",
        "review_status",
        "reviewed_by",
        "reviewed_at",
        "links",
        "locks",
        "slug",
        "identity_key",
        "evidence",
        "is_demo",
        "created_at",
        "updated_at",
    )
    inlines = [
        ParticipationInline,
        OrganizationMentionInline,
        DirectiveCitationInline,
        MetricInline,
    ]

    def get_queryset(self, request):
        presiding = (
            Participation.objects.filter(roles__contains=[Role.PRESIDING])
            .select_related("person")
            .order_by("id")
        )
        # A correlated count per row shown, not a join grouped over every meeting.
        sources = (
            Article.objects.filter(meeting=OuterRef("pk"), is_current=True)
            .order_by()
            .values("meeting")
            .annotate(n=Count("*"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .defer(*MeetingQuerySet.WIDE_FIELDS)
            .annotate(n_sources=Coalesce(Subquery(sources), 0))
            .prefetch_related(Prefetch("participations", presiding, to_attr="presiding_rows"))
        )

    def get_search_results(self, request, queryset, search_term):
        """The public search over the stored vector (GIN index meeting_search_idx): folded
        words ("hoi nghi" finds "Hội nghị"), abbreviations (LĐLĐ), "quoted phrases". The
        title is in the searched document; a LIKE over titles or article texts would read
        every row."""
        term = squash_spaces(search_term)
        if not term:
            return queryset, False
        return queryset.search(term), False

    @admin.display(description=gettext_lazy("city"), ordering="city__name")
    def province(self, obj):
        """The province, marked when it was inferred from the database (to be checked)."""
        if obj.city_id is None:
            return "—"
        place = f"{obj.place.label}, " if obj.place_id else ""
        if obj.city_inferred:
            return format_html(
                '{}{} <span class="inferred" title="{}">({})</span>',
                place,
                obj.city,
                obj.city_basis,
                _("inferred"),
            )
        return f"{place}{obj.city}"

    @admin.display(description=gettext_lazy("reporting period"), ordering="period_year")
    def period(self, obj):
        return obj.period_label or "—"

    @admin.display(description=gettext_lazy("presiding"))
    def presiding(self, obj):
        rows = getattr(obj, "presiding_rows", None)
        if rows is None:
            rows = obj.participations.filter(roles__contains=[Role.PRESIDING])
        return ", ".join(p.person.name for p in rows) or "—"

    @admin.display(description=gettext_lazy("sources"), ordering="n_sources")
    def n_sources(self, obj):
        return getattr(obj, "n_sources", None)

    @admin.display(description=gettext_lazy("links"))
    def links(self, obj):
        if obj is None or obj.pk is None:
            return ""
        sources = format_html_join(
            "",
            '<li><a href="{}" rel="noopener" target="_blank">{}</a> · <a href="{}">{}</a>{}</li>',
            (
                (
                    a.url or admin_url(a),
                    a.title or a.url or a.source_name,
                    admin_url(a),
                    _("text"),
                    "" if a.is_current else format_html(" ({})", _("superseded")),
                )
                for a in obj.articles.order_by("-is_current", "id")
            ),
        )
        return format_html(
            '<p><a href="{}" target="_blank">{}</a></p><p>{}</p><ul>{}</ul>',
            obj.get_absolute_url(),
            _("Public page"),
            _("Sources:"),
            sources,
        )

    def evidence_for(self, obj, field_name):
        key = MEETING_EVIDENCE_KEYS.get(field_name)
        span = (obj.evidence or {}).get(key) if key else None
        if not span or len(span) != 2:
            return ""
        html = evidence_html(first_source(obj), span[0], span[1])
        return format_html('<span class="evidence-line">{}</span>', html) if html else ""

    # Saving: the meeting, then its inlines; the review status once, at the end.

    def before_save(self, request, obj, changed, change):
        if "city" in changed:  # the editor's province is no inference any more
            obj.city_source, obj.city_basis = CitySource.EDITOR, ""
        request._meeting_corrected = bool(change and changed)
        if request._meeting_corrected:
            set_review(obj, ReviewStatus.CORRECTED, request.user)

    def after_save(self, request, obj, changed, change):
        """Search documents are refreshed once the inlines are saved (save_related)."""

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        touched = bool(formset.deleted_objects or formset.new_objects)
        delete_with_tombstones(formset.deleted_objects, request.user)
        changed_data = {id(obj): data for obj, data in formset.changed_objects}
        for inline_form in formset.initial_forms:
            obj = inline_form.instance
            if id(obj) not in changed_data:
                continue
            before = type(obj)._base_manager.get(pk=obj.pk)
            changed = record_corrections(obj, before, inline_form.fields, changed_data[id(obj)])
            replaced_identity(before, obj)
            obj._history_user = request.user
            obj._change_reason = f"Corrected {', '.join(sorted(changed))}"[:100]
            obj.save()
            touched = True
        for obj in formset.new_objects:
            obj._history_user = request.user
            obj._change_reason = "Added by an editor"
            obj.save()
        formset.save_m2m()
        if touched:
            request._inlines_corrected = True

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        meeting = form.instance
        if (
            change
            and getattr(request, "_inlines_corrected", False)
            and not getattr(request, "_meeting_corrected", False)
        ):
            mark_corrected([meeting.pk], request.user)
        update_search_documents([meeting.pk])


# Extracted rows on their own pages (the inlines' "change" links, history and unlock)


class LinkRowAdmin(CorrectionAdmin):
    """A participation, mention, citation or metric; correcting it corrects its meeting."""

    raw_id_fields = ("meeting",)
    readonly_fields = (*PROVENANCE, "source", "locks")
    list_select_related = ("meeting",)

    @admin.display(description=gettext_lazy("source sentence"))
    def source(self, obj):
        if obj is None or obj.pk is None:
            return ""
        return evidence_html(obj.article, obj.evidence_start, obj.evidence_end) or "—"

    def after_save(self, request, obj, changed, change):
        if change and changed:
            mark_corrected([obj.meeting_id], request.user)
        update_search_documents([obj.meeting_id])

    def after_delete(self, request, meeting_ids):
        mark_corrected(meeting_ids, request.user)
        update_search_documents(meeting_ids)


@admin.register(Participation)
class ParticipationAdmin(LinkRowAdmin):
    list_display = ("person", "meeting", "title", "roles")
    search_fields = ("person__name_folded", "person__name", "title", "meeting__title")
    list_select_related = ("person", "meeting")
    autocomplete_fields = ("person",)
    fields = ("meeting", "person", "title", "roles", "locks", "source", *PROVENANCE)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return roles_formfield(db_field, super().formfield_for_dbfield(db_field, request, **kwargs))


@admin.register(OrganizationMention)
class OrganizationMentionAdmin(LinkRowAdmin):
    list_display = ("organization", "meeting", "name_as_written")
    search_fields = ("organization__name_folded", "name_as_written")
    list_select_related = ("organization", "meeting")
    autocomplete_fields = ("organization",)
    fields = ("meeting", "organization", "name_as_written", "locks", "source", *PROVENANCE)


@admin.register(DirectiveCitation)
class DirectiveCitationAdmin(LinkRowAdmin):
    list_display = ("directive", "meeting", "text_as_written")
    search_fields = ("directive__number_key", "text_as_written")
    list_select_related = ("directive", "meeting")
    autocomplete_fields = ("directive",)
    fields = ("meeting", "directive", "text_as_written", "locks", "source", *PROVENANCE)


@admin.register(Metric)
class MetricAdmin(LinkRowAdmin):
    list_display = ("value", "unit", "qualifier", "target", "label", "organization", "meeting")
    list_filter = ("unit", "qualifier")
    search_fields = ("label", "organization__name_folded")
    list_select_related = ("organization", "meeting")
    autocomplete_fields = ("organization",)
    fields = (
        "meeting",
        "value",
        "unit",
        "qualifier",
        "target",
        "label",
        "organization",
        "locks",
        "source",
        *PROVENANCE,
    )


# Sources and tombstones


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "published_on", "meeting", "is_current", "ingested_at")
    list_filter = ("is_current", "is_demo", "published_on")
    search_fields = ("title", "url", "source_name", "sha256")
    list_select_related = ("meeting",)
    readonly_fields = (
        "source_link",
        "sha256",
        "text",
        "extraction",
        "extractor_version",
        "ingested_at",
    )
    raw_id_fields = ("meeting",)

    @admin.display(description=gettext_lazy("address"))
    def source_link(self, obj):
        if not obj or not obj.url:
            return "—"
        return format_html('<a href="{}" rel="noopener" target="_blank">{}</a>', obj.url, obj.url)


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    """Rows editors deleted; deleting a tombstone lets the next ingest recreate its row."""

    list_display = ("kind", "key", "meeting", "created_at")
    list_filter = ("kind",)
    search_fields = ("key",)
    raw_id_fields = ("meeting",)
    list_select_related = ("meeting",)
