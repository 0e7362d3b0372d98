"""What every admin of an extracted model shares: locks, tombstones, history and evidence.

Saving a change locks the changed fields (`corrected_fields`) so ingest leaves them alone;
deleting leaves tombstones so ingest does not recreate the rows; every locked field shows a
lock and an "unlock" link (a confirmation page, so no nested forms and no JavaScript); every
extracted value shows the sentence it came from with the value highlighted.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from meetings.corrections import (
    by_editor,
    delete_with_tombstones,
    differing_fields,
    ensure_history_baseline,
    meetings_involving,
    record_corrections,
    replaced_identity,
    unlock,
)
from meetings.search import update_search_documents

LOCK = "🔒"


def lock_icon() -> str:
    """The lock, drawn by static/img/lock.svg: the emoji stays in the text (for copying and
    screen readers) but is not what shows, so no browser lacking an emoji font shows a
    box."""
    return format_html('<span class="lock" title="{}">{}</span>', _("locked"), LOCK)


def request_time(request):
    """One time for every history record one request writes: the meeting's history tells
    one save (the meeting and its rows) as one event (meetings/history.py)."""
    if not hasattr(request, "_history_date"):
        request._history_date = timezone.now()
    return request._history_date


def admin_url(obj, view: str = "change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


def unlock_url(obj, field: str, next_url: str = "") -> str:
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_unlock", args=[obj.pk, field])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def evidence_html(article, start, end) -> str:
    """The sentence a value came from, the value in <mark>, and a link to the article."""
    if article is None:
        return ""
    before, value, after = article.excerpt(start, end)
    if not value:
        return ""
    return format_html(
        '<span class="evidence">{}<mark>{}</mark>{}</span> <a href="{}" title="{}">{}</a>',
        before,
        value,
        after,
        admin_url(article),
        str(article),
        _("source"),
    )


def locks_html(obj, next_url: str = "") -> str:
    """The locked fields of a row, each with its "unlock" link."""
    if obj is None or obj.pk is None or not obj.corrected_fields:
        return ""
    return format_html(
        '<ul class="locked-fields">{}</ul>',
        format_html_join(
            "",
            '<li>{} {} <a class="unlock" href="{}">{}</a></li>',
            (
                (
                    lock_icon(),
                    field_label(type(obj), name),
                    unlock_url(obj, name, next_url),
                    _("unlock"),
                )
                for name in obj.corrected_fields
            ),
        ),
    )


class CorrectionAdmin(SimpleHistoryAdmin):
    """Admin of an extracted model (a `Correctable` with `history`)."""

    # django-simple-history's pages are the project's own (templates/simple_history/): its
    # texts translated, each change in words (set_history_delta_changes).

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/unlock/<str:field>/",
                self.admin_site.admin_view(self.unlock_view),
                name=f"{opts.app_label}_{opts.model_name}_unlock",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        self.id_or_404(object_id)
        extra_context = dict(extra_context or {})
        if not request.user.has_perm("auth.change_user"):
            # The history page links each editor's name to their account page; for an
            # editor, who may not manage users, show the name alone (the link can't resolve).
            extra_context["admin_user_view"] = "admin:no-user-management"
        return super().history_view(request, object_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each record's changes in words: names, labels, dates in the reader's language (see
        meetings/history.py), with what the record did and who did it."""
        from meetings.history import describe_records

        describe_records(self.model, historical_records)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.id_or_404(object_id)
        if not str(version_id).isdecimal():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def id_or_404(self, object_id) -> None:
        """django-simple-history's views query with the id as given: "abc" was a 500."""
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None

    # Locks

    @admin.display(description=gettext_lazy("locked fields"))
    def locks(self, obj):
        return locks_html(obj) or _("None: the next ingest may update every field.")

    def get_form(self, request, obj=None, change=False, **kwargs):
        """Under each field: the sentence its value came from, and its lock if it has one."""
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or obj.pk is None:
            return form
        for name, field in form.base_fields.items():
            notes = [self.evidence_for(obj, name)]
            if obj.is_locked(name):
                field.label = format_html("{} {}", lock_icon(), field.label)
                notes.append(
                    format_html(
                        '<div class="locked">{} {} <a class="unlock" href="{}">{}</a></div>',
                        lock_icon(),
                        _("Corrected by an editor: ingest will not change it."),
                        unlock_url(obj, name),
                        _("unlock"),
                    )
                )
            notes = [n for n in notes if n]
            if notes:
                field.help_text = format_html_join(
                    "",
                    "<div>{}</div>",
                    ((note,) for note in [field.help_text, *notes] if note),
                )
        return form

    def evidence_for(self, obj, field_name: str) -> str:
        """The source sentence of one field's value, as HTML ("" when there is none)."""
        return ""

    def unlock_view(self, request, object_id, field):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        next_url = request.POST.get("next") or request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = admin_url(obj)
        label = field_label(self.model, field)
        if not obj.is_locked(field):
            self.message_user(request, _("“%s” was not locked.") % label, messages.INFO)
            return HttpResponseRedirect(next_url)
        if request.method == "POST":
            unlock(obj, field, request.user)
            self.log_change(request, obj, _("Unlocked %s") % label)
            self.message_user(
                request,
                _("“%s” is unlocked: the next ingest may update it.") % label,
                messages.SUCCESS,
            )
            return HttpResponseRedirect(next_url)
        try:
            value = self.model._meta.get_field(field).value_from_object(obj)
        except FieldDoesNotExist:
            value = ""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Unlock a corrected field"),
            "opts": self.model._meta,
            "object": obj,
            "field_label": label,
            "value": value,
            "next_url": next_url,
        }
        return TemplateResponse(request, "admin/meetings/unlock_confirmation.html", context)

    # Saving and deleting

    def save_model(self, request, obj, form, change):
        changed = set()
        if change:
            before = type(obj)._base_manager.get(pk=obj.pk)
            changed = record_corrections(obj, before, form.fields, form.changed_data)
            replaced_identity(before, obj)
            if not changed and not differing_fields(before, obj, self.saved_fields()):
                # Saved unchanged (or only to review it): no history record saying nothing.
                self.after_save(request, obj, changed, change)
                return
            ensure_history_baseline(before, request_time(request))
            if changed:
                by_editor(obj, request.user, f"Corrected {', '.join(sorted(changed))}")
        self.before_save(request, obj, changed, change)
        obj._history_date = request_time(request)
        super().save_model(request, obj, form, change)
        self.after_save(request, obj, changed, change)

    def saved_fields(self) -> list[str]:
        """The fields whose change makes a save worth a history record."""
        return [
            f.name
            for f in self.model._meta.concrete_fields
            if f.name not in ("updated_at", "search_document", "search_vector", "search_stale")
        ]

    def before_save(self, request, obj, changed: set, change: bool) -> None:
        """Hook: called after the locks are set, before the row is saved."""

    def after_save(self, request, obj, changed: set, change: bool) -> None:
        """Hook: by default, refresh the search documents that show this row."""
        if changed or not change:
            update_search_documents(meetings_involving(obj))

    def delete_model(self, request, obj):
        meeting_ids = meetings_involving(obj)
        meeting_ids |= delete_with_tombstones([obj], request.user, request_time(request))
        self.after_delete(request, meeting_ids)

    def delete_queryset(self, request, queryset):
        objs = list(queryset)
        meeting_ids = set()
        for obj in objs:
            meeting_ids |= meetings_involving(obj)
        meeting_ids |= delete_with_tombstones(objs, request.user, request_time(request))
        self.after_delete(request, meeting_ids)

    def after_delete(self, request, meeting_ids: set[int]) -> None:
        update_search_documents(meeting_ids)


class EvidenceInline(admin.TabularInline):
    """An inline of extracted link rows: their source sentence and locks, read-only, in one
    column (the form must fit 1366 pixels)."""

    extra = 0
    show_change_link = True
    readonly_fields = ("source",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    @admin.display(description=gettext_lazy("source sentence and locks"))
    def source(self, obj):
        if obj is None or obj.pk is None:
            return ""
        if obj.article_id is None:
            sentence = format_html('<span class="added">{}</span>', _("Added by an editor."))
        else:
            sentence = evidence_html(obj.article, obj.evidence_start, obj.evidence_end) or "—"
        meeting_url = reverse("admin:meetings_meeting_change", args=[obj.meeting_id])
        return format_html("{}{}", sentence, locks_html(obj, meeting_url))
