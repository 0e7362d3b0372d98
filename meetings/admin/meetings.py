"""Meetings, their extracted parts (participants, organisations, directives, metrics) and
their sources, as editors see and correct them."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings import history
from meetings.admin.actions import mark_needs_another_look, mark_verified, merge_meetings_action
from meetings.admin.mixins import (
    CorrectionAdmin,
    EvidenceInline,
    admin_url,
    evidence_html,
    request_time,
)
from meetings.corrections import (
    by_editor,
    delete_with_tombstones,
    ensure_history_baseline,
    needs_another_look,
    record_corrections,
    replaced_identity,
    touch_meetings,
    verify_meetings,
)
from meetings.extraction.text import squash_spaces
from meetings.models import (
    Article,
    CitySource,
    DirectiveCitation,
    Doubt,
    Meeting,
    MeetingToReview,
    Metric,
    OrganizationMention,
    Participation,
    ReviewStatus,
    Tombstone,
)
from meetings.models.links import Role
from meetings.models.meetings import SOURCED_FIELDS, MeetingQuerySet, open_doubts
from meetings.pagination import IdsFirstPaginator
from meetings.search import update_search_documents

PROVENANCE = ("article", "evidence_start", "evidence_end")


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
    fields = ("person", "title", "roles", "source")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return roles_formfield(db_field, super().formfield_for_dbfield(db_field, request, **kwargs))


class OrganizationMentionInline(EvidenceInline):
    model = OrganizationMention
    autocomplete_fields = ("organization",)
    fields = ("organization", "name_as_written", "source")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")


class DirectiveCitationInline(EvidenceInline):
    model = DirectiveCitation
    autocomplete_fields = ("directive",)
    fields = ("directive", "text_as_written", "source")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("directive")


class MetricInline(EvidenceInline):
    model = Metric
    autocomplete_fields = ("organization",)
    fields = ("label", "qualifier", "value", "unit", "target", "organization", "source")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")


# Meetings


TO_REVIEW = (ReviewStatus.UNREVIEWED, ReviewStatus.RECHECK)


class NeedsReviewFilter(admin.SimpleListFilter):
    title = gettext_lazy("needs review")
    parameter_name = "needs_review"

    def lookups(self, request, model_admin):
        return [("yes", _("needs review")), ("no", _("verified"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(review_status__in=TO_REVIEW)
        if self.value() == "no":
            return queryset.exclude(review_status__in=TO_REVIEW)
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


def review_priority():
    """The review queue's order: a meeting an editor asked to look at again, then possible
    duplicates, then provinces inferred from the database, then values the extractor was
    unsure of (each outranks all those after it); within a rank, newest first."""

    def flag(condition, weight):
        return Case(When(condition, then=V(weight)), default=V(0), output_field=IntegerField())

    return (
        flag(Q(review_status=ReviewStatus.RECHECK), 8)
        + flag(Q(possible_duplicate_of__isnull=False), 4)
        + flag(Q(city_source=CitySource.DATABASE), 2)
        + flag(~Q(doubts=[]), 1)
    )


def review_words(obj) -> str:
    """ "Verified by Lan, 12 December 2026, 10:31", or "not reviewed"."""
    status = capfirst(obj.get_review_status_display())
    if obj.review_status == ReviewStatus.UNREVIEWED or not obj.reviewed_at:
        return status
    when = formats.date_format(timezone.localtime(obj.reviewed_at), "DATETIME_FORMAT")
    if obj.reviewed_by_id:
        name = obj.reviewed_by.get_full_name() or obj.reviewed_by.get_username()
        return _("%(status)s, by %(who)s, %(when)s") % {
            "status": status,
            "who": name,
            "when": when,
        }
    return _("%(status)s, %(when)s") % {"status": status, "when": when}


class MeetingForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        city, place = data.get("city"), data.get("place")
        if place is not None and city is not None and place.city_id != city.pk:
            self.add_error(
                "place",
                _("%(place)s is not in %(city)s: choose a district of that province, or none.")
                % {"place": place, "city": city},
            )
        return data


@admin.register(Meeting)
class MeetingAdmin(CorrectionAdmin):
    form = MeetingForm
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
    actions = [mark_verified, mark_needs_another_look, merge_meetings_action]
    save_on_top = True  # "Mark verified" without scrolling past every participant
    # Counting every filter's values over 100,000 meetings on each page costs seconds.
    show_facets = admin.ShowFacets.NEVER
    fieldsets = [
        # The review first, right under its buttons: who checked the meeting, when, and what
        # to look at first.
        (gettext_lazy("Review"), {"fields": ("review", "unsure")}),
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
        "review",
        "unsure",
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

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/revert/<str:model_name>/<int:history_id>/",
                self.admin_site.admin_view(self.revert_view),
                name="meetings_meeting_revert",
            ),
            *super().get_urls(),
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

    @admin.display(description=gettext_lazy("review"))
    def review(self, obj):
        if obj is None or obj.pk is None:
            return ""
        return format_html(
            '<span class="review review--{}">{}</span>', obj.review_status, review_words(obj)
        )

    @admin.display(description=gettext_lazy("to check first"))
    def unsure(self, obj):
        """Why the review queue puts this meeting first (nothing when nothing does)."""
        if obj is None or obj.pk is None:
            return ""
        return format_html_join(
            "", '<span class="reason">{}</span> ', ((r,) for r in queue_reasons(obj))
        ) or _("Nothing in particular.")

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
        key = SOURCED_FIELDS.get(field_name)
        notes = []
        doubted = DOUBTED_BY.get(field_name) in (obj.doubts or [])
        if doubted and not obj.is_locked(field_name):  # an editor's value is no doubt
            notes.append(
                format_html(
                    '<span class="unsure">{}</span>',
                    _("The extractor was not sure of this value: check it in the source."),
                )
            )
        span = (obj.evidence or {}).get(key) if key else None
        if span and len(span) == 2:
            html = evidence_html(first_source(obj), span[0], span[1])
            if html:
                notes.append(format_html('<span class="evidence-line">{}</span>', html))
        return format_html_join("", "{}", ((n,) for n in notes))

    # Saving: the meeting, then its inlines; the search document and counts at the end.

    def before_save(self, request, obj, changed, change):
        if "city" in changed:  # the editor's province is no inference any more
            obj.city_source, obj.city_basis = CitySource.EDITOR, ""
        obj.doubts = open_doubts(obj.doubts, obj.corrected_fields)  # an editor's value

    def after_save(self, request, obj, changed, change):
        """Search documents are refreshed once the inlines are saved (save_related)."""

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        when = request_time(request)  # the meeting's and its rows' records: one event
        delete_with_tombstones(formset.deleted_objects, request.user, when)
        changed_data = {id(obj): data for obj, data in formset.changed_objects}
        for inline_form in formset.initial_forms:
            obj = inline_form.instance
            if id(obj) not in changed_data:
                continue
            before = type(obj)._base_manager.get(pk=obj.pk)
            ensure_history_baseline(before, when)
            changed = record_corrections(obj, before, inline_form.fields, changed_data[id(obj)])
            replaced_identity(before, obj)
            by_editor(obj, request.user, f"Corrected {', '.join(sorted(changed))}", when).save()
        for obj in formset.new_objects:
            by_editor(obj, request.user, "Added by an editor", when).save()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        meeting = form.instance
        # Each formset says what it saved (formset.save(commit=False) in save_formset).
        if any(fs.deleted_objects or fs.new_objects or fs.changed_objects for fs in formsets):
            touch_meetings([meeting.pk])  # presiding officials may have changed: list counts
        update_search_documents([meeting.pk])

    # Review from the meeting's own page: the two buttons beside "Save".

    def response_change(self, request, obj):
        verdict = next((v for v in REVIEW_BUTTONS if v in request.POST), None)
        if verdict is None:
            return super().response_change(request, obj)
        REVIEW_BUTTONS[verdict][0]([obj.pk], request.user)
        obj.refresh_from_db()
        self.log_change(request, obj, REVIEW_BUTTONS[verdict][1])
        self.message_user(
            request,
            _("Saved. Review: %(review)s.") % {"review": review_words(obj)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(request.get_full_path())

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["show_review_buttons"] = bool(obj) and self.has_change_permission(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # The story of the record, and undoing one step of it.

    def history_view(self, request, object_id, extra_context=None):
        self.id_or_404(object_id)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:  # merged into another meeting: its own records, as they were
            return super().history_view(request, object_id, extra_context)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        can_revert = self.has_change_permission(request, obj)
        story = history.meeting_story(
            obj, revert_url=history.revert_url_for(obj) if can_revert else None
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %s") % obj,
            "subtitle": None,
            "opts": self.model._meta,
            "object": obj,
            "story": story,
            "review": review_words(obj),
        }
        return TemplateResponse(request, "admin/meetings/meeting/story.html", context)

    def revert_view(self, request, object_id, model_name, history_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        model = history.MODELS_BY_NAME.get(model_name)
        if obj is None or model is None:
            raise Http404
        opts = model._meta
        if (
            not (
                self.has_change_permission(request, obj)
                and request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
                and request.user.has_perm(f"{opts.app_label}.delete_{opts.model_name}")
                and request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
            )
            and model is not Meeting
        ):
            raise PermissionDenied
        if model is Meeting and not self.has_change_permission(request, obj):
            raise PermissionDenied
        try:
            done = history.revert(obj, model, history_id, request.user)
        except history.RevertError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.log_change(request, obj, done)
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:meetings_meeting_history", args=[obj.pk]))


# Meeting field → the doubt (Meeting.doubts) that marks its value as unsure.
DOUBTED_BY = {
    "title": Doubt.TITLE,
    "city": Doubt.CITY,
    "held_on": Doubt.HELD_ON,
    "period_kind": Doubt.PERIOD,
}
REVIEW_BUTTONS = {
    "_verify": (verify_meetings, gettext_lazy("Marked verified")),
    "_recheck": (needs_another_look, gettext_lazy("Marked as needing another look")),
}


def queue_reasons(obj) -> list[str]:
    """Why the review queue lists a meeting where it does, in words."""
    reasons = []
    if obj.review_status == ReviewStatus.RECHECK:
        reasons.append(_("an editor asked for another look"))
    if obj.possible_duplicate_of_id:
        reasons.append(_("possible duplicate"))
    if obj.city_inferred:
        reasons.append(_("province inferred"))
    labels = dict(Doubt.choices)
    for doubt in obj.doubts or []:
        reasons.append(_("unsure: %(value)s") % {"value": labels.get(doubt, doubt)})
    return reasons


class ReviewQueueChangeList(ChangeList):
    def url_for_result(self, result):
        return reverse("admin:meetings_meeting_change", args=[result.pk])


@admin.register(MeetingToReview)
class ReviewQueueAdmin(admin.ModelAdmin):
    """Meetings no editor verified, those to look at first on top (review_priority)."""

    list_display = ("title", "reasons", "province", "held_on", "review_status")
    list_display_links = ("title",)
    list_filter = (PossibleDuplicateFilter, "city_source", "review_status")
    search_fields = ("title",)
    list_select_related = ("city", "place")
    paginator = IdsFirstPaginator
    show_full_result_count = False
    actions = [mark_verified, mark_needs_another_look]
    show_facets = admin.ShowFacets.NEVER

    def changelist_view(self, request, extra_context=None):
        title = _("Review queue: meetings no editor has verified, those to check first on top")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer(*MeetingQuerySet.WIDE_FIELDS)
            .filter(review_status__in=TO_REVIEW)
        )

    def get_ordering(self, request):
        return [review_priority().desc(), F("held_on").desc(nulls_last=True), "-id"]

    def get_search_results(self, request, queryset, search_term):
        term = squash_spaces(search_term)
        return (queryset.search(term) if term else queryset), False

    def get_changelist(self, request, **kwargs):
        return ReviewQueueChangeList

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[object_id]))

    @admin.display(description=gettext_lazy("why first"))
    def reasons(self, obj):
        return "; ".join(queue_reasons(obj)) or "—"

    @admin.display(description=gettext_lazy("city"), ordering="city__name")
    def province(self, obj):
        return MeetingAdmin.province(self, obj)


# Extracted rows on their own pages (the inlines' "change" links, history and unlock)


class LinkRowAdmin(CorrectionAdmin):
    """A participation, mention, citation or metric: part of its meeting's record (and of its
    history page)."""

    raw_id_fields = ("meeting",)
    readonly_fields = (*PROVENANCE, "source", "locks")
    list_select_related = ("meeting",)

    @admin.display(description=gettext_lazy("source sentence"))
    def source(self, obj):
        if obj is None or obj.pk is None:
            return ""
        return evidence_html(obj.article, obj.evidence_start, obj.evidence_end) or "—"

    def after_save(self, request, obj, changed, change):
        touch_meetings([obj.meeting_id])
        update_search_documents([obj.meeting_id])

    def after_delete(self, request, meeting_ids):
        touch_meetings(meeting_ids)
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
