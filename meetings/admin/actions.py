"""Changelist actions: review meetings (verified, needs another look); merge duplicate people,
organisations or meetings."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from meetings import corrections
from meetings.merges import MergeError, merge_meetings, merge_organizations, merge_people


@admin.action(description=gettext_lazy("Mark selected meetings verified"), permissions=["change"])
def mark_verified(modeladmin, request, queryset):
    """An editor checked every value of these meetings."""
    n = corrections.verify_meetings(queryset.values_list("pk", flat=True), request.user)
    modeladmin.message_user(
        request,
        ngettext("%(n)d meeting marked verified.", "%(n)d meetings marked verified.", n) % {"n": n},
        messages.SUCCESS,
    )


@admin.action(
    description=gettext_lazy("Mark selected meetings as needing another look"),
    permissions=["change"],
)
def mark_needs_another_look(modeladmin, request, queryset):
    """Back to the top of the review queue, with who asked and when."""
    n = corrections.needs_another_look(queryset.values_list("pk", flat=True), request.user)
    modeladmin.message_user(
        request,
        ngettext(
            "%(n)d meeting marked as needing another look.",
            "%(n)d meetings marked as needing another look.",
            n,
        )
        % {"n": n},
        messages.SUCCESS,
    )


def _merge_action(request, modeladmin, queryset, merge, links: str):
    """Ask which selected row survives; on confirmation, merge the others into it."""
    rows = list(queryset.annotate(n_links=Count(links, distinct=True)).order_by("pk"))
    if len(rows) < 2:
        modeladmin.message_user(request, _("Select at least two records to merge."), messages.ERROR)
        return None
    if "apply" in request.POST:
        survivor = next((r for r in rows if str(r.pk) == request.POST.get("survivor")), None)
        if survivor is None:
            modeladmin.message_user(request, _("Choose the record to keep."), messages.ERROR)
        else:
            others = [r for r in rows if r.pk != survivor.pk]
            try:
                counts = merge(survivor, others, request.user)
            except MergeError as exc:
                modeladmin.message_user(request, str(exc), messages.ERROR)
                return None
            modeladmin.log_change(
                request, survivor, _("Merged %s into it") % ", ".join(str(o) for o in others)
            )
            modeladmin.message_user(
                request,
                _("Merged %(n)d records into “%(survivor)s” (%(moved)d rows moved).")
                % {
                    "n": counts["merged"],
                    "survivor": survivor,
                    "moved": counts["moved"] + counts["combined"] + counts["metrics"],
                },
                messages.SUCCESS,
            )
            return None
    suggested = max(rows, key=lambda r: (r.n_links, -r.pk))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Merge duplicates"),
        "opts": modeladmin.model._meta,
        "rows": rows,
        "suggested": suggested.pk,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/meetings/merge_confirmation.html", context)


@admin.action(description=gettext_lazy("Merge selected people"), permissions=["change"])
def merge_people_action(modeladmin, request, queryset):
    return _merge_action(request, modeladmin, queryset, merge_people, "participations")


@admin.action(description=gettext_lazy("Merge selected organisations"), permissions=["change"])
def merge_organizations_action(modeladmin, request, queryset):
    return _merge_action(request, modeladmin, queryset, merge_organizations, "mentions")


@admin.action(description=gettext_lazy("Merge selected meetings"), permissions=["change"])
def merge_meetings_action(modeladmin, request, queryset):
    return _merge_action(request, modeladmin, queryset, merge_meetings, "articles")
