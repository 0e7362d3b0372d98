"""One meeting with all its parts, its sources, and each value's evidence highlighted."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from meetings.highlight import Span, highlight_evidence
from meetings.models import (
    Meeting,
    MeetingRedirect,
)
from meetings.models.meetings import evidence_label
from meetings.rows import slug_urls

# Meeting-level values the page links to their span in the first source (`Meeting.evidence`).
LINKED_VALUES = ("title", "city", "locality", "held_on", "period")


class MeetingDetail(DetailView):
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A meeting editors merged into another: its old address leads to the survivor.
            moved = get_object_or_404(
                MeetingRedirect.objects.select_related("meeting"), old_slug=kwargs.get("slug")
            )
            return HttpResponsePermanentRedirect(moved.meeting.get_absolute_url())

    def get_queryset(self):
        # slim(): not the search document and vector, which the page does not show (the
        # vector is kilobytes, turned into text by the server to be sent).
        return (
            Meeting.objects.select_related("city__merged_into", "place__city__merged_into")
            .slim()
            .with_parts()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        groups = [
            ("p", "person", meeting.participants, lambda r: f"{r.person.name} — {r.title}"),
            ("o", "org", meeting.organization_mentions, lambda r: r.organization.name),
            ("d", "directive", meeting.directive_citations, lambda r: str(r.directive)),
            ("m", "metric", meeting.metric_rows, lambda r: r.label or str(r)),
        ]
        spans_by_article: dict[int, list[Span]] = {}
        for prefix, kind, rows, describe in groups:
            for row in rows:
                row.ev_anchor = ""
                row.val_id = f"val-{prefix}-{row.pk}"
                if row.article_id is None or row.evidence_start is None:
                    continue
                spans_by_article.setdefault(row.article_id, []).append(
                    Span(
                        start=row.evidence_start,
                        end=row.evidence_end,
                        anchor=f"ev-{prefix}-{row.pk}",
                        label=describe(row),
                        back=row.val_id,
                        kind=kind,
                    )
                )
        current = [a for a in meeting.sources if a.is_current]
        # Meeting-level spans point into the first source (see Meeting.evidence).
        meeting_values = {}
        if current and isinstance(meeting.evidence, dict):
            for key, value in meeting.evidence.items():
                if key in LINKED_VALUES and isinstance(value, (list, tuple)) and len(value) == 2:
                    spans_by_article.setdefault(current[0].pk, []).append(
                        Span(
                            start=value[0],
                            end=value[1],
                            anchor=f"ev-meeting-{key}",
                            label=evidence_label(key),
                            back=f"val-meeting-{key}",
                            kind="meeting",
                        )
                    )
        placed: set[str] = set()
        for article in current:
            article.highlighted = highlight_evidence(
                article.text,
                spans_by_article.get(article.pk, ()),
                back_label=_("Back to the value"),
            )
            placed |= article.highlighted.anchors
        for _prefix, _kind, rows, _describe in groups:
            for row in rows:
                anchor = f"ev-{row.val_id[4:]}"
                row.ev_anchor = anchor if anchor in placed else ""
        for key in LINKED_VALUES:
            anchor = f"ev-meeting-{key}"
            meeting_values[key] = anchor if anchor in placed else ""
        _set_entity_links(meeting)
        # Bylines are the report's credits, shown with their source, not as participants.
        credits: dict[int | None, list] = {}
        for row in meeting.participants:
            if row.is_credit:
                credits.setdefault(row.article_id, []).append(row)
        for article in meeting.sources:
            article.credits = credits.get(article.pk, [])
        context.update(
            attendees=[p for p in meeting.participants if not p.is_credit],
            unsourced_credits=credits.get(None, []),
            presiding=[p for p in meeting.participants if p.is_presiding],
            current_sources=current,
            meeting_evidence=meeting_values,
        )
        return context


def _set_entity_links(meeting) -> None:
    """Each row's link to its person, organisation or directive, from one reverse() each
    kind (meetings/rows.py) rather than one a row."""
    person_url = slug_urls("meetings:person_detail")
    organization_url = slug_urls("meetings:organization_detail")
    directive_url = slug_urls("meetings:directive_detail")
    for row in meeting.participants:
        row.person_url = person_url(row.person.slug)
    for row in [*meeting.organization_mentions, *meeting.metric_rows]:
        row.organization_url = organization_url(row.organization.slug) if row.organization else ""
    for row in meeting.directive_citations:
        row.directive_url = directive_url(row.directive.slug)
